/*
 * Virtual memory costs, one write per 4 KiB page of a fresh anonymous
 * MemObj (per_iter = per 4 KiB page touched):
 *   vm_fault_4k_1m     1 MiB mapped 4 KiB past a 2 MiB boundary (so no
 *                      block is eligible for a huge page), 64 times
 *   vm_fault_4k_64m    64 MiB, the same way, twice
 *   vm_fault_huge_64m  64 MiB at a 2 MiB boundary: 32 huge pages, twice
 *   vm_fault_huge_64m_idle  the same after ~55 ms of idle time each time,
 *                      so the kernel's pre-zeroed 2 MiB pool is full
 *   vm_cow_break       the first write to each page of a clone of a
 *                      populated 1 MiB MemObj (a copy per page), 16 times
 * and invocations, per pair:
 *   vm_map_unmap       map and unmap a 1-page MemObj
 *   vm_map_64          map 64 pages with TERN_MAP_POPULATE and unmap them
 *   vm_protect         VSPACE_PROTECT one page read-only and back
 * Each fault run checks with the kernel's VM counters that it measured
 * what it says (huge pages or none, a copy per page) and prints them.
 * Every MemObj is deleted after its run, so the quota is reused.
 *
 * Prints BENCH <name> <iters> <total_ns> <per_iter_ns>. Under QEMU with
 * -icount shift=0 the TSC counts guest instructions, 1 per ns. Linux 6.1
 * takes about 4,200 guest instructions per page touched in a fresh
 * anonymous mapping (its mmap_fault, measured the same way).
 */
#include "guest.h"
#include "tern/errors.h"
#include "tern/invocation.h"
#include "tern/syscall.h"

#define PAGE 4096ul
#define HUGE (2ul << 20)
#define RW (TERN_RIGHT_READ | TERN_RIGHT_WRITE)
#define BASE 0x600000000000ul /* 2 MiB aligned */
#define CLONE_VA 0x640000000000ul
#define MAP_ITERS 10000
#define MAP64_ITERS 2000

struct vm_counts {
	uint64_t faults, zero_fills, huge, cow;
};

static int vm_counts(struct vm_counts *c)
{
	uint64_t o[4];

	if (tern_debug_query(TERN_DEBUG_QUERY_VM, 0, o) != TERN_EOK) {
		tern_printf("GUEST vm_bench: DEBUG_QUERY_VM is not supported\n");
		return -1;
	}
	*c = (struct vm_counts){ o[0], o[1], o[2], o[3] };
	return 0;
}

static struct vm_counts vm_delta(const struct vm_counts *a, const struct vm_counts *b)
{
	return (struct vm_counts){ b->faults - a->faults, b->zero_fills - a->zero_fills,
				   b->huge - a->huge, b->cow - a->cow };
}

static void print_counts(const char *name, const struct vm_counts *d)
{
	tern_printf("vm_bench: %s: %lu faults, %lu 4 KiB zero fills, %lu huge pages, %lu "
		    "copies\n",
		    name, d->faults, d->zero_fills, d->huge, d->cow);
}

static void touch(uint64_t vaddr, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		*(volatile uint64_t *)(vaddr + i * PAGE) = i;
}

/* One fresh MemObj of `pages` mapped at vaddr, touched once per page:
 * the cycles the touching took, or 0 on failure. */
static uint64_t fault_once(uint64_t pages, uint64_t vaddr)
{
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, pages), t;

	if (!mo || tern_vspace_map(TERN_SLOT_VSPACE, vaddr, mo, 0, pages, RW) != TERN_EOK)
		return 0;
	t = guest_rdtsc();
	touch(vaddr, pages);
	t = guest_rdtsc() - t;
	if (tern_vspace_unmap(TERN_SLOT_VSPACE, vaddr, pages) != TERN_EOK ||
	    tern_cnode_delete(TERN_SLOT_CNODE, mo, 64) != TERN_EOK)
		return 0;
	return t;
}

static int fault_run(const char *name, uint64_t pages, uint64_t reps, uint64_t vaddr)
{
	struct vm_counts v0, v1, d;
	uint64_t total = 0;

	CHECK_EQ(vm_counts(&v0), 0);
	for (uint64_t r = 0; r < reps; r++) {
		uint64_t t = fault_once(pages, vaddr);
		CHECK(t);
		total += t;
	}
	CHECK_EQ(vm_counts(&v1), 0);
	d = vm_delta(&v0, &v1);
	guest_bench_report(name, total, pages * reps);
	print_counts(name, &d);
	if (vaddr % HUGE) {
		CHECK_EQ(d.huge, 0);
		CHECK(d.zero_fills >= pages * reps);
	} else {
		CHECK_EQ(d.huge, pages * reps / 512);
	}
	return 0;
}

/*
 * Let the system idle for ~55 ms (a PIT one-shot on IRQ 0): the kernel's
 * idle loop then fills its pool of pre-zeroed 2 MiB blocks, as it would
 * between bursts of work on a real system.
 */
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_ONE_SHOT 0x30

static int idle_a_while(void)
{
	static uint64_t handler, ntfn;
	uint64_t bits;

	if (!handler) {
		handler = guest_slot();
		ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
		CHECK(handler && ntfn);
		CHECK_EQ(tern_irq_control_get(TERN_SLOT_IRQ_CONTROL, 0, TERN_SLOT_CNODE, handler,
					      64),
			 TERN_EOK);
		CHECK_EQ(tern_irq_handler_set_notification(handler, ntfn), TERN_EOK);
	}
	CHECK_EQ(tern_ioport_out(TERN_SLOT_IOPORT, PIT_COMMAND, 1, PIT_CH0_ONE_SHOT), TERN_EOK);
	CHECK_EQ(tern_ioport_out(TERN_SLOT_IOPORT, PIT_CHANNEL0, 1, 0xff), TERN_EOK);
	CHECK_EQ(tern_ioport_out(TERN_SLOT_IOPORT, PIT_CHANNEL0, 1, 0xff), TERN_EOK);
	CHECK_EQ(tern_irq_handler_ack(handler), TERN_EOK);
	CHECK_EQ(tern_wait(ntfn, &bits), TERN_EOK);
	return 0;
}

/* The huge-page run again, after idle time before each repetition. */
static int fault_run_warm(const char *name, uint64_t pages, uint64_t reps, uint64_t vaddr)
{
	uint64_t total = 0;

	for (uint64_t r = 0; r < reps; r++) {
		CHECK_EQ(idle_a_while(), 0);
		uint64_t t = fault_once(pages, vaddr);
		CHECK(t);
		total += t;
	}
	guest_bench_report(name, total, pages * reps);
	return 0;
}

static int bench_faults(void)
{
	CHECK_EQ(fault_run("vm_fault_4k_1m", 256, 64, BASE + PAGE), 0);
	CHECK_EQ(fault_run("vm_fault_4k_64m", 16384, 2, BASE + PAGE), 0);
	CHECK_EQ(fault_run("vm_fault_huge_64m", 16384, 2, BASE), 0);
	CHECK_EQ(fault_run_warm("vm_fault_huge_64m_idle", 16384, 2, BASE), 0);
	return 0;
}

/* A populated 256-page MemObj and a clone of it, both mapped; the
 * cycles of the first write to each page of the clone, whose VM counters
 * are added to *acc. */
static uint64_t cow_once(struct vm_counts *acc)
{
	const uint64_t pages = 256;
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, pages), cl = guest_slot(), t = 0;
	struct vm_counts v0, v1;

	if (!mo || !cl ||
	    tern_vspace_map(TERN_SLOT_VSPACE, BASE + PAGE, mo, 0, pages, RW | TERN_MAP_POPULATE) !=
		    TERN_EOK)
		return 0;
	touch(BASE + PAGE, pages);
	if (tern_memobj_clone(mo, TERN_SLOT_QUOTA, TERN_SLOT_CNODE, cl, 64) == TERN_EOK &&
	    tern_vspace_map(TERN_SLOT_VSPACE, CLONE_VA + PAGE, cl, 0, pages, RW) == TERN_EOK) {
		vm_counts(&v0);
		t = guest_rdtsc();
		touch(CLONE_VA + PAGE, pages);
		t = guest_rdtsc() - t;
		vm_counts(&v1);
		acc->faults += v1.faults - v0.faults;
		acc->zero_fills += v1.zero_fills - v0.zero_fills;
		acc->huge += v1.huge - v0.huge;
		acc->cow += v1.cow - v0.cow;
		tern_vspace_unmap(TERN_SLOT_VSPACE, CLONE_VA + PAGE, pages);
	}
	tern_vspace_unmap(TERN_SLOT_VSPACE, BASE + PAGE, pages);
	tern_cnode_delete(TERN_SLOT_CNODE, cl, 64);
	tern_cnode_delete(TERN_SLOT_CNODE, mo, 64);
	return t;
}

static int bench_cow(void)
{
	const uint64_t reps = 16;
	struct vm_counts v, d = { 0 };
	uint64_t total = 0;

	CHECK_EQ(vm_counts(&v), 0);
	for (uint64_t r = 0; r < reps; r++) {
		uint64_t t = cow_once(&d);
		CHECK(t);
		total += t;
	}
	guest_bench_report("vm_cow_break", total, 256 * reps);
	print_counts("vm_cow_break (the clone's writes)", &d);
	CHECK_EQ(d.cow, 256 * reps);
	CHECK_EQ(d.zero_fills, 0);
	return 0;
}

/* iters map+unmap pairs of `pages` pages of mo (one untimed warm-up). */
static uint64_t map_unmap(uint64_t mo, uint64_t pages, uint64_t rights, uint64_t iters)
{
	uint64_t t0 = 0;

	for (uint64_t i = 0; i <= iters; i++) {
		if (i == 1)
			t0 = guest_rdtsc();
		if (tern_vspace_map(TERN_SLOT_VSPACE, BASE, mo, 0, pages, rights) != TERN_EOK ||
		    tern_vspace_unmap(TERN_SLOT_VSPACE, BASE, pages) != TERN_EOK)
			return 0;
	}
	return guest_rdtsc() - t0;
}

static int bench_invocations(void)
{
	uint64_t one = guest_create(TERN_CAP_MEMOBJ, 1);
	uint64_t sixty_four = guest_create(TERN_CAP_MEMOBJ, 64);
	uint64_t c, t0;

	CHECK(one && sixty_four);
	c = map_unmap(one, 1, RW, MAP_ITERS);
	CHECK(c);
	guest_bench_report("vm_map_unmap", c, MAP_ITERS);
	c = map_unmap(sixty_four, 64, RW | TERN_MAP_POPULATE, MAP64_ITERS);
	CHECK(c);
	guest_bench_report("vm_map_64", c, MAP64_ITERS);

	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, BASE, one, 0, 1, RW | TERN_MAP_POPULATE),
		 TERN_EOK);
	*(volatile uint64_t *)BASE = 1;
	t0 = guest_rdtsc();
	for (int i = 0; i < MAP_ITERS; i++) {
		CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, BASE, 1, TERN_RIGHT_READ), TERN_EOK);
		CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, BASE, 1, RW), TERN_EOK);
	}
	guest_bench_report("vm_protect", guest_rdtsc() - t0, MAP_ITERS);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, BASE, 1), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, one, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, sixty_four, 64), TERN_EOK);
	return 0;
}

static const struct guest_case cases[] = {
	{ "faults", bench_faults },
	{ "cow", bench_cow },
	{ "invocations", bench_invocations },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	tern_printf("vm_bench: kernel command line \"%s\"\n", guest_bootinfo->cmdline);
	guest_run("vm_bench", cases, sizeof(cases) / sizeof(cases[0]));
}
