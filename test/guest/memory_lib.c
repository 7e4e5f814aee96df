/* The memory suite's helpers (memory.h). */
#include "memory.h"

#define FAULT_THREAD_AREA 0x510000000000ul
#define FAULT_THREAD_STACK_PAGES 4
#define FAULT_THREAD_PRIORITY 120

static uint64_t ms_to_tsc(uint64_t ms)
{
	return guest_bootinfo->tsc_hz / 1000 * ms;
}

int vm_counts(struct vm_counts *c)
{
	uint64_t o[4];

	if (tern_debug_query(TERN_DEBUG_QUERY_VM, 0, o) != TERN_EOK) {
		tern_printf("GUEST memory: DEBUG_QUERY_VM is not supported\n");
		return -1;
	}
	*c = (struct vm_counts){ o[0], o[1], o[2], o[3] };
	return 0;
}

struct vm_counts vm_delta(const struct vm_counts *a, const struct vm_counts *b)
{
	return (struct vm_counts){ b->faults - a->faults, b->zero_fills - a->zero_fills,
				   b->huge - a->huge, b->cow - a->cow };
}

/* TERN_QUERY_* flags of vaddr; ~0 when the query fails. */
uint64_t qflags(uint64_t vaddr)
{
	uint64_t out[3];

	return tern_vspace_query(TERN_SLOT_VSPACE, vaddr, out) == TERN_EOK ? out[0] : ~0ull;
}

/* Physical address of vaddr's page; 0 when not present or on failure. */
uint64_t qphys(uint64_t vaddr)
{
	uint64_t out[3];

	if (tern_vspace_query(TERN_SLOT_VSPACE, vaddr, out) != TERN_EOK ||
	    !(out[0] & TERN_QUERY_PRESENT))
		return 0;
	return out[1];
}

/* A fresh `pages`-page MemObj from the root quota, mapped at vaddr. */
int region_map(struct region *r, uint64_t pages, uint64_t vaddr, uint64_t rights)
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

void region_free(struct region *r)
{
	if (r->vaddr)
		tern_vspace_unmap(TERN_SLOT_VSPACE, r->vaddr, r->pages);
	if (r->memobj)
		tern_cnode_delete(TERN_SLOT_CNODE, r->memobj, 64);
	*r = (struct region){ 0 };
}

static uint64_t fault_ep, fault_reply, done_ntfn, park_ntfn;
static unsigned fault_thread_count;

/* Never signalled: a finished thread waits here for good. */
void park(void)
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
int fault_thread_start(struct fault_thread *t, void (*fn)(uint64_t), uint64_t arg)
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
	CHECK_EQ(tern_tcb_configure(t->tcb, fault_ep, base, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE,
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

void fault_thread_destroy(struct fault_thread *t)
{
	if (t->tcb)
		tern_cnode_delete(TERN_SLOT_CNODE, t->tcb, 64);
	region_free(&t->stack);
	region_free(&t->ipcbuf);
	*t = (struct fault_thread){ 0 };
}

/* Receive the next fault message within `ms`: 0, or -1 if none came. */
int fault_wait(struct tern_msg *m, uint64_t ms)
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
int thread_done(uint64_t ms)
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
int fault_reply_label(uint64_t label)
{
	struct tern_msg m = { .info = tern_msginfo(label, 0, 0) };

	return tern_reply(fault_reply, &m);
}

void print_fault(const struct tern_msg *m)
{
	tern_printf("memory: fault label 0x%lx addr 0x%lx error 0x%lx rip 0x%lx\n",
		    tern_msginfo_label(m->info), m->mr[0], m->mr[1], m->mr[2]);
}

void writer_thread(uint64_t vaddr)
{
	*word(vaddr) = 0x55;
	park();
}

static volatile uint64_t reader_sink;

void reader_thread(uint64_t vaddr)
{
	reader_sink = *word(vaddr);
	park();
}
