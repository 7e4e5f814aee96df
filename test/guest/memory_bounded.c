/*
 * Bounded kernel work: cloning and destroying a MemObj of many 4 KiB
 * pages must not keep interrupts off for long. The kernel measures every
 * stretch with interrupts off (from kernel entry, or a preemption point,
 * to the return to user mode or the next preemption point) and reports
 * the longest through TERN_DEBUG_QUERY_IRQ_OFF; timer ticks must keep
 * arriving while the clone runs.
 *
 *   long_ops_bounded      clone and destroy of a 192 MiB MemObj of 4 KiB
 *                         pages
 *   vspace_destroy_bounded  destroy of a VSpace of 8192 mappings of one
 *                         MemObj and 8192 page tables
 */
#include "memory.h"

#include "sys/invoke.h"

#define BIG_PAGES 49152ul /* 192 MiB: its clone and its destruction outlast a tick */
/* The longest stretch allowed, in ns (TSC ticks turned into ns; in icount
 * mode, where this runs, guest instructions): far below the 5 ms tick,
 * well above one chunk of work. */
#define MAX_STRETCH_NS 1000000ul

struct irqoff_figures {
	uint64_t max_tsc, entries, preemptions;
};

static int irqoff_read(struct irqoff_figures *f, bool reset)
{
	uint64_t out[4] = { 0 };

	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_IRQ_OFF, reset ? 1 : 0, out), TERN_EOK);
	*f = (struct irqoff_figures){ out[0], out[1], out[2] };
	return 0;
}

static uint64_t tsc_to_ns(uint64_t tsc)
{
	return tsc * 1000 / (guest_bootinfo->tsc_hz / 1000000);
}

/* Run one step with the figures reset first; report and bound them. */
static int measured(const char *what, uint64_t *max_ns, uint64_t *preemptions)
{
	struct irqoff_figures f;

	CHECK_EQ(irqoff_read(&f, false), 0);
	*max_ns = tsc_to_ns(f.max_tsc);
	*preemptions = f.preemptions;
	tern_printf("memory: %s: longest interrupts-off stretch %lu ns (%lu TSC ticks), "
		    "%lu stretches, %lu preemptions\n",
		    what, *max_ns, f.max_tsc, f.entries, f.preemptions);
	return 0;
}

static int bounded_body(uint64_t *mo, uint64_t *clone)
{
	uint64_t va = WINDOW(15) + PAGE, max_ns, pre, ticks0[4], ticks1[4];
	struct irqoff_figures f;

	*mo = guest_create(TERN_CAP_MEMOBJ, BIG_PAGES);
	*clone = guest_slot();
	CHECK(*mo && *clone);
	/* 4 KiB past a 2 MiB boundary: no huge page, BIG_PAGES frames. */
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, va, *mo, 0, BIG_PAGES, RW), TERN_EOK);
	for (uint64_t i = 0; i < BIG_PAGES; i++)
		*word(va + i * PAGE) = i;
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, va, BIG_PAGES), TERN_EOK);

	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, ticks0), TERN_EOK);
	CHECK_EQ(tern_memobj_clone(*mo, TERN_SLOT_QUOTA, TERN_SLOT_CNODE, *clone, 64), TERN_EOK);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, ticks1), TERN_EOK);
	CHECK_EQ(measured("clone of 192 MiB in 4 KiB pages", &max_ns, &pre), 0);
	tern_printf("memory: the clone took %lu ns\n", ticks1[0] - ticks0[0]);
	uint64_t clone_max = max_ns;
	/* It ran through timer ticks: they were taken, at preemption points. */
	CHECK(ticks1[0] - ticks0[0] < 5000000 || pre > 0);

	/* The clone holds every page. */
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, va, *clone, 0, BIG_PAGES, TERN_RIGHT_READ),
		 TERN_EOK);
	for (uint64_t i = 0; i < BIG_PAGES; i += 97)
		CHECK_EQ(*word(va + i * PAGE), i);
	CHECK_EQ(*word(va + (BIG_PAGES - 1) * PAGE), BIG_PAGES - 1);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, va, BIG_PAGES), TERN_EOK);

	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, *clone, 64), TERN_EOK);
	*clone = 0;
	CHECK_EQ(measured("destroy of the clone", &max_ns, &pre), 0);
	uint64_t destroy_clone_max = max_ns;
	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, ticks0), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, *mo, 64), TERN_EOK);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, ticks1), TERN_EOK);
	*mo = 0;
	CHECK_EQ(measured("destroy of the 192 MiB MemObj", &max_ns, &pre), 0);
	tern_printf("memory: the destroy took %lu ns\n", ticks1[0] - ticks0[0]);
	CHECK(ticks1[0] - ticks0[0] < 5000000 || pre > 0);
	CHECK(clone_max < MAX_STRETCH_NS);
	CHECK(destroy_clone_max < MAX_STRETCH_NS);
	CHECK(max_ns < MAX_STRETCH_NS);
	return 0;
}

static int test_long_ops_bounded(void)
{
	uint64_t mo = 0, clone = 0;
	int r = bounded_body(&mo, &clone);

	tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(15) + PAGE, BIG_PAGES);
	if (clone)
		tern_cnode_delete(TERN_SLOT_CNODE, clone, 64);
	if (mo)
		tern_cnode_delete(TERN_SLOT_CNODE, mo, 64);
	return r;
}

#define MANY_MAPS 8192ul

static int vspace_body(uint64_t *vs, uint64_t *mo)
{
	uint64_t max_ns, pre, t0[4], t1[4];
	struct irqoff_figures f;

	*vs = guest_create(TERN_CAP_VSPACE, 0);
	*mo = guest_create(TERN_CAP_MEMOBJ, 1);
	CHECK(*vs && *mo);
	/* One page every 2 MiB: a page table each. */
	for (uint64_t i = 0; i < MANY_MAPS; i++)
		CHECK_EQ(tern_vspace_map(*vs, 0x200000000ul + i * HUGE, *mo, 0, 1,
					 RW | TERN_MAP_POPULATE),
			 TERN_EOK);
	uint64_t q[3];
	CHECK_EQ(tern_vspace_query(*vs, 0x200000000ul + (MANY_MAPS - 1) * HUGE, q), TERN_EOK);
	CHECK(q[0] & TERN_QUERY_PRESENT);
	uint64_t frames = guest_frames();
	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, t0), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, *vs, 64), TERN_EOK);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, t1), TERN_EOK);
	*vs = 0;
	CHECK_EQ(measured("destroy of a VSpace of 8192 mappings", &max_ns, &pre), 0);
	tern_printf("memory: the destroy took %lu ns\n", t1[0] - t0[0]);
	CHECK(t1[0] - t0[0] < 5000000 || pre > 0);
	/* Its page tables are free again. */
	CHECK(guest_frames() >= frames + MANY_MAPS);
	CHECK(max_ns < MAX_STRETCH_NS);
	return 0;
}

static int test_vspace_destroy_bounded(void)
{
	uint64_t vs = 0, mo = 0;
	int r = vspace_body(&vs, &mo);

	if (vs)
		tern_cnode_delete(TERN_SLOT_CNODE, vs, 64);
	if (mo)
		tern_cnode_delete(TERN_SLOT_CNODE, mo, 64);
	return r;
}

static const struct guest_case cases[] = {
	{ "long_ops_bounded", test_long_ops_bounded },
	{ "vspace_destroy_bounded", test_vspace_destroy_bounded },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("memory_bounded", cases, sizeof(cases) / sizeof(cases[0]));
}
