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
 *   cnode_destroy_bounded  delete of the last cap of a radix-16 CNode full
 *                         of endpoint caps, originals of populated MemObjs
 *                         and a nested CNode holding more of both
 *   own_cspace_delete_bounded  the same CNode deleted by a thread whose
 *                         CSpace it is: the thread loses its CSpace on the
 *                         way, the kernel still stops, and we finish it
 *   unmap_1g_measured     PROTECT and UNMAP of a fully populated 1 GiB range
 *                         of 4 KiB pages: not cut into chunks yet, so only
 *                         measured (docs/measurements.md), and checked
 */
#include "memory.h"

#include "sys/invoke.h"

#define BIG_PAGES 49152ul /* 192 MiB: its clone and its destruction outlast a tick */
/* The longest stretch allowed, in ns (TSC ticks turned into ns; in icount
 * mode, where this runs, guest instructions, so the figures do not vary):
 * far below the 5 ms tick, a few chunks of work (each case stays under
 * 50,000; emptying the radix-16 CNode in one stretch takes 500,000). */
#define MAX_STRETCH_NS 200000ul

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

/* Delete the cap in *slot (then 0) with the figures reset first; report the
 * longest stretch, the preemptions and the wall time the delete took. */
static int measured_delete(const char *what, uint64_t *slot, uint64_t *max_ns,
			   uint64_t *preemptions, uint64_t *took_ns)
{
	struct irqoff_figures f;
	uint64_t t0[4], t1[4];

	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, t0), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, *slot, 64), TERN_EOK);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, t1), TERN_EOK);
	*slot = 0;
	CHECK_EQ(measured(what, max_ns, preemptions), 0);
	*took_ns = t1[0] - t0[0];
	tern_printf("memory: the delete took %lu ns\n", *took_ns);
	return 0;
}

static int bounded_body(uint64_t *mo, uint64_t *clone)
{
	uint64_t va = WINDOW(15) + PAGE, max_ns, pre, took, ticks0[4], ticks1[4];
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
	CHECK_EQ(measured_delete("destroy of the 192 MiB MemObj", mo, &max_ns, &pre, &took), 0);
	CHECK(took < 5000000 || pre > 0);
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
	uint64_t max_ns, pre, took;

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
	CHECK_EQ(measured_delete("destroy of a VSpace of 8192 mappings", vs, &max_ns, &pre, &took),
		 0);
	CHECK(took < 5000000 || pre > 0);
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

#define BIG_RADIX 16
#define NESTED_RADIX 12
#define FILL_MOS 8	  /* populated MemObjs in the big CNode, one more nested */
#define FILL_PAGES 2048ul /* 8 MiB each */
#define NESTED_AT 77	  /* the nested CNode's slot in the big one */

/* A MemObj of FILL_PAGES pages, every page present, unmapped again. */
static uint64_t populated_memobj(void)
{
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, FILL_PAGES);
	uint64_t va = WINDOW(14) + PAGE;

	if (!mo || tern_vspace_map(TERN_SLOT_VSPACE, va, mo, 0, FILL_PAGES,
				   RW | TERN_MAP_POPULATE) != TERN_EOK)
		return 0;
	if (tern_vspace_unmap(TERN_SLOT_VSPACE, va, FILL_PAGES) != TERN_EOK)
		return 0;
	return mo;
}

/* A radix-16 CNode: a nested CNode (created in it, filled through the copy
 * `inner` of ours) holding a populated MemObj and endpoint copies, FILL_MOS
 * populated MemObjs, every other slot an endpoint copy. */
static int fill_big_cnode(uint64_t cn, uint64_t ep, uint64_t inner)
{
	uint64_t nslots = 1ul << BIG_RADIX, full = 0;

	CHECK_EQ(
		tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_CNODE, NESTED_RADIX, cn, NESTED_AT, 64),
		TERN_EOK);
	CHECK_EQ(tern_cnode_copy_from(TERN_SLOT_CNODE, inner, 64, cn, NESTED_AT, 64,
				      TERN_RIGHTS_ALL),
		 TERN_EOK);
	for (uint64_t i = 0; i < FILL_MOS + 1; i++) {
		uint64_t mo = populated_memobj();

		CHECK(mo);
		if (i < FILL_MOS)
			CHECK_EQ(tern_cnode_move(cn, 1000 + i * 7919, 64, mo, 64), TERN_EOK);
		else
			CHECK_EQ(tern_cnode_move(inner, 5, 64, mo, 64), TERN_EOK);
	}
	for (uint64_t i = 0; i < (1ul << NESTED_RADIX); i++)
		if (i != 5)
			CHECK_EQ(tern_cnode_copy(inner, i, 64, ep, 64, TERN_RIGHTS_ALL), TERN_EOK);
	for (uint64_t i = 0; i < nslots; i++) {
		enum tern_error e = tern_cnode_copy(cn, i, 64, ep, 64, TERN_RIGHTS_ALL);

		CHECK(e == TERN_EOK || e == TERN_EDELETE_FIRST);
		full += e == TERN_EOK;
	}
	CHECK_EQ(full, nslots - FILL_MOS - 1);
	return 0;
}

/* After the big CNode went: the copy of the nested CNode was revoked,
 * the MemObjs' pages and both CNodes' memory are free again (`frames`
 * counted before the delete), the endpoint stays. */
static int big_cnode_gone(uint64_t frames, uint64_t ep, uint64_t inner)
{
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, guest_slot(), 64, inner, 64, TERN_RIGHTS_ALL),
		 TERN_EFAILED_LOOKUP);
	CHECK(guest_frames() >=
	      frames + (FILL_MOS + 1) * FILL_PAGES + ((1ul << BIG_RADIX) * 56) / PAGE);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, inner, 64, ep, 64, TERN_RIGHTS_ALL), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, inner, 64), TERN_EOK);
	return 0;
}

static int cnode_body(uint64_t *cn, uint64_t *ep, uint64_t *inner)
{
	uint64_t max_ns, pre, took;

	*cn = guest_create(TERN_CAP_CNODE, BIG_RADIX);
	*ep = guest_create(TERN_CAP_ENDPOINT, 0);
	*inner = guest_slot();
	CHECK(*cn && *ep && *inner);
	CHECK_EQ(fill_big_cnode(*cn, *ep, *inner), 0);

	uint64_t frames = guest_frames();
	CHECK_EQ(measured_delete("delete of a full radix-16 CNode", cn, &max_ns, &pre, &took), 0);
	/* Long enough to span ticks, so it must have stopped at points. */
	CHECK(took > 5000000);
	CHECK(pre > 0);
	CHECK(max_ns < MAX_STRETCH_NS);
	CHECK_EQ(big_cnode_gone(frames, *ep, *inner), 0);
	return 0;
}

static int test_cnode_destroy_bounded(void)
{
	uint64_t cn = 0, ep = 0, inner = 0;
	int r = cnode_body(&cn, &ep, &inner);

	if (cn)
		tern_cnode_delete(TERN_SLOT_CNODE, cn, 64);
	if (inner)
		tern_cnode_delete(TERN_SLOT_CNODE, inner, 64);
	if (ep)
		tern_cnode_delete(TERN_SLOT_CNODE, ep, 64);
	return r;
}

#define SELF_AREA 0x530000000000ul
#define SELF_PRIORITY 120 /* above ours: it runs at once */
#define SELF_ROOT_SLOT 3  /* our root's copy in the big CNode */

static volatile uint64_t self_result = ~0ul, self_slot;

/* In a thread whose CSpace is the big CNode: delete it (its last cap, in
 * our root, reached through the copy of our root in it). The delete
 * revokes the thread's own CSpace first; the call, executed again after
 * a preemption point, no longer finds its cap. Then fault: with no CSpace
 * there is no fault endpoint, and the kernel suspends the thread. */
static void self_delete(uint64_t arg)
{
	(void)arg;
	self_result = tern_cnode_delete(SELF_ROOT_SLOT, self_slot, 64);
	*(volatile uint64_t *)0 = 0;
}

static int own_cspace_body(uint64_t *cn, uint64_t *ep, uint64_t *inner, uint64_t *tcb,
			   struct region *ipcbuf, struct region *stack)
{
	uint64_t max_ns, pre;
	struct irqoff_figures f;

	*cn = guest_create(TERN_CAP_CNODE, BIG_RADIX);
	*ep = guest_create(TERN_CAP_ENDPOINT, 0);
	*inner = guest_slot();
	*tcb = guest_create(TERN_CAP_TCB, 0);
	CHECK(*cn && *ep && *inner && *tcb);
	CHECK_EQ(fill_big_cnode(*cn, *ep, *inner), 0);
	CHECK_EQ(tern_cnode_delete(*cn, SELF_ROOT_SLOT, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_copy(*cn, SELF_ROOT_SLOT, 64, TERN_SLOT_CNODE, 64, TERN_RIGHTS_ALL),
		 TERN_EOK);
	CHECK_EQ(region_map(ipcbuf, 1, SELF_AREA, RW), 0);
	CHECK_EQ(region_map(stack, 4, SELF_AREA + 2 * PAGE, RW), 0);
	CHECK_EQ(tern_tcb_configure(*tcb, 0, SELF_AREA, 0, *cn, TERN_SLOT_VSPACE, ipcbuf->memobj),
		 TERN_EOK);
	CHECK_EQ(tern_tcb_set_priority(*tcb, SELF_PRIORITY), TERN_EOK);
	self_slot = *cn;
	uint64_t frames = guest_frames();
	struct tern_regs r = { 0 };
	r.rip = (uint64_t)self_delete;
	r.rsp = SELF_AREA + 6 * PAGE - 8;
	r.gs_base = SELF_AREA;
	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_tcb_write_registers(*tcb, 1, &r), TERN_EOK);
	/* It ran to its fault before we got here again. */
	CHECK(self_result != ~0ul);
	CHECK_EQ(measured("delete of a full radix-16 CNode by a thread whose CSpace it is", &max_ns,
			  &pre),
		 0);
	tern_printf("memory: the thread's delete returned %lu\n", self_result);
	CHECK(pre > 0);
	CHECK(max_ns < MAX_STRETCH_NS);
	/* It stopped with the CNode dying: nothing reaches into it, the
	 * delete we make carries on from where the thread's stopped. */
	CHECK(self_result != TERN_EOK);
	CHECK_EQ(tern_cnode_copy(*cn, 1, 64, *ep, 64, TERN_RIGHTS_ALL), TERN_EFAILED_LOOKUP);
	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, *cn, 64), TERN_EOK);
	*cn = 0;
	CHECK_EQ(measured("the rest of that delete", &max_ns, &pre), 0);
	CHECK(max_ns < MAX_STRETCH_NS);
	CHECK_EQ(big_cnode_gone(frames, *ep, *inner), 0);
	return 0;
}

static int test_own_cspace_delete_bounded(void)
{
	uint64_t cn = 0, ep = 0, inner = 0, tcb = 0;
	struct region ipcbuf = { 0 }, stack = { 0 };
	int r = own_cspace_body(&cn, &ep, &inner, &tcb, &ipcbuf, &stack);

	if (tcb)
		tern_cnode_delete(TERN_SLOT_CNODE, tcb, 64);
	region_free(&stack);
	region_free(&ipcbuf);
	if (cn)
		tern_cnode_delete(TERN_SLOT_CNODE, cn, 64);
	if (inner)
		tern_cnode_delete(TERN_SLOT_CNODE, inner, 64);
	if (ep)
		tern_cnode_delete(TERN_SLOT_CNODE, ep, 64);
	return r;
}

#define GIG_MAPS 512ul /* 2 MiB each: 1 GiB, 512 page tables */

/* 512 mappings of the same 512 pages (object pages 1..512: never a huge
 * leaf), every entry present; one PROTECT and one UNMAP of the lot. */
static int unmap_body(uint64_t *mo)
{
	uint64_t base = WINDOW(13), npages = GIG_MAPS * 512, max_ns, pre;
	struct irqoff_figures f;

	*mo = guest_create(TERN_CAP_MEMOBJ, 513);
	CHECK(*mo);
	for (uint64_t i = 0; i < GIG_MAPS; i++)
		CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, base + i * HUGE, *mo, 1, 512,
					 RW | TERN_MAP_POPULATE),
			 TERN_EOK);
	CHECK(qflags(base + npages * PAGE - PAGE) & TERN_QUERY_PRESENT);
	CHECK(qflags(base + npages * PAGE - PAGE) & TERN_QUERY_WRITE);
	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, base, npages, TERN_RIGHT_READ), TERN_EOK);
	CHECK_EQ(measured("PROTECT of 1 GiB of present 4 KiB entries", &max_ns, &pre), 0);
	CHECK(!(qflags(base + 12345 * PAGE) & TERN_QUERY_WRITE));
	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, base, npages), TERN_EOK);
	CHECK_EQ(measured("UNMAP of 1 GiB of present 4 KiB entries", &max_ns, &pre), 0);
	for (uint64_t i = 0; i < npages; i += 4099)
		CHECK(!(qflags(base + i * PAGE) & TERN_QUERY_PRESENT));
	return 0;
}

#define SPARSE_TABLES 1024ul

/* What the cost grows with: page tables in the range, present entries or
 * not. One page every 2 MiB in a VSpace of its own, one UNMAP of all. */
static int sparse_body(uint64_t *vs, uint64_t *mo)
{
	uint64_t base = 0x200000000ul, max_ns, pre, q[3];
	struct irqoff_figures f;

	*vs = guest_create(TERN_CAP_VSPACE, 0);
	*mo = guest_create(TERN_CAP_MEMOBJ, 1);
	CHECK(*vs && *mo);
	for (uint64_t i = 0; i < SPARSE_TABLES; i++)
		CHECK_EQ(tern_vspace_map(*vs, base + i * HUGE, *mo, 0, 1, RW | TERN_MAP_POPULATE),
			 TERN_EOK);
	CHECK_EQ(irqoff_read(&f, true), 0);
	CHECK_EQ(tern_vspace_unmap(*vs, base, SPARSE_TABLES * 512), TERN_EOK);
	CHECK_EQ(measured("UNMAP of 2 GiB, one present entry per page table", &max_ns, &pre), 0);
	CHECK_EQ(tern_vspace_query(*vs, base + (SPARSE_TABLES - 1) * HUGE, q), TERN_EOK);
	CHECK(!(q[0] & TERN_QUERY_MAPPED));
	return 0;
}

static int test_unmap_1g_measured(void)
{
	uint64_t mo = 0;
	int r = unmap_body(&mo);

	tern_vspace_unmap(TERN_SLOT_VSPACE, WINDOW(13), GIG_MAPS * 512);
	if (mo)
		tern_cnode_delete(TERN_SLOT_CNODE, mo, 64);
	if (r)
		return r;
	uint64_t vs = 0;
	mo = 0;
	r = sparse_body(&vs, &mo);
	if (vs)
		tern_cnode_delete(TERN_SLOT_CNODE, vs, 64);
	if (mo)
		tern_cnode_delete(TERN_SLOT_CNODE, mo, 64);
	return r;
}

static const struct guest_case cases[] = {
	{ "long_ops_bounded", test_long_ops_bounded },
	{ "vspace_destroy_bounded", test_vspace_destroy_bounded },
	{ "cnode_destroy_bounded", test_cnode_destroy_bounded },
	{ "own_cspace_delete_bounded", test_own_cspace_delete_bounded },
	{ "unmap_1g_measured", test_unmap_1g_measured },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("memory_bounded", cases, sizeof(cases) / sizeof(cases[0]));
}
