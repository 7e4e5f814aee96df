/*
 * Kernel page tables. The boot tables (boot.S) map only the first 1 GiB;
 * here we build the real ones: the direct map of all RAM in the largest
 * pages the CPU offers (1 GiB, else 2 MiB), the kernel image in 4 KiB pages
 * with W^X per section, and device windows uncached. Then we switch CR3 and
 * turn on what the CPU has: NX, global pages, SMEP, SMAP, PCID.
 */
#include "arch/paging.h"

#include "arch/cpu.h"
#include "common/compiler.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "common/string.h"

static uint64_t kernel_pml4;
static uint64_t ioremap_next = IOREMAP_BASE;
static uint64_t nx_bit;

uint64_t paging_kernel_pml4(void)
{
	return kernel_pml4;
}

/* Page-table pages come from the bump allocator until the buddy allocator
 * is running (device windows are mapped after that). */
static uint64_t table_alloc(void)
{
	if (!pmm_started())
		return early_alloc(PAGE_SIZE);
	uint64_t pa = page_alloc();
	if (!pa)
		panic("paging: out of memory for a kernel page table");
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

static uint64_t *table_at(uint64_t pa)
{
	return phys_to_virt(pa);
}

static unsigned pt_index(uint64_t va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

void pt_map_kernel(uint64_t pml4_pa, uint64_t va, uint64_t pa, enum pt_level size, uint64_t flags)
{
	uint64_t *table = table_at(pml4_pa);

	for (int level = 4; level > (int)size; level--) {
		uint64_t *e = &table[pt_index(va, level)];
		if (!(*e & PTE_P))
			*e = table_alloc() | PTE_P | PTE_W;
		else if (*e & PTE_PS)
			panic("pt_map_kernel: %lx already mapped by a large page", va);
		table = table_at(*e & PTE_ADDR_MASK);
	}
	uint64_t leaf = pa | flags | PTE_P | (size != PT_4K ? PTE_PS : 0);
	table[pt_index(va, (int)size)] = leaf;
}

static void map_kernel_section(const char *start, const char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
		pt_map_kernel(kernel_pml4, va, va - KERNEL_VMA, PT_4K, flags | PTE_G);
}

static void map_direct(uint64_t phys_limit)
{
	uint64_t flags = PTE_W | PTE_G | nx_bit;
	uint64_t pa = 0;

	while (pa < phys_limit) {
		if (cpu_features.pdpe1gb && !(pa & (GIANT_PAGE_SIZE - 1)) &&
		    pa + GIANT_PAGE_SIZE <= ALIGN_UP(phys_limit, GIANT_PAGE_SIZE)) {
			pt_map_kernel(kernel_pml4, PHYS_MAP_BASE + pa, pa, PT_1G, flags);
			pa += GIANT_PAGE_SIZE;
		} else {
			pt_map_kernel(kernel_pml4, PHYS_MAP_BASE + pa, pa, PT_2M, flags);
			pa += HUGE_PAGE_SIZE;
		}
	}
}

static void enable_cpu_protections(void)
{
	uint64_t cr4 = read_cr4() | CR4_PGE;

	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= CR4_SMAP;
	/* sgdt, sidt, sldt, smsw and str fault in user mode instead of
	 * showing kernel addresses (the GDT, IDT and TSS are in the image). */
	if (cpu_features.umip)
		cr4 |= CR4_UMIP;
	/* PCIDE needs CR3[11:0] == 0: the kernel runs as PCID 0. */
	if (cpu_features.pcid)
		cr4 |= CR4_PCIDE;
	write_cr4(cr4);
	write_cr0(read_cr0() | CR0_WP);
}

void paging_init(uint64_t phys_limit)
{
	nx_bit = cpu_features.nx ? PTE_NX : 0;
	if (cpu_features.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);

	kernel_pml4 = early_alloc(PAGE_SIZE);
	/* Pre-create every upper-half PDPT so that address spaces made later
	 * can share the kernel half by copying PML4 entries 256..511 once. */
	uint64_t *pml4 = table_at(kernel_pml4);
	for (int i = 256; i < 512; i++)
		pml4[i] = early_alloc(PAGE_SIZE) | PTE_P | PTE_W;

	map_direct(phys_limit);
	map_kernel_section(__text_start, __text_end, 0);
	map_kernel_section(__rodata_start, __rodata_end, nx_bit);
	map_kernel_section(__data_start, __bss_end, PTE_W | nx_bit);

	write_cr3(kernel_pml4);
	enable_cpu_protections();
}

void *ioremap(uint64_t pa, size_t len)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + len, PAGE_SIZE);
	uint64_t va = ioremap_next;

	for (uint64_t p = base; p < end; p += PAGE_SIZE)
		pt_map_kernel(kernel_pml4, va + (p - base), p, PT_4K,
			      PTE_W | PTE_PCD | PTE_PWT | PTE_G | nx_bit);
	ioremap_next += end - base + PAGE_SIZE; /* a guard page between windows */
	return (void *)(va + (pa - base));
}
