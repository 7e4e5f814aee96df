/*
 * Memory, in the guest: anonymous MemObjs are lazy and read as zero;
 * POPULATE and the W^X rule of VSPACE_MAP; one MemObj mapped twice is one
 * memory; VSPACE_PROTECT turns a write into a fault message, and the
 * thread resumes once the handler restores the right; an exhausted quota
 * is a fault message with TERN_FAULT_QUOTA, and pages go back to their
 * quota with their MemObj; the clock page is read-only and runs at the
 * host's rate. Copy-on-write cases are in memory_cow.c, huge pages in
 * memory_huge.c, helpers in memory_lib.c.
 *
 * Faults are caught with threads of our own whose fault endpoint is an
 * endpoint in our root CNode (fault_thread_start). They run at a higher
 * priority than the root, so a fault is queued on the endpoint before
 * the root looks, and every wait is bounded by the TSC: a missing fault
 * or a thread that never finishes is a FAIL, not a hang.
 *
 * The clock case compares the clock page with the CMOS RTC, which QEMU
 * drives from the host's clock: meaningful under TCG without -icount
 * (how ctest runs it), meaningless under --mode icount.
 */
#include "memory.h"
#include "tern/clock.h"

#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define RTC_SECONDS_MEASURED 2
#define RTC_TOLERANCE_PERCENT 5
#define RTC_TICK_PRECISION_NS 20000000ull /* 20 ms: 2% of 2 s for both ends */

static int zero_fill_body(struct region *a, struct region *b, struct region *c)
{
	const uint64_t pages = 64;
	uint64_t used0 = guest_quota_used();
	struct vm_counts v0, v1;

	CHECK_EQ(region_map(a, pages, WINDOW(0), RW), 0);
	/* Lazy: the pages are not charged, or present, before a touch. */
	CHECK(guest_quota_used() - used0 < pages * PAGE);
	CHECK_EQ(qflags(a->vaddr), TERN_QUERY_MAPPED);
	CHECK_EQ(qflags(a->vaddr + (pages - 1) * PAGE), TERN_QUERY_MAPPED);
	CHECK_EQ(qflags(a->vaddr + pages * PAGE), 0);
	CHECK_EQ(vm_counts(&v0), 0);
	CHECK_EQ(*word(a->vaddr + 5 * PAGE + 8), 0);
	CHECK_EQ(vm_counts(&v1), 0);
	CHECK(vm_delta(&v0, &v1).faults >= 1);
	CHECK(qflags(a->vaddr + 5 * PAGE) & TERN_QUERY_PRESENT);
	for (uint64_t i = 0; i < pages * WORDS_PER_PAGE; i++)
		CHECK_EQ(*word(a->vaddr + i * 8), 0);
	for (uint64_t i = 0; i < pages; i++)
		*word(a->vaddr + i * PAGE) = i + 1;
	for (uint64_t i = 0; i < pages; i++) {
		CHECK_EQ(*word(a->vaddr + i * PAGE), i + 1);
		CHECK(qflags(a->vaddr + i * PAGE) & TERN_QUERY_WRITE);
	}
	/* Touched pages are charged. */
	CHECK(guest_quota_used() - used0 >= pages * PAGE);

	/* POPULATE: present and writable before any touch, so no fault. */
	CHECK_EQ(region_map(b, 8, WINDOW(0) + HUGE, RW | TERN_MAP_POPULATE), 0);
	for (uint64_t i = 0; i < 8; i++)
		CHECK_EQ(qflags(b->vaddr + i * PAGE) & (TERN_QUERY_PRESENT | TERN_QUERY_WRITE),
			 TERN_QUERY_PRESENT | TERN_QUERY_WRITE);
	CHECK_EQ(vm_counts(&v0), 0);
	for (uint64_t i = 0; i < 8; i++)
		*word(b->vaddr + i * PAGE) = i;
	CHECK_EQ(vm_counts(&v1), 0);
	CHECK_EQ(vm_delta(&v0, &v1).faults, 0);
	CHECK_EQ(*word(b->vaddr + 7 * PAGE + 8), 0);

	/* W^X: refused unless asked for with TERN_MAP_WX. */
	c->memobj = guest_create(TERN_CAP_MEMOBJ, 1);
	CHECK(c->memobj);
	uint64_t cva = WINDOW(0) + 2 * HUGE;
	CHECK(tern_vspace_map(TERN_SLOT_VSPACE, cva, c->memobj, 0, 1, RW | TERN_RIGHT_EXEC) !=
	      TERN_EOK);
	CHECK_EQ(qflags(cva), 0);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, cva, c->memobj, 0, 1,
				 RW | TERN_RIGHT_EXEC | TERN_MAP_WX),
		 TERN_EOK);
	c->vaddr = cva;
	c->pages = 1;
	*word(cva) = 0xc3; /* ret */
	CHECK((qflags(cva) & (TERN_QUERY_WRITE | TERN_QUERY_EXEC)) ==
	      (TERN_QUERY_WRITE | TERN_QUERY_EXEC));
	return 0;
}

static int test_zero_fill(void)
{
	struct region a = { 0 }, b = { 0 }, c = { 0 };
	int r = zero_fill_body(&a, &b, &c);

	region_free(&a);
	region_free(&b);
	region_free(&c);
	return r;
}

/* One MemObj mapped twice (the second at MemObj offset 4) is one memory,
 * whichever mapping touches a page first; unmapping keeps the pages. */
static int shared_body(struct region *a)
{
	uint64_t b = WINDOW(6) + HUGE;

	CHECK_EQ(region_map(a, 16, WINDOW(6), RW), 0);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, b, a->memobj, 4, 8, RW), TERN_EOK);
	*word(b) = 0xb0;		   /* MemObj page 4, touched through b first */
	*word(a->vaddr + 5 * PAGE) = 0xa5; /* page 5, through a first */
	CHECK_EQ(*word(a->vaddr + 4 * PAGE), 0xb0);
	CHECK_EQ(*word(b + PAGE), 0xa5);
	CHECK_EQ(*word(b + 7 * PAGE + 8), *word(a->vaddr + 11 * PAGE + 8)); /* both touched */
	CHECK_EQ(qphys(b), qphys(a->vaddr + 4 * PAGE));
	CHECK_EQ(qphys(b + 7 * PAGE + 8), qphys(a->vaddr + 11 * PAGE));
	CHECK(qphys(b) != qphys(b + PAGE * 2));
	for (uint64_t i = 0; i < 8; i++)
		if (i > 1)
			CHECK_EQ(*word(b + i * PAGE), 0);
	CHECK_EQ(qflags(b + 8 * PAGE), 0); /* the second mapping is 8 pages */
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, b, 8), TERN_EOK);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, a->vaddr, 16), TERN_EOK);
	CHECK_EQ(qflags(a->vaddr + 4 * PAGE), 0);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, b, a->memobj, 0, 16, TERN_RIGHT_READ), TERN_EOK);
	a->vaddr = b;
	CHECK_EQ(*word(b + 4 * PAGE), 0xb0);
	CHECK_EQ(*word(b + 5 * PAGE), 0xa5);
	CHECK_EQ(qflags(b + 5 * PAGE) & TERN_QUERY_WRITE, 0);
	return 0;
}

static int test_shared_mapping(void)
{
	struct region a = { 0 };
	int r = shared_body(&a);

	region_free(&a);
	return r;
}

static int protect_body(struct region *a, struct fault_thread *t)
{
	struct tern_msg m;

	CHECK_EQ(region_map(a, 4, WINDOW(2), RW), 0);
	*word(a->vaddr) = 1;
	*word(a->vaddr + PAGE) = 2;
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, a->vaddr, 1, TERN_RIGHT_READ), TERN_EOK);
	CHECK_EQ(qflags(a->vaddr) & (TERN_QUERY_MAPPED | TERN_QUERY_PRESENT | TERN_QUERY_WRITE),
		 TERN_QUERY_MAPPED | TERN_QUERY_PRESENT);
	CHECK(qflags(a->vaddr + PAGE) & TERN_QUERY_WRITE); /* the split left page 1 alone */
	CHECK_EQ(*word(a->vaddr), 1);			   /* still readable */

	CHECK_EQ(fault_thread_start(t, writer_thread, a->vaddr), 0);
	CHECK_EQ(fault_wait(&m, FAULT_WAIT_MS), 0);
	print_fault(&m);
	CHECK_EQ(tern_msginfo_label(m.info), PF_LABEL);
	CHECK_EQ(m.mr[0], a->vaddr);
	CHECK(m.mr[1] & PF_WRITE);
	CHECK(!(m.mr[1] & TERN_FAULT_QUOTA));
	CHECK(m.mr[2] >= 0x400000 && m.mr[3] > t->stack.vaddr);
	CHECK_EQ(*word(a->vaddr), 1); /* the write did not happen */
	CHECK(!thread_done(0));

	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, a->vaddr, 1, RW), TERN_EOK);
	CHECK_EQ(fault_reply_label(0), TERN_EOK);
	CHECK(thread_done(FAULT_WAIT_MS));
	CHECK_EQ(*word(a->vaddr), 0x55);
	CHECK_EQ(*word(a->vaddr + PAGE), 2);
	return 0;
}

static int test_protect_fault(void)
{
	struct region a = { 0 };
	struct fault_thread t = { 0 };
	int r = protect_body(&a, &t);

	fault_thread_destroy(&t);
	region_free(&a);
	return r;
}

#define QUOTA_BYTES (64ul << 10)
#define QUOTA_MEMOBJ_PAGES 256

static volatile uint64_t quota_progress;

static void quota_toucher(uint64_t vaddr)
{
	for (uint64_t i = 0; i < QUOTA_MEMOBJ_PAGES; i++) {
		*word(vaddr + i * PAGE) = i;
		quota_progress = i + 1;
	}
	park();
}

static int quota_body(uint64_t q, struct region *a, struct fault_thread *t)
{
	struct tern_msg m;
	uint64_t used, limit;

	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, QUOTA_BYTES, TERN_SLOT_CNODE, q, 64), TERN_EOK);
	a->memobj = guest_slot();
	/* Bigger than its quota: fine, the pages come on touch. */
	CHECK_EQ(tern_quota_create(q, TERN_CAP_MEMOBJ, QUOTA_MEMOBJ_PAGES, TERN_SLOT_CNODE,
				   a->memobj, 64),
		 TERN_EOK);
	/* 4 KiB past a 2 MiB boundary: only 4 KiB pages. */
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(5) + PAGE, a->memobj, 0,
				 QUOTA_MEMOBJ_PAGES, RW),
		 TERN_EOK);
	a->vaddr = WINDOW(5) + PAGE;
	a->pages = QUOTA_MEMOBJ_PAGES;

	quota_progress = 0;
	CHECK_EQ(fault_thread_start(t, quota_toucher, a->vaddr), 0);
	CHECK_EQ(fault_wait(&m, FAULT_WAIT_MS), 0);
	print_fault(&m);
	tern_printf("memory: quota of %lu KiB exhausted after %lu pages\n", QUOTA_BYTES >> 10,
		    quota_progress);
	CHECK_EQ(tern_msginfo_label(m.info), PF_LABEL);
	CHECK(m.mr[1] & TERN_FAULT_QUOTA);
	CHECK(m.mr[1] & PF_WRITE);
	CHECK(quota_progress > 0 && quota_progress < QUOTA_MEMOBJ_PAGES);
	CHECK_EQ(m.mr[0], a->vaddr + quota_progress * PAGE);
	CHECK_EQ(tern_quota_query(q, &used, &limit), TERN_EOK);
	CHECK(used <= limit);
	CHECK_EQ(fault_reply_label(1), TERN_EOK);
	return 0;
}

static int test_quota_fault(void)
{
	struct region a = { 0 };
	struct fault_thread t = { 0 };
	uint64_t q = guest_slot();
	int r = quota_body(q, &a, &t);

	fault_thread_destroy(&t);
	region_free(&a);
	if (tern_cnode_delete(TERN_SLOT_CNODE, q, 64) != TERN_EOK)
		r = -1;
	return r;
}

/* Pages are charged to the MemObj's quota when created and given back
 * when it goes. */
static int quota_release_body(uint64_t q, struct region *a)
{
	uint64_t used0, used1, used2, limit;

	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, 1ul << 20, TERN_SLOT_CNODE, q, 64), TERN_EOK);
	CHECK_EQ(tern_quota_query(q, &used0, &limit), TERN_EOK);
	a->memobj = guest_slot();
	CHECK_EQ(tern_quota_create(q, TERN_CAP_MEMOBJ, 64, TERN_SLOT_CNODE, a->memobj, 64),
		 TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(10) + PAGE, a->memobj, 0, 64, RW),
		 TERN_EOK);
	a->vaddr = WINDOW(10) + PAGE;
	a->pages = 64;
	CHECK_EQ(tern_quota_query(q, &used1, &limit), TERN_EOK);
	CHECK(used1 - used0 < 64 * PAGE);
	for (uint64_t i = 0; i < 64; i++)
		*word(a->vaddr + i * PAGE) = i;
	CHECK_EQ(tern_quota_query(q, &used2, &limit), TERN_EOK);
	tern_printf("memory: quota used %lu, after creation %lu, after touching 64 pages %lu\n",
		    used0, used1, used2);
	/* The pages, and at most a page or two of the MemObj's page index. */
	CHECK(used2 - used1 >= 64 * PAGE && used2 - used1 <= 66 * PAGE);
	region_free(a);
	CHECK_EQ(tern_quota_query(q, &used2, &limit), TERN_EOK);
	CHECK_EQ(used2, used0);
	return 0;
}

static int test_quota_release(void)
{
	struct region a = { 0 };
	uint64_t q = guest_slot();
	int r = quota_release_body(q, &a);

	region_free(&a);
	if (tern_cnode_delete(TERN_SLOT_CNODE, q, 64) != TERN_EOK)
		r = -1;
	return r;
}

static uint64_t rtc_seconds(void)
{
	uint64_t v = 0;

	tern_ioport_out(TERN_SLOT_IOPORT, RTC_INDEX, 1, 0x80); /* seconds, NMIs masked */
	tern_ioport_in(TERN_SLOT_IOPORT, RTC_DATA, 1, &v);
	return v;
}

/*
 * An RTC tick (the seconds changing) lies between the last read that
 * showed the old second and the first that shows the new one, on the
 * clock page: [*lo, *hi]. Returns the new second, or ~0 past limit_ns. A
 * busy host can deschedule the vCPU between two reads and widen that
 * window (once by ~120 ms, failing a good clock), so clock_rate uses only
 * ticks located to within RTC_TICK_PRECISION_NS.
 */
static uint64_t rtc_tick(const volatile struct tern_clock_page *c, uint64_t limit_ns, uint64_t *lo,
			 uint64_t *hi)
{
	uint64_t s = rtc_seconds(), v, now;

	*lo = tern_clock_ns(c, rdtsc());
	for (;;) {
		now = tern_clock_ns(c, rdtsc());
		if ((v = rtc_seconds()) != s)
			break;
		*lo = now;
		if (now > limit_ns)
			return ~0ull;
	}
	*hi = tern_clock_ns(c, rdtsc());
	return (v >> 4) * 10 + (v & 0xf); /* BCD, QEMU's default */
}

/* Time at least RTC_SECONDS_MEASURED seconds between two precise ticks;
 * the clock page must agree within RTC_TOLERANCE_PERCENT. */
static int clock_rate(const volatile struct tern_clock_page *c)
{
	uint64_t limit = tern_clock_ns(c, rdtsc()) + 20000000000ull;
	uint64_t lo0 = 0, hi0 = 0, s0 = ~0ull, lo, hi, s, seconds = 0;
	unsigned imprecise = 0;

	for (;;) {
		s = rtc_tick(c, limit, &lo, &hi);
		CHECK(s != ~0ull);
		if (hi - lo > RTC_TICK_PRECISION_NS) {
			imprecise++;
		} else if (s0 == ~0ull) {
			s0 = s, lo0 = lo, hi0 = hi;
		} else if ((seconds = (s + 60 - s0) % 60) >= RTC_SECONDS_MEASURED) {
			break;
		}
	}
	uint64_t ns = (lo - hi0) / 2 + (hi - lo0) / 2, expect = seconds * 1000000000ull;
	uint64_t diff = ns > expect ? ns - expect : expect - ns;
	tern_printf("memory: %lu RTC seconds are %lu ns (+-%lu us) on the clock page "
		    "(%u imprecise ticks skipped)\n",
		    seconds, ns, ((hi - lo0) - (lo - hi0)) / 2000, imprecise);
	CHECK(diff * 100 <= expect * RTC_TOLERANCE_PERCENT);
	return 0;
}

static int clock_body(struct fault_thread *t)
{
	uint64_t va = guest_bootinfo->clock_vaddr, k[4];
	const volatile struct tern_clock_page *c = (const volatile struct tern_clock_page *)va;
	struct tern_msg m;

	CHECK(va != 0);
	CHECK_EQ(c->seq % 2, 0);
	CHECK_EQ(qflags(va) & (TERN_QUERY_MAPPED | TERN_QUERY_PRESENT | TERN_QUERY_WRITE),
		 TERN_QUERY_MAPPED | TERN_QUERY_PRESENT);
	CHECK_EQ(c->tsc_hz, guest_bootinfo->tsc_hz);
	uint64_t prev = tern_clock_ns(c, rdtsc());
	for (int i = 0; i < 100000; i++) {
		uint64_t now = tern_clock_ns(c, rdtsc());
		CHECK(now >= prev);
		prev = now;
	}
	/* The kernel's clock agrees. */
	uint64_t before = tern_clock_ns(c, rdtsc());
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, k), TERN_EOK);
	uint64_t after = tern_clock_ns(c, rdtsc());
	CHECK(before <= k[0] && k[0] <= after);
	CHECK_EQ(clock_rate(c), 0);

	/* Read-only: a write is a fault message. */
	CHECK_EQ(fault_thread_start(t, writer_thread, va), 0);
	CHECK_EQ(fault_wait(&m, FAULT_WAIT_MS), 0);
	CHECK_EQ(tern_msginfo_label(m.info), PF_LABEL);
	CHECK_EQ(m.mr[0], va);
	CHECK(m.mr[1] & PF_WRITE);
	CHECK_EQ(fault_reply_label(1), TERN_EOK);
	CHECK_EQ(c->tsc_hz, guest_bootinfo->tsc_hz);
	return 0;
}

static int test_clock_page(void)
{
	struct fault_thread t = { 0 };
	int r = clock_body(&t);

	fault_thread_destroy(&t);
	return r;
}

static const struct guest_case cases[] = {
	{ "frames_baseline", test_frames_baseline },
	{ "zero_fill", test_zero_fill },
	{ "shared_mapping", test_shared_mapping },
	{ "cow_clone", test_cow_clone },
	{ "cow_sparse", test_cow_sparse },
	{ "cow_huge", test_cow_huge },
	{ "cow_two_mappings", test_cow_two_mappings },
	{ "protect_fault", test_protect_fault },
	{ "protect_huge", test_protect_huge },
	{ "huge_pages", test_huge_pages },
	{ "huge_split", test_huge_split },
	{ "quota_fault", test_quota_fault },
	{ "quota_release", test_quota_release },
	{ "clock_page", test_clock_page },
	{ "vspace_fail_atomic", test_vspace_fail_atomic },
	{ "clone_needs_read_keeps_rights", test_clone_rights },
	{ "clone_charges_quota", test_clone_quota },
	{ "map_rights_bits", test_map_rights_bits },
	{ "short_message", test_short_message },
	{ "protect_exec_beyond_cap", test_protect_exec_beyond_cap },
	{ "huge_block_offset", test_huge_block_offset },
	{ "frames_returned", test_frames_returned },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("memory", cases, sizeof(cases) / sizeof(cases[0]));
}
