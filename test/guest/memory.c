/*
 * Memory, in the guest: anonymous MemObjs are lazy and read as zero;
 * POPULATE and the W^X rule of VSPACE_MAP; copy-on-write clones share
 * untouched pages and diverge on the first write; VSPACE_PROTECT turns a
 * write into a fault message, and the thread resumes once the handler
 * restores the right; 2 MiB pages back aligned anonymous blocks (and
 * only those); a partial unmap splits a huge page without losing the
 * rest; an exhausted quota is a fault message with TERN_FAULT_QUOTA; the
 * clock page is read-only and runs at the host's rate.
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
#include "guest.h"
#include "tern/caps.h"
#include "tern/clock.h"
#include "tern/errors.h"
#include "tern/fault.h"
#include "tern/invocation.h"
#include "tern/syscall.h"

#define PAGE 4096ul
#define HUGE (2ul << 20)
#define WORDS_PER_PAGE (PAGE / 8)
#define RW (TERN_RIGHT_READ | TERN_RIGHT_WRITE)
#define PF_LABEL (TERN_FAULT_LABEL_BASE + 14)
#define PF_WRITE 2ull
#define FAULT_WAIT_MS 5000
/* Each case has its own 1 GiB window (so 2 MiB aligned) from here. */
#define TEST_BASE 0x600000000000ul
#define WINDOW(n) (TEST_BASE + ((uint64_t)(n) << 30))
#define FAULT_THREAD_AREA 0x510000000000ul
#define FAULT_THREAD_STACK_PAGES 4
#define FAULT_THREAD_PRIORITY 120
#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define RTC_SECONDS_MEASURED 2
#define RTC_TOLERANCE_PERCENT 5

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t ms_to_tsc(uint64_t ms)
{
	return guest_bootinfo->tsc_hz / 1000 * ms;
}

static volatile uint64_t *word(uint64_t vaddr)
{
	return (volatile uint64_t *)vaddr;
}

/* ---- VM counters and queries ---- */

struct vm_counts {
	uint64_t faults, zero_fills, huge, cow;
};

static int vm_counts(struct vm_counts *c)
{
	uint64_t o[4];

	if (tern_debug_query(TERN_DEBUG_QUERY_VM, 0, o) != TERN_EOK) {
		tern_printf("GUEST memory: DEBUG_QUERY_VM is not supported\n");
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

/* TERN_QUERY_* flags of vaddr; ~0 when the query fails. */
static uint64_t qflags(uint64_t vaddr)
{
	uint64_t out[2];

	return tern_vspace_query(TERN_SLOT_VSPACE, vaddr, out) == TERN_EOK ? out[0] : ~0ull;
}

/* Physical address of vaddr's page; 0 when not present or on failure. */
static uint64_t qphys(uint64_t vaddr)
{
	uint64_t out[2];

	if (tern_vspace_query(TERN_SLOT_VSPACE, vaddr, out) != TERN_EOK ||
	    !(out[0] & TERN_QUERY_PRESENT))
		return 0;
	return out[1];
}

/* ---- Anonymous regions ---- */

struct region {
	uint64_t memobj, vaddr, pages;
};

/* A fresh `pages`-page MemObj from the root quota, mapped at vaddr. */
static int region_map(struct region *r, uint64_t pages, uint64_t vaddr, uint64_t rights)
{
	int err;

	r->memobj = guest_create(TERN_CAP_MEMOBJ, pages);
	r->vaddr = vaddr;
	r->pages = pages;
	if (!r->memobj)
		return -1;
	err = tern_vspace_map(TERN_SLOT_VSPACE, vaddr, r->memobj, 0, pages, rights);
	if (err) {
		tern_printf("GUEST memory: map of %lu pages at %lx: %s\n", pages, vaddr,
			    tern_strerror(err));
		return -1;
	}
	return 0;
}

static void region_free(struct region *r)
{
	if (r->vaddr)
		tern_vspace_unmap(TERN_SLOT_VSPACE, r->vaddr, r->pages);
	if (r->memobj)
		tern_cnode_delete(TERN_SLOT_CNODE, r->memobj, 64);
	*r = (struct region){ 0 };
}

/* ---- Threads whose faults we receive ---- */

static uint64_t fault_ep, fault_reply, done_ntfn, park_ntfn;
static unsigned fault_thread_count;

struct fault_thread {
	uint64_t tcb;
	struct region stack, ipcbuf;
};

/* Never signalled: a finished thread waits here for good. */
static void __attribute__((noreturn)) park(void)
{
	uint64_t bits;

	tern_signal(done_ntfn);
	for (;;)
		tern_wait(park_ntfn, &bits);
}

static int fault_objects(void)
{
	if (fault_ep)
		return 0;
	fault_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	fault_reply = guest_create(TERN_CAP_REPLY, 0);
	done_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	park_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	return fault_ep && fault_reply && done_ntfn && park_ntfn ? 0 : -1;
}

/* Like guest_thread, with our fault endpoint: runs fn(arg) at once. */
static int fault_thread_start(struct fault_thread *t, void (*fn)(uint64_t), uint64_t arg)
{
	uint64_t base = FAULT_THREAD_AREA + fault_thread_count++ * (64ul << 10);
	uint64_t bits;

	*t = (struct fault_thread){ 0 };
	CHECK_EQ(fault_objects(), 0);
	tern_poll(done_ntfn, &bits); /* forget an earlier thread's signal */
	t->tcb = guest_create(TERN_CAP_TCB, 0);
	CHECK(t->tcb);
	CHECK_EQ(region_map(&t->ipcbuf, 1, base, RW), 0);
	CHECK_EQ(region_map(&t->stack, FAULT_THREAD_STACK_PAGES, base + 2 * PAGE, RW), 0);
	CHECK_EQ(tern_tcb_configure(t->tcb, fault_ep, base, TERN_SLOT_CNODE, TERN_SLOT_VSPACE,
				    t->ipcbuf.memobj),
		 TERN_EOK);
	CHECK_EQ(tern_tcb_set_priority(t->tcb, FAULT_THREAD_PRIORITY), TERN_EOK);
	struct tern_regs r = { 0 };
	r.rip = (uint64_t)fn;
	r.rsp = base + (2 + FAULT_THREAD_STACK_PAGES) * PAGE - 8;
	r.rdi = arg;
	r.gs_base = base;
	CHECK_EQ(tern_tcb_write_registers(t->tcb, 1, &r), TERN_EOK);
	return 0;
}

static void fault_thread_destroy(struct fault_thread *t)
{
	if (t->tcb)
		tern_cnode_delete(TERN_SLOT_CNODE, t->tcb, 64);
	region_free(&t->stack);
	region_free(&t->ipcbuf);
	*t = (struct fault_thread){ 0 };
}

/* Receive the next fault message within `ms`: 0, or -1 if none came. */
static int fault_wait(struct tern_msg *m, uint64_t ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms);

	do {
		if (tern_nbrecv(fault_ep, fault_reply, m) == TERN_EOK)
			return 0;
		tern_yield();
	} while (rdtsc() < end);
	tern_printf("GUEST memory: no fault message within %lu ms\n", ms);
	return -1;
}

/* Whether the thread finished (signalled done) within `ms`. */
static int thread_done(uint64_t ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms), bits = 0;

	do {
		if (tern_poll(done_ntfn, &bits) == TERN_EOK && bits)
			return 1;
		tern_yield();
	} while (rdtsc() < end);
	return 0;
}

/* Reply to the fault: label 0 restarts the instruction, others leave the
 * thread suspended. */
static int fault_reply_label(uint64_t label)
{
	struct tern_msg m = { .info = tern_msginfo(label, 0, 0) };

	return tern_reply(fault_reply, &m);
}

static void print_fault(const struct tern_msg *m)
{
	tern_printf("memory: fault label 0x%lx addr 0x%lx error 0x%lx rip 0x%lx\n",
		    tern_msginfo_label(m->info), m->mr[0], m->mr[1], m->mr[2]);
}

static void writer_thread(uint64_t vaddr)
{
	*word(vaddr) = 0x55;
	park();
}

static volatile uint64_t reader_sink;

static void reader_thread(uint64_t vaddr)
{
	reader_sink = *word(vaddr);
	park();
}

/* ---- Cases ---- */

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

#define COW_PAGES 8
#define COW_WRITTEN 6 /* pages 0..5 written before the clone, 6..7 untouched */

static int cow_body(struct region *a, struct region *b)
{
	struct vm_counts v0, v1;

	CHECK_EQ(region_map(a, COW_PAGES, WINDOW(1), RW), 0);
	for (uint64_t i = 0; i < COW_WRITTEN; i++)
		*word(a->vaddr + i * PAGE) = 0x1000 + i;
	b->memobj = guest_slot();
	CHECK_EQ(tern_memobj_clone(a->memobj, TERN_SLOT_CNODE, b->memobj, 64), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(1) + HUGE, b->memobj, 0, COW_PAGES, RW),
		 TERN_EOK);
	b->vaddr = WINDOW(1) + HUGE;
	b->pages = COW_PAGES;

	/* Same contents, same frames. */
	for (uint64_t i = 0; i < COW_WRITTEN; i++) {
		CHECK_EQ(*word(b->vaddr + i * PAGE), 0x1000 + i);
		CHECK(qphys(a->vaddr + i * PAGE) != 0);
		CHECK_EQ(qphys(a->vaddr + i * PAGE), qphys(b->vaddr + i * PAGE));
	}
	CHECK_EQ(vm_counts(&v0), 0);
	*word(a->vaddr) = 0xaaaa;	 /* parent writes page 0 */
	*word(b->vaddr + PAGE) = 0xbbbb; /* clone writes page 1 */
	CHECK_EQ(vm_counts(&v1), 0);
	tern_printf("memory: cow copies for two writes: %lu\n", vm_delta(&v0, &v1).cow);
	CHECK(vm_delta(&v0, &v1).cow >= 2);

	CHECK_EQ(*word(a->vaddr), 0xaaaa);
	CHECK_EQ(*word(b->vaddr), 0x1000);
	CHECK_EQ(*word(b->vaddr + PAGE), 0xbbbb);
	CHECK_EQ(*word(a->vaddr + PAGE), 0x1001);
	CHECK(qphys(a->vaddr) != qphys(b->vaddr));
	CHECK(qphys(a->vaddr + PAGE) != qphys(b->vaddr + PAGE));
	for (uint64_t i = 2; i < COW_WRITTEN; i++)
		CHECK_EQ(qphys(a->vaddr + i * PAGE), qphys(b->vaddr + i * PAGE));

	/* Pages absent at the clone are zero on both sides, and private. */
	*word(a->vaddr + 6 * PAGE) = 6;
	CHECK_EQ(*word(b->vaddr + 6 * PAGE), 0);
	*word(b->vaddr + 7 * PAGE) = 7;
	CHECK_EQ(*word(a->vaddr + 7 * PAGE), 0);

	/* The clone outlives its parent, contents intact. */
	region_free(a);
	for (uint64_t i = 2; i < COW_WRITTEN; i++)
		CHECK_EQ(*word(b->vaddr + i * PAGE), 0x1000 + i);
	*word(b->vaddr + 2 * PAGE) = 0x2002;
	CHECK_EQ(*word(b->vaddr + 2 * PAGE), 0x2002);
	return 0;
}

static int test_cow_clone(void)
{
	struct region a = { 0 }, b = { 0 };
	int r = cow_body(&a, &b);

	region_free(&a);
	region_free(&b);
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

#define SPARSE_PAGES 32

/* A clone of a sparse MemObj: pages the clone faults in around an absent
 * page (fault-around) must be the parent's pages, shared, not zero. */
static int cow_sparse_body(struct region *a, struct region *b)
{
	CHECK_EQ(region_map(a, SPARSE_PAGES, WINDOW(7), RW), 0);
	for (uint64_t i = 0; i < SPARSE_PAGES; i += 2)
		*word(a->vaddr + i * PAGE) = 0x5000 + i;
	b->memobj = guest_slot();
	CHECK_EQ(tern_memobj_clone(a->memobj, TERN_SLOT_CNODE, b->memobj, 64), TERN_EOK);
	CHECK_EQ(
		tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(7) + HUGE, b->memobj, 0, SPARSE_PAGES, RW),
		TERN_EOK);
	b->vaddr = WINDOW(7) + HUGE;
	b->pages = SPARSE_PAGES;

	*word(b->vaddr + 9 * PAGE) = 9; /* an absent page, amid shared ones */
	for (uint64_t i = 0; i < SPARSE_PAGES; i += 2) {
		CHECK_EQ(*word(b->vaddr + i * PAGE), 0x5000 + i);
		CHECK_EQ(qphys(b->vaddr + i * PAGE), qphys(a->vaddr + i * PAGE));
		CHECK_EQ(*word(a->vaddr + (i + 1) * PAGE), 0);
	}
	for (uint64_t i = 1; i < SPARSE_PAGES; i += 2)
		if (i != 9)
			CHECK_EQ(*word(b->vaddr + i * PAGE), 0);
	*word(b->vaddr + 8 * PAGE) = 8;
	*word(a->vaddr + 10 * PAGE) = 10;
	CHECK_EQ(*word(a->vaddr + 8 * PAGE), 0x5008);
	CHECK_EQ(*word(b->vaddr + 10 * PAGE), 0x500a);
	CHECK_EQ(*word(a->vaddr + 9 * PAGE), 0);
	return 0;
}

static int test_cow_sparse(void)
{
	struct region a = { 0 }, b = { 0 };
	int r = cow_sparse_body(&a, &b);

	region_free(&a);
	region_free(&b);
	return r;
}

/* A clone of a MemObj backed by a huge page diverges page by page. */
static int cow_huge_body(struct region *a, struct region *b)
{
	struct vm_counts v0, v1, d;

	CHECK_EQ(region_map(a, 512, WINDOW(8), RW), 0);
	for (uint64_t i = 0; i < 512; i++)
		*word(a->vaddr + i * PAGE) = 0x7000 + i;
	CHECK(qflags(a->vaddr) & TERN_QUERY_HUGE);
	b->memobj = guest_slot();
	CHECK_EQ(tern_memobj_clone(a->memobj, TERN_SLOT_CNODE, b->memobj, 64), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, WINDOW(8) + HUGE, b->memobj, 0, 512, RW),
		 TERN_EOK);
	b->vaddr = WINDOW(8) + HUGE;
	b->pages = 512;
	CHECK_EQ(vm_counts(&v0), 0);
	*word(b->vaddr + 10 * PAGE) = 10;
	*word(a->vaddr + 20 * PAGE) = 20;
	CHECK_EQ(vm_counts(&v1), 0);
	d = vm_delta(&v0, &v1);
	tern_printf("memory: huge clone, two writes: %lu faults, %lu copies, %lu huge pages\n",
		    d.faults, d.cow, d.huge);
	for (uint64_t i = 0; i < 512; i++) {
		CHECK_EQ(*word(a->vaddr + i * PAGE), i == 20 ? 20 : 0x7000 + i);
		CHECK_EQ(*word(b->vaddr + i * PAGE), i == 10 ? 10 : 0x7000 + i);
	}
	CHECK(d.cow >= 2);
	return 0;
}

static int test_cow_huge(void)
{
	struct region a = { 0 }, b = { 0 };
	int r = cow_huge_body(&a, &b);

	region_free(&a);
	region_free(&b);
	return r;
}

/* Protecting one page of a huge page splits it; the rest keeps its
 * contents and rights, and a write to that page is a fault. */
static int protect_huge_body(struct region *a, struct fault_thread *t)
{
	struct tern_msg m;
	uint64_t ro = WINDOW(9) + 7 * PAGE;

	CHECK_EQ(region_map(a, 512, WINDOW(9), RW), 0);
	for (uint64_t i = 0; i < 512; i++)
		*word(a->vaddr + i * PAGE) = 0x9000 + i;
	CHECK(qflags(a->vaddr) & TERN_QUERY_HUGE);
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, ro, 1, TERN_RIGHT_READ), TERN_EOK);
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t va = a->vaddr + i * PAGE, f = qflags(va);
		CHECK_EQ(f & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE), TERN_QUERY_PRESENT);
		CHECK_EQ(!!(f & TERN_QUERY_WRITE), va != ro);
		CHECK_EQ(*word(va), 0x9000 + i);
	}
	*word(ro + PAGE) = 1;
	CHECK_EQ(fault_thread_start(t, writer_thread, ro), 0);
	CHECK_EQ(fault_wait(&m, FAULT_WAIT_MS), 0);
	CHECK_EQ(tern_msginfo_label(m.info), PF_LABEL);
	CHECK_EQ(m.mr[0], ro);
	CHECK(m.mr[1] & PF_WRITE);
	CHECK_EQ(fault_reply_label(1), TERN_EOK);
	CHECK_EQ(*word(ro), 0x9007);
	return 0;
}

static int test_protect_huge(void)
{
	struct region a = { 0 };
	struct fault_thread t = { 0 };
	int r = protect_huge_body(&a, &t);

	fault_thread_destroy(&t);
	region_free(&a);
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

/* 4 MiB at a 2 MiB boundary, one write per 2 MiB: two huge pages, no
 * 4 KiB zero fill. */
static int huge_aligned(struct region *a)
{
	struct vm_counts v0, v1, d;

	CHECK_EQ(region_map(a, 1024, WINDOW(3), RW), 0);
	CHECK_EQ(vm_counts(&v0), 0);
	*word(a->vaddr) = 1;
	*word(a->vaddr + HUGE + 64) = 2;
	CHECK_EQ(vm_counts(&v1), 0);
	d = vm_delta(&v0, &v1);
	tern_printf("memory: 4 MiB aligned: %lu faults, %lu zero fills, %lu huge pages\n", d.faults,
		    d.zero_fills, d.huge);
	CHECK_EQ(d.huge, 2);
	CHECK_EQ(d.zero_fills, 0);
	for (uint64_t off = 0; off < 2 * HUGE; off += HUGE / 4) {
		uint64_t f = qflags(a->vaddr + off + 5 * PAGE);
		CHECK_EQ(f & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE),
			 TERN_QUERY_PRESENT | TERN_QUERY_HUGE);
	}
	CHECK_EQ(qphys(a->vaddr) % HUGE, 0);
	for (uint64_t i = 1; i < 1024; i++)
		if (i != 512)
			CHECK_EQ(*word(a->vaddr + i * PAGE), 0);
	CHECK_EQ(*word(a->vaddr + HUGE + 64), 2);
	return 0;
}

/* Mapped 4 KiB past a 2 MiB boundary: with MemObj offset 0 no block is
 * eligible; with offset 1 the block at the next boundary is (its first
 * page is MemObj page 512), the partial first block is not. */
static int huge_offsets(struct region *b, struct region *c)
{
	struct vm_counts v0, v1;

	CHECK_EQ(region_map(b, 1024, WINDOW(3) + 4 * HUGE + PAGE, RW), 0);
	CHECK_EQ(vm_counts(&v0), 0);
	*word(WINDOW(3) + 5 * HUGE) = 3;
	CHECK_EQ(vm_counts(&v1), 0);
	CHECK_EQ(vm_delta(&v0, &v1).huge, 0);
	CHECK_EQ(qflags(WINDOW(3) + 5 * HUGE) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE),
		 TERN_QUERY_PRESENT);

	c->memobj = guest_create(TERN_CAP_MEMOBJ, 1024);
	CHECK(c->memobj);
	c->vaddr = WINDOW(3) + 8 * HUGE + PAGE;
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, c->vaddr, c->memobj, 1, 1023, RW), TERN_EOK);
	c->pages = 1023;
	*word(c->vaddr) = 4;
	*word(WINDOW(3) + 9 * HUGE) = 5;
	CHECK_EQ(qflags(c->vaddr) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE), TERN_QUERY_PRESENT);
	CHECK_EQ(qflags(WINDOW(3) + 9 * HUGE) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE),
		 TERN_QUERY_PRESENT | TERN_QUERY_HUGE);
	return 0;
}

static int test_huge_pages(void)
{
	struct region a = { 0 }, b = { 0 }, c = { 0 };
	int r = huge_aligned(&a);

	if (r == 0)
		r = huge_offsets(&b, &c);
	region_free(&a);
	region_free(&b);
	region_free(&c);
	return r;
}

static int huge_split_body(struct region *a, struct fault_thread *t)
{
	struct tern_msg m;

	CHECK_EQ(region_map(a, 512, WINDOW(4), RW), 0);
	uint64_t hole = a->vaddr + 100 * PAGE;
	for (uint64_t i = 0; i < 512; i++)
		*word(a->vaddr + i * PAGE) = 0xc0de0000 + i;
	CHECK(qflags(a->vaddr) & TERN_QUERY_HUGE);

	/* Drop the upper half and a 4-page hole in the lower one. */
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, a->vaddr + 256 * PAGE, 256), TERN_EOK);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, hole, 4), TERN_EOK);
	for (uint64_t i = 0; i < 256; i++) {
		uint64_t va = a->vaddr + i * PAGE;
		if (va >= hole && va < hole + 4 * PAGE) {
			CHECK_EQ(qflags(va), 0);
			continue;
		}
		CHECK_EQ(qflags(va) & (TERN_QUERY_PRESENT | TERN_QUERY_HUGE | TERN_QUERY_WRITE),
			 TERN_QUERY_PRESENT | TERN_QUERY_WRITE);
		CHECK_EQ(*word(va), 0xc0de0000 + i);
	}
	CHECK_EQ(qflags(a->vaddr + 256 * PAGE), 0);
	CHECK_EQ(qflags(a->vaddr + 511 * PAGE), 0);
	*word(a->vaddr + 99 * PAGE) = 99;
	CHECK_EQ(*word(a->vaddr + 99 * PAGE), 99);

	/* A read of the unmapped half is a fault (read, not write). */
	CHECK_EQ(fault_thread_start(t, reader_thread, a->vaddr + 300 * PAGE), 0);
	CHECK_EQ(fault_wait(&m, FAULT_WAIT_MS), 0);
	print_fault(&m);
	CHECK_EQ(tern_msginfo_label(m.info), PF_LABEL);
	CHECK_EQ(m.mr[0], a->vaddr + 300 * PAGE);
	CHECK(!(m.mr[1] & PF_WRITE));
	CHECK(!(m.mr[1] & TERN_FAULT_QUOTA));
	CHECK_EQ(fault_reply_label(1), TERN_EOK); /* leave it suspended */
	CHECK(!thread_done(10));
	/* Unmap the pieces that are left, so region_free does not trip. */
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, a->vaddr, 100), TERN_EOK);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, hole + 4 * PAGE, 152), TERN_EOK);
	CHECK_EQ(qflags(a->vaddr + 200 * PAGE), 0);
	a->vaddr = 0;
	return 0;
}

static int test_huge_split(void)
{
	struct region a = { 0 };
	struct fault_thread t = { 0 };
	int r = huge_split_body(&a, &t);

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

static uint64_t rtc_seconds(void)
{
	uint64_t v = 0;

	tern_ioport_out(TERN_SLOT_IOPORT, RTC_INDEX, 1, 0x80); /* seconds, NMIs masked */
	tern_ioport_in(TERN_SLOT_IOPORT, RTC_DATA, 1, &v);
	return v;
}

/* Spin until the RTC's seconds change; the clock page's ns then, or 0. */
static uint64_t wait_rtc_tick(const volatile struct tern_clock_page *c, uint64_t limit_ns)
{
	uint64_t s = rtc_seconds();

	while (rtc_seconds() == s)
		if (tern_clock_ns(c, rdtsc()) > limit_ns)
			return 0;
	return tern_clock_ns(c, rdtsc());
}

static int clock_rate(const volatile struct tern_clock_page *c)
{
	uint64_t limit = tern_clock_ns(c, rdtsc()) + 10000000000ull;
	uint64_t t0 = wait_rtc_tick(c, limit), t1 = t0;

	for (int i = 0; t1 && i < RTC_SECONDS_MEASURED; i++)
		t1 = wait_rtc_tick(c, limit);
	CHECK(t0 && t1);
	uint64_t ns = t1 - t0, expect = RTC_SECONDS_MEASURED * 1000000000ull;
	uint64_t diff = ns > expect ? ns - expect : expect - ns;
	tern_printf("memory: %u RTC seconds are %lu ns on the clock page\n", RTC_SECONDS_MEASURED,
		    ns);
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
	{ "zero_fill", test_zero_fill },	 { "shared_mapping", test_shared_mapping },
	{ "cow_clone", test_cow_clone },	 { "cow_sparse", test_cow_sparse },
	{ "cow_huge", test_cow_huge },		 { "protect_fault", test_protect_fault },
	{ "protect_huge", test_protect_huge },	 { "huge_pages", test_huge_pages },
	{ "huge_split", test_huge_split },	 { "quota_fault", test_quota_fault },
	{ "quota_release", test_quota_release }, { "clock_page", test_clock_page },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("memory", cases, sizeof(cases) / sizeof(cases[0]));
}
