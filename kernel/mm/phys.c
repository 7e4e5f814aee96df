/*
 * Physical memory: the usable regions of the boot memory map, minus what
 * is in use (low 1 MiB, kernel image, boot modules, loader data), go to a
 * buddy allocator (kernel/mm/buddy.c); single pages go through a per-CPU
 * cache in front of it (kernel/mm/page_cache.c) so the common case is O(1)
 * and lock-free on its CPU.
 */
#include "kernel/buddy.h"
#include "common/compiler.h"
#include "kernel/mm.h"
#include "kernel/page_cache.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "common/string.h"
#include "kernel/vm.h"

#include "arch/cpu.h"

#define MAX_RESERVED (BOOT_MAX_MODULES + 8)
#define BOOT_MAPPED_LIMIT (1ul << 30) /* what boot.S maps */

struct range {
	uint64_t start, end;
};

static const struct boot_info *boot;
static struct range reserved[MAX_RESERVED];
static int n_reserved;
static uint64_t phys_limit, usable_bytes;
static uint64_t early_start, early_cur, early_end;
static struct buddy_zone zone;
static struct page_cache cpu0_pages;

static void reserve(uint64_t start, uint64_t end)
{
	if (n_reserved == MAX_RESERVED)
		panic("pmm: too many reserved ranges");
	reserved[n_reserved++] =
		(struct range){ ALIGN_DOWN(start, PAGE_SIZE), ALIGN_UP(end, PAGE_SIZE) };
}

/* Call fn on each page-aligned piece of usable memory below `limit` that no
 * reserved range overlaps. */
static void for_each_free_piece(uint64_t limit, void (*fn)(uint64_t, uint64_t, void *), void *ctx)
{
	for (size_t i = 0; i < boot->n_mem; i++) {
		const struct boot_mem_region *m = &boot->mem[i];
		if (m->type != BOOT_MEM_USABLE)
			continue;
		uint64_t cur = ALIGN_UP(m->base, PAGE_SIZE);
		uint64_t end = MIN(ALIGN_DOWN(m->base + m->length, PAGE_SIZE), limit);
		while (cur < end) {
			const struct range *first = NULL;
			for (int r = 0; r < n_reserved; r++) {
				const struct range *rr = &reserved[r];
				if (rr->end > cur && rr->start < end &&
				    (!first || rr->start < first->start))
					first = rr;
			}
			if (!first) {
				fn(cur, end, ctx);
				break;
			}
			if (first->start > cur)
				fn(cur, first->start, ctx);
			cur = first->end;
		}
	}
}

static void pick_largest(uint64_t start, uint64_t end, void *ctx)
{
	struct range *best = ctx;

	if (end - start > best->end - best->start)
		*best = (struct range){ start, end };
}

void pmm_init(const struct boot_info *bi)
{
	boot = bi;
	for (size_t i = 0; i < bi->n_mem; i++) {
		const struct boot_mem_region *m = &bi->mem[i];
		if (m->type != BOOT_MEM_USABLE)
			continue;
		usable_bytes += m->length;
		phys_limit = MAX(phys_limit, ALIGN_DOWN(m->base + m->length, PAGE_SIZE));
	}
	phys_limit = ALIGN_UP(phys_limit, HUGE_PAGE_SIZE);

	reserve(0, 1ul << 20); /* BIOS data, real-mode IVT, and pfn 0 means "none" */
	reserve((uint64_t)__kernel_start - KERNEL_VMA, (uint64_t)__kernel_end - KERNEL_VMA);
	for (size_t i = 0; i < bi->n_modules; i++)
		reserve(bi->modules[i].start, bi->modules[i].end);
	if (bi->info_end > bi->info_start)
		reserve(bi->info_start, bi->info_end);

	struct range best = { 0, 0 };
	for_each_free_piece(BOOT_MAPPED_LIMIT, pick_largest, &best);
	if (best.end - best.start < (1ul << 20))
		panic("pmm: less than 1 MiB of free memory below 1 GiB");
	early_start = early_cur = best.start;
	early_end = best.end;
}

uint64_t early_alloc(size_t bytes)
{
	uint64_t size = ALIGN_UP(bytes, PAGE_SIZE);

	if (!early_end)
		panic("early_alloc after pmm_start");
	if (early_cur + size > early_end)
		panic("early_alloc: out of early memory (%zu bytes)", bytes);
	uint64_t pa = early_cur;
	early_cur += size;
	memset(phys_to_virt(pa), 0, size);
	return pa;
}

static void add_free(uint64_t start, uint64_t end, void *ctx)
{
	(void)ctx;
	buddy_add_free_range(&zone, start >> PAGE_SHIFT, (end - start) >> PAGE_SHIFT);
}

void pmm_start(void)
{
	uint64_t nframes = phys_limit >> PAGE_SHIFT;
	uint64_t meta = early_alloc(buddy_meta_size(nframes));

	buddy_init(&zone, 0, nframes, phys_to_virt(meta));
	frame_refs_init(nframes);
	reserve(early_start, early_cur);
	early_end = 0; /* the bump allocator is closed from here on */
	for_each_free_piece(phys_limit, add_free, NULL);
	page_cache_init(&cpu0_pages);
}

bool pmm_started(void)
{
	return zone.pages != NULL;
}

uint64_t page_alloc(void)
{
	uint64_t pfn;
	uint64_t flags = irq_save();
	bool ok = page_cache_alloc(&cpu0_pages, &zone, &pfn);

	irq_restore(flags);
	return ok ? pfn << PAGE_SHIFT : 0;
}

void page_free(uint64_t pa)
{
	uint64_t flags = irq_save();
	int err = page_cache_free(&cpu0_pages, &zone, pa >> PAGE_SHIFT);

	irq_restore(flags);
	if (err)
		panic("page_free: bad free of %lx (%d)", pa, err);
}

uint64_t pages_alloc(unsigned order)
{
	uint64_t pfn;
	uint64_t flags = irq_save();
	bool ok = buddy_alloc(&zone, order, &pfn);

	irq_restore(flags);
	return ok ? pfn << PAGE_SHIFT : 0;
}

void pages_free(uint64_t pa, unsigned order)
{
	uint64_t flags = irq_save();
	int err = buddy_free(&zone, pa >> PAGE_SHIFT, order);

	irq_restore(flags);
	if (err)
		panic("pages_free: bad free of %lx order %u (%d)", pa, order, err);
}

void pages_split(uint64_t pa, unsigned order)
{
	uint64_t flags = irq_save();
	int err = buddy_split(&zone, pa >> PAGE_SHIFT, order);

	irq_restore(flags);
	if (err)
		panic("pages_split: bad split of %lx order %u (%d)", pa, order, err);
}

void pmm_release(uint64_t start, uint64_t end)
{
	uint64_t first = ALIGN_UP(start, PAGE_SIZE), last = ALIGN_DOWN(end, PAGE_SIZE);

	if (!pmm_started() || last <= first)
		return;
	uint64_t flags = irq_save();
	buddy_add_free_range(&zone, first >> PAGE_SHIFT, (last - first) >> PAGE_SHIFT);
	irq_restore(flags);
}

uint64_t pages_alloc_run(uint64_t count)
{
	uint64_t pfn;
	uint64_t flags = irq_save();
	bool ok = buddy_alloc_run(&zone, count, &pfn);

	irq_restore(flags);
	return ok ? pfn << PAGE_SHIFT : 0;
}

void pages_free_run(uint64_t pa, uint64_t count)
{
	uint64_t flags = irq_save();
	int err = buddy_free_run(&zone, pa >> PAGE_SHIFT, count);

	irq_restore(flags);
	if (err)
		panic("pages_free_run: bad free of %lx, %lu frames (%d)", pa, count, err);
}

uint64_t pmm_free_pages(void)
{
	return buddy_free_frames(&zone) + page_cache_count(&cpu0_pages);
}

uint64_t pmm_usable_bytes(void)
{
	return usable_bytes;
}

uint64_t mm_phys_limit(void)
{
	return phys_limit;
}
