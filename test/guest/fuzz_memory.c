/*
 * The fuzzer's memory part (fuzz.h).
 *
 * Random calls: VSPACE_MAP of MemObjs of random sizes (2 MiB multiples
 * among them, so huge pages occur) at random offsets with random
 * TERN_MAP_POPULATE and TERN_MAP_WX; UNMAP and PROTECT of ranges that
 * cover parts of several mappings and of 2 MiB pages, with valid and
 * invalid rights; QUERY; MEMOBJ_CLONE of any MemObj (clones of clones
 * too).
 *
 * Accesses: a helper thread in our address space reads and writes the
 * addresses of the map window that we choose (a job), so the kernel
 * resolves page faults there: zero fills, huge pages, copy-on-write. Its
 * fault endpoint is an endpoint we receive on. A fault the kernel could
 * not resolve (nothing mapped, a missing right, the quota exhausted)
 * comes to us and we either repair it (map a fresh MemObj there, protect
 * the page read-write, delete something to free quota) and resume the
 * helper, or leave it suspended and start it again at its entry.
 *
 * Checks: a job that wrote and read back the same words must read what it
 * wrote (unless a repair deleted something); the last address a finished
 * job touched must be present in VSPACE_QUERY, writable after a write. A
 * copy-on-write check writes a fresh MemObj, clones it (or a clone of
 * the clone), writes both sides and reads each back.
 */
#include "fuzz.h"

/* Slots that tern_spawn leaves free below TERN_CHILD_SLOT_FIRST_FREE. */
#define HELPER_SLOT_TCB 5
#define HELPER_SLOT_EP 6
#define HELPER_SLOT_FAULT 7 /* the endpoint with FAULT_BADGE: the helper's fault endpoint */
#define HELPER_SLOT_DONE 8  /* with DONE_BADGE: where it reports a finished job */
#define HELPER_SLOT_NTFN 9  /* signalled to start a job */
#define HELPER_SLOT_REPLY 13
#define HELPER_SLOT_IPCBUF 14
#define HELPER_IPC_VA 0x500000000000ul /* outside the window, so never unmapped */
#define HELPER_STACK_BYTES 16384
#define DONE_BADGE 0x646f6e65
#define FAULT_BADGE 0x666c74
#define MAX_REPAIRS 4
#define JOB_MAX 40
#define RECENT 16
#define COW_WORDS 8
#define RW (TERN_RIGHT_READ | TERN_RIGHT_WRITE)
#define PF_VECTOR 14

/*
 * Kernel bug found by this fuzzer: VSPACE_QUERY of an address above
 * USER_TOP walks the kernel half's page tables, takes a 1 GiB page of the
 * direct map for a table and panics on a page fault (vspace_query,
 * kernel/object/vspace.c). Set to 1 once that is fixed.
 */
#define FUZZ_QUERY_KERNEL_HALF 1

struct job {
	unsigned n;
	uint64_t addr[JOB_MAX];
	bool write[JOB_MAX];
	uint64_t value[JOB_MAX];  /* what a write stores */
	uint64_t result[JOB_MAX]; /* what a read found */
};

static volatile struct job job;
/* FUZZ_TRACE=1 at build time: print every job, message and repair. */
#ifndef FUZZ_TRACE
#define FUZZ_TRACE 0
#endif
static uint8_t helper_stack[HELPER_STACK_BYTES] __attribute__((aligned(16)));
/* Window ranges of our last successful maps, where most accesses go. */
static struct {
	uint64_t va, pages;
} recent[RECENT];
static unsigned recent_next;

static uint64_t vm_start[4];
static struct {
	uint64_t jobs, accesses, finished, faults, quota_faults, repairs, restarts, strays;
	uint64_t odd_faults, wrong_reads, wrong_queries, cow_checks, cow_verified;
} st;

bool fuzzmem_slot(uint64_t s)
{
	return s == HELPER_SLOT_TCB || s == HELPER_SLOT_EP || s == HELPER_SLOT_FAULT ||
	       s == HELPER_SLOT_DONE || s == HELPER_SLOT_NTFN || s == HELPER_SLOT_REPLY ||
	       s == HELPER_SLOT_IPCBUF;
}

/* The helper thread: runs a job per signal, then reports. Register-only
 * calls, so it needs no IPC buffer of its own. */
static void helper_main(uint64_t arg)
{
	(void)arg;
	for (;;) {
		tern_wait(HELPER_SLOT_NTFN, NULL);
		for (unsigned i = 0; i < job.n; i++) {
			volatile uint64_t *p = (volatile uint64_t *)job.addr[i];
			if (job.write[i])
				*p = job.value[i];
			else
				job.result[i] = *p;
		}
		struct tern_msg m = { .info = tern_msginfo(1, 0, 0) };
		tern_send(HELPER_SLOT_DONE, &m);
	}
}

static int helper_restart(void)
{
	struct tern_regs r = { 0 };

	r.rip = (uint64_t)helper_main;
	r.rsp = (uint64_t)(helper_stack + HELPER_STACK_BYTES) - 8;
	r.gs_base = HELPER_IPC_VA;
	return tern_tcb_write_registers(HELPER_SLOT_TCB, 1, &r);
}

static int create(uint64_t type, uint64_t size, uint64_t slot)
{
	int err = tern_quota_create(FUZZ_SLOT_QUOTA, type, size, TERN_CHILD_SLOT_CNODE, slot, 64);

	if (err == TERN_EOK)
		shadow[slot] = (uint8_t)type;
	return err;
}

int fuzzmem_start(void)
{
	tern_debug_query(TERN_DEBUG_QUERY_VM, 0, vm_start);
	/* Its stack exists before the quota can run out. */
	for (unsigned i = 0; i < HELPER_STACK_BYTES; i += PAGE)
		((volatile uint8_t *)helper_stack)[i] = 0;
	if (create(TERN_CAP_TCB, 0, HELPER_SLOT_TCB) ||
	    create(TERN_CAP_ENDPOINT, 0, HELPER_SLOT_EP) ||
	    create(TERN_CAP_NOTIFICATION, 0, HELPER_SLOT_NTFN) ||
	    create(TERN_CAP_REPLY, 0, HELPER_SLOT_REPLY) ||
	    create(TERN_CAP_MEMOBJ, 1, HELPER_SLOT_IPCBUF) ||
	    tern_cnode_mint(TERN_CHILD_SLOT_CNODE, HELPER_SLOT_FAULT, 64, HELPER_SLOT_EP, 64,
			    TERN_RIGHTS_ALL, FAULT_BADGE) ||
	    tern_cnode_mint(TERN_CHILD_SLOT_CNODE, HELPER_SLOT_DONE, 64, HELPER_SLOT_EP, 64,
			    TERN_RIGHTS_ALL, DONE_BADGE) ||
	    tern_vspace_map(TERN_CHILD_SLOT_VSPACE, HELPER_IPC_VA, HELPER_SLOT_IPCBUF, 0, 1,
			    RW | TERN_MAP_POPULATE) ||
	    tern_tcb_configure(HELPER_SLOT_TCB, HELPER_SLOT_FAULT, HELPER_IPC_VA, 0,
			       TERN_CHILD_SLOT_CNODE, TERN_CHILD_SLOT_VSPACE, HELPER_SLOT_IPCBUF) ||
	    tern_tcb_set_priority(HELPER_SLOT_TCB, FUZZ_PRIORITY))
		return -1;
	shadow[HELPER_SLOT_FAULT] = shadow[HELPER_SLOT_DONE] = TERN_CAP_ENDPOINT;
	return helper_restart();
}

uint64_t fuzzmem_stop(void)
{
	static const uint8_t slots[] = { HELPER_SLOT_TCB,   HELPER_SLOT_FAULT, HELPER_SLOT_DONE,
					 HELPER_SLOT_EP,    HELPER_SLOT_NTFN,  HELPER_SLOT_REPLY,
					 HELPER_SLOT_IPCBUF };

	uint64_t vm[4] = { 0 };

	tern_debug_query(TERN_DEBUG_QUERY_VM, 0, vm);
	tern_tcb_suspend(HELPER_SLOT_TCB);
	for (unsigned i = 0; i < COUNT(slots); i++) {
		tern_cnode_delete(TERN_CHILD_SLOT_CNODE, slots[i], 64);
		shadow[slots[i]] = SH_NULL;
	}
	tern_printf("fuzz: memory: %lu jobs (%lu accesses), %lu finished, %lu faults to us "
		    "(%lu quota, %lu odd), %lu repaired, %lu restarts, %lu stray messages\n",
		    st.jobs, st.accesses, st.finished, st.faults, st.quota_faults, st.odd_faults,
		    st.repairs, st.restarts, st.strays);
	tern_printf("fuzz: memory: %lu copy-on-write checks, %lu verified; %lu wrong reads, "
		    "%lu wrong queries\n",
		    st.cow_checks, st.cow_verified, st.wrong_reads, st.wrong_queries);
	tern_printf("fuzz: memory: in the kernel: %lu faults resolved, %lu zero fills, %lu huge "
		    "pages, %lu copies\n",
		    vm[0] - vm_start[0], vm[1] - vm_start[1], vm[2] - vm_start[2],
		    vm[3] - vm_start[3]);
	return st.wrong_reads + st.wrong_queries;
}

/* Random calls. */

static const uint64_t rights_list[] = {
	TERN_RIGHT_READ,
	RW,
	RW,
	RW,
	TERN_RIGHT_READ | TERN_RIGHT_EXEC,
	RW | TERN_RIGHT_EXEC, /* W^X: refused */
	RW | TERN_RIGHT_EXEC | TERN_MAP_WX,
	TERN_RIGHTS_ALL,
	TERN_RIGHT_WRITE,
	TERN_RIGHT_EXEC,
	0,
	TERN_MAP_WX,
	RW | 1u << 10,
	RW | 1ul << 32,
};

static uint64_t pick_rights(bool map)
{
	uint64_t r = chance(90) ? rights_list[below(COUNT(rights_list))] : fuzz_word();

	if (chance(map ? 15 : 3))
		r |= TERN_MAP_POPULATE;
	if (chance(5))
		r |= TERN_MAP_WX;
	return r;
}

/* A page of the window: often on or next to a 2 MiB boundary. */
static uint64_t window_addr(void)
{
	uint64_t block = WINDOW + below(WINDOW_PAGES / 512) * HUGE_PAGE;

	switch (below(4)) {
	case 0:
		return block;
	case 1: {
		uint64_t va = block + below(9) * PAGE - 4 * PAGE;
		return va < WINDOW ? WINDOW : va;
	}
	default:
		return WINDOW + below(WINDOW_PAGES) * PAGE;
	}
}

/* Pages from va: a few, a 2 MiB block give or take one, or more. */
static uint64_t window_pages(uint64_t va)
{
	uint64_t left = (WINDOW_END - va) / PAGE, n;

	switch (below(6)) {
	case 0:
	case 1:
		n = 1 + below(8);
		break;
	case 2:
		n = 511 + below(3);
		break;
	case 3:
		n = 1 + below(1024);
		break;
	case 4:
		n = 1 + below(left);
		break;
	default:
		n = 1 + below(64);
	}
	return n > left ? left : n;
}

static uint64_t object_pages(void)
{
	static const uint64_t sizes[] = { 1, 2, 3, 8, 16, 511, 512, 513, 1024, 1025, 1536, 2048 };

	return chance(85) ? sizes[below(COUNT(sizes))] : 1 + below(2048);
}

static void gen_create(struct fuzz_call *c)
{
	uint64_t w[5] = { TERN_CAP_MEMOBJ, object_pages() };

	pick_dest(&w[2]);
	invocation(c, chance(80) ? FUZZ_SLOT_QUOTA : pick_typed(TERN_CAP_QUOTA),
		   TERN_INV_QUOTA_CREATE, w, 5, 0);
}

static void gen_map(struct fuzz_call *c, bool own, uint64_t vs)
{
	uint64_t m = pick_typed(TERN_CAP_MEMOBJ), size = 0, w[4];

	w[0] = own || chance(80) ? window_addr() : fuzz_word();
	/* Only where the shadow is sure: a Call on an endpoint would block. */
	if (m >= SLOTS || shadow[m] != TERN_CAP_MEMOBJ || tern_memobj_size(m, &size) != TERN_EOK ||
	    size == 0)
		size = 1 + below(8);
	switch (below(10)) {
	case 0 ... 3:
		w[1] = 0;
		break;
	case 4 ... 5:
		w[1] = below(size / 512 + 1) * 512;
		break;
	case 6 ... 8:
		w[1] = below(size);
		break;
	default:
		w[1] = fuzz_word();
	}
	uint64_t left = w[1] < size ? size - w[1] : 1;
	if (chance(30))
		w[2] = left;
	else if (chance(90))
		w[2] = 1 + below(left);
	else
		w[2] = fuzz_word();
	if (own && w[0] >= WINDOW && w[0] < WINDOW_END && w[2] > (WINDOW_END - w[0]) / PAGE)
		w[2] = (WINDOW_END - w[0]) / PAGE;
	w[3] = pick_rights(true);
	tern_ipc_buffer()->send_caps[0] = m;
	invocation(c, vs, TERN_INV_VSPACE_MAP, w, 4, 1);
}

void fuzzmem_gen(struct fuzz_call *c)
{
	bool own = chance(75);
	uint64_t vs = own ? TERN_CHILD_SLOT_VSPACE : pick_typed(TERN_CAP_VSPACE), w[3];

	switch (below(16)) {
	case 0 ... 2:
		gen_create(c);
		return;
	case 3 ... 6:
		gen_map(c, own, vs);
		return;
	case 7 ... 8:
		w[0] = window_addr();
		w[1] = chance(90) ? window_pages(w[0]) : fuzz_word();
		invocation(c, vs, TERN_INV_VSPACE_UNMAP, w, 2, 0);
		return;
	case 9 ... 11:
		w[0] = window_addr();
		w[1] = chance(90) ? window_pages(w[0]) : fuzz_word();
		w[2] = pick_rights(false);
		invocation(c, vs, TERN_INV_VSPACE_PROTECT, w, 3, 0);
		return;
	case 12 ... 13:
		w[0] = chance(85) ? window_addr() + below(PAGE) : fuzz_word();
		invocation(c, vs, TERN_INV_VSPACE_QUERY, w, 1, 0);
		return;
	default:
		pick_dest(w);
		tern_ipc_buffer()->send_caps[0] =
			chance(80) ? FUZZ_SLOT_QUOTA : pick_typed(TERN_CAP_QUOTA);
		invocation(c, pick_typed(TERN_CAP_MEMOBJ), TERN_INV_MEMOBJ_CLONE, w, 3, 1);
	}
}

void fuzzmem_sanitize(struct fuzz_call *c)
{
	struct tern_sysregs *r = &c->r;
	uint64_t label = tern_msginfo_label(r->rsi);

	if (c->num != TERN_SYS_CALL)
		return;
	if (!FUZZ_QUERY_KERNEL_HALF && label == TERN_INV_VSPACE_QUERY && r->mr[0] >= USER_TOP_)
		r->mr[0] &= USER_TOP_ - 1;
	if (r->rdi == TERN_CHILD_SLOT_VSPACE && label == TERN_INV_VSPACE_PROTECT &&
	    !in_window(r->mr[0], r->mr[1]))
		r->rdi = NO_CAP;
	/* A thread of ours with our fault endpoint would confuse the helper's
	 * protocol (it is named only if bit flips make it so). */
	if (label == TERN_INV_TCB_CONFIGURE && fuzzmem_slot(r->mr[0]))
		r->mr[0] = 0;
}

static void remember(uint64_t va, uint64_t pages)
{
	recent[recent_next].va = va;
	recent[recent_next].pages = pages;
	recent_next = (recent_next + 1) % RECENT;
}

void fuzzmem_track(const struct fuzz_call *in)
{
	if (in->num == TERN_SYS_CALL && in->r.rdi == TERN_CHILD_SLOT_VSPACE &&
	    tern_msginfo_label(in->r.rsi) == TERN_INV_VSPACE_MAP)
		remember(in->r.mr[0], in->r.mr[2]);
}

/* Accesses. */

static void add(uint64_t addr, bool write, uint64_t value)
{
	if (job.n == JOB_MAX)
		return;
	job.addr[job.n] = addr;
	job.write[job.n] = write;
	job.value[job.n] = value;
	job.result[job.n] = 0;
	job.n++;
}

static uint64_t query(uint64_t va, uint64_t *phys)
{
	uint64_t out[3] = { 0, 0, 0 };

	if (tern_vspace_query(TERN_CHILD_SLOT_VSPACE, va, out) != TERN_EOK)
		return ~0ul;
	if (phys)
		*phys = out[1];
	return out[0];
}

/* Repair what made the helper fault at addr; false to give up. A repair
 * that deletes something clears *clean: memory it wrote may be gone. */
static bool repair(uint64_t addr, uint64_t code, bool *clean)
{
	uint64_t page = addr & ~(PAGE - 1), s;

	if (code & TERN_FAULT_QUOTA) {
		s = typed_slot(SH_UNKNOWN);
		if (kept_slot(s))
			return false;
		if (FUZZ_TRACE)
			tern_printf(" delete %lu\n", s);
		tern_cnode_delete(TERN_CHILD_SLOT_CNODE, s, 64);
		shadow[s] = SH_NULL;
		*clean = false;
		return true;
	}
	uint64_t flags = query(page, NULL);
	if (flags == ~0ul)
		return false;
	if (flags & TERN_QUERY_MAPPED) {
		/* A right is missing: protect the page, or its 2 MiB block. */
		uint64_t lo = chance(60) ? page : page & ~(HUGE_PAGE - 1);
		uint64_t n = lo == page ? 1 + below(4) : 512;
		if (n > (WINDOW_END - lo) / PAGE)
			n = (WINDOW_END - lo) / PAGE;
		uint64_t rights = chance(85) ? RW : RW | TERN_RIGHT_EXEC | TERN_MAP_WX;
		if (FUZZ_TRACE)
			tern_printf(" protect %lx %lu %lx\n", lo, n, rights);
		return tern_vspace_protect(TERN_CHILD_SLOT_VSPACE, lo, n, rights) == TERN_EOK;
	}
	/* Nothing there: a fresh MemObj, sometimes a whole 2 MiB block. */
	s = free_slot();
	if (kept_slot(s) || shadow[s] != SH_NULL)
		return false;
	bool block = chance(30);
	uint64_t va = block ? page & ~(HUGE_PAGE - 1) : page, n = block ? 512 : 1 + below(16);
	if (n > (WINDOW_END - va) / PAGE)
		n = (WINDOW_END - va) / PAGE;
	if (create(TERN_CAP_MEMOBJ, n, s) != TERN_EOK)
		return false;
	uint64_t rights = RW | (chance(20) ? TERN_MAP_POPULATE : 0);
	if (FUZZ_TRACE)
		tern_printf(" map %lx %lu %lx\n", va, n, rights);
	if (tern_vspace_map(TERN_CHILD_SLOT_VSPACE, va, s, 0, n, rights) == TERN_EOK) {
		remember(va, n);
		return true;
	}
	if (tern_vspace_map(TERN_CHILD_SLOT_VSPACE, page, s, 0, 1, RW) == TERN_EOK) {
		remember(page, 1);
		return true;
	}
	tern_cnode_delete(TERN_CHILD_SLOT_CNODE, s, 64);
	shadow[s] = SH_NULL;
	return false;
}

/* Run the job: true if the helper finished it; *clean as in repair(). */
static bool run_job(bool *clean)
{
	unsigned repairs = 0;

	*clean = true;
	st.jobs++;
	st.accesses += job.n;
	if (FUZZ_TRACE)
		tern_printf("job %lu n %u a0 %lx w %d\n", st.jobs, job.n, job.addr[0],
			    job.write[0]);
	tern_signal(HELPER_SLOT_NTFN);
	for (;;) {
		struct tern_msg m = { 0 };
		if (tern_recv(HELPER_SLOT_EP, HELPER_SLOT_REPLY, &m) != TERN_EOK) {
			st.strays++;
			continue;
		}
		if (FUZZ_TRACE)
			tern_printf(" msg badge %lx label %lx mr %lx %lx %lx\n", m.badge,
				    tern_msginfo_label(m.info), m.mr[0], m.mr[1], m.mr[2]);
		if (m.badge == DONE_BADGE) {
			st.finished++;
			return true;
		}
		struct tern_msg r = { .info = tern_msginfo(1, 0, 0) };
		if (m.badge != FAULT_BADGE) {
			st.strays++;
			tern_reply(HELPER_SLOT_REPLY, &r);
			continue;
		}
		uint64_t vec = TERN_FAULT_VECTOR(tern_msginfo_label(m.info)), addr = m.mr[0];
		st.faults++;
		if (m.mr[1] & TERN_FAULT_QUOTA)
			st.quota_faults++;
		bool ours = vec == PF_VECTOR && addr >= WINDOW && addr < WINDOW_END;
		if (!ours && st.odd_faults++ < 5)
			tern_printf("fuzz: memory: helper fault vector %lu addr %lx error %lx rip "
				    "%lx\n",
				    vec, addr, m.mr[1], m.mr[2]);
		if (ours && repairs++ < MAX_REPAIRS && chance(80) && repair(addr, m.mr[1], clean)) {
			st.repairs++;
			r.info = tern_msginfo(0, 0, 0);
			tern_reply(HELPER_SLOT_REPLY, &r);
			continue;
		}
		/* Leave it suspended, and start it again. */
		tern_reply(HELPER_SLOT_REPLY, &r);
		st.restarts++;
		helper_restart();
		return false;
	}
}

/* A value written earlier in this job explains a read through an alias
 * (two mappings of one page). */
static bool written(uint64_t v)
{
	for (unsigned i = 0; i < job.n; i++)
		if (job.write[i] && job.value[i] == v)
			return true;
	return false;
}

static void access_step(void)
{
	uint64_t base, stride;
	unsigned n = 1 + (unsigned)below(JOB_MAX / 4), kind = (unsigned)below(5);

	if (chance(75)) {
		unsigned i = (unsigned)below(RECENT);
		base = recent[i].pages ? recent[i].va + below(recent[i].pages) * PAGE : WINDOW;
	} else {
		base = WINDOW + below(WINDOW_PAGES) * PAGE;
	}
	base += below(PAGE / 8) * 8;
	switch (kind == 4 ? 4 : below(4)) {
	case 4: /* a sweep of writes over much of the window: the quota runs out */
		n = JOB_MAX;
		stride = chance(50) ? 16 * PAGE : HUGE_PAGE / 4;
		break;
	case 0:
		stride = 8;
		break;
	case 1:
		stride = PAGE;
		break;
	case 2:
		stride = PAGE * (1 + below(64));
		break;
	default:
		stride = HUGE_PAGE;
	}
	job.n = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t a = WINDOW + (base - WINDOW + i * stride) % (WINDOW_END - WINDOW);
		/* kind 0: reads; 1, 4: writes; 2: writes read back; 3: mixed */
		add(a & ~7ul, kind == 1 || kind == 2 || kind == 4 || (kind == 3 && chance(50)),
		    rnd());
	}
	if (kind == 2)
		for (unsigned i = 0; i < n; i++)
			add(job.addr[i], false, 0);
	bool clean;
	if (!run_job(&clean))
		return;
	for (unsigned i = 0; kind == 2 && clean && i < n; i++) {
		uint64_t got = job.result[n + i];
		if (got != job.value[i] && !written(got) && st.wrong_reads++ < 5)
			tern_printf("fuzz: memory: wrote %lx at %lx, read back %lx\n", job.value[i],
				    job.addr[i], got);
	}
	/* Nothing ran since the helper's last access: its page is there. */
	unsigned last = job.n - 1;
	uint64_t flags = query(job.addr[last], NULL);
	uint64_t want =
		TERN_QUERY_MAPPED | TERN_QUERY_PRESENT | (job.write[last] ? TERN_QUERY_WRITE : 0);
	if ((flags & want) != want && st.wrong_queries++ < 5)
		tern_printf("fuzz: memory: %s %lx worked, but VSPACE_QUERY says %lx\n",
			    job.write[last] ? "a write at" : "a read of", job.addr[last], flags);
}

/* Write a fresh MemObj, clone it (or a clone of the clone), write both
 * sides and check that each reads its own data back. */
static void cow_step(void)
{
	uint64_t pages = chance(30) ? 512 * (1 + below(2)) : 1 + below(16);
	uint64_t ms = free_slot();

	if (kept_slot(ms) || shadow[ms] != SH_NULL || create(TERN_CAP_MEMOBJ, pages, ms))
		return;
	uint64_t va1 = chance(50) ? WINDOW + below(WINDOW_PAGES / 512) * HUGE_PAGE
				  : WINDOW + below(WINDOW_PAGES) * PAGE;
	if (pages > (WINDOW_END - va1) / PAGE ||
	    tern_vspace_map(TERN_CHILD_SLOT_VSPACE, va1, ms, 0, pages,
			    RW | (chance(20) ? TERN_MAP_POPULATE : 0)) != TERN_EOK)
		return;
	remember(va1, pages);
	st.cow_checks++;

	uint64_t off[COW_WORDS], v1[COW_WORDS];
	bool clean;
	job.n = 0;
	for (unsigned i = 0; i < COW_WORDS; i++) {
		off[i] = below(pages) * PAGE + below(PAGE / 8) * 8;
		v1[i] = rnd();
		add(va1 + off[i], true, v1[i]);
	}
	/* Offsets may repeat: what counts is the last write to each. */
	for (unsigned i = 0; i < COW_WORDS; i++)
		for (unsigned j = i + 1; j < COW_WORDS; j++)
			if (off[j] == off[i])
				v1[i] = v1[j];
	if (!run_job(&clean) || !clean)
		return;

	uint64_t cs = free_slot();
	if (kept_slot(cs) || shadow[cs] != SH_NULL ||
	    tern_memobj_clone(ms, FUZZ_SLOT_QUOTA, TERN_CHILD_SLOT_CNODE, cs, 64) != TERN_EOK)
		return;
	shadow[cs] = TERN_CAP_MEMOBJ;
	if (chance(30)) {
		/* A clone of the clone; sometimes the middle one goes. */
		uint64_t cs2 = free_slot();
		if (kept_slot(cs2) || shadow[cs2] != SH_NULL ||
		    tern_memobj_clone(cs, FUZZ_SLOT_QUOTA, TERN_CHILD_SLOT_CNODE, cs2, 64) !=
			    TERN_EOK)
			return;
		shadow[cs2] = TERN_CAP_MEMOBJ;
		if (chance(50)) {
			tern_cnode_delete(TERN_CHILD_SLOT_CNODE, cs, 64);
			shadow[cs] = SH_NULL;
		}
		cs = cs2;
	}
	uint64_t va2 = chance(50) ? WINDOW + below(WINDOW_PAGES / 512) * HUGE_PAGE
				  : WINDOW + below(WINDOW_PAGES) * PAGE;
	if (pages > (WINDOW_END - va2) / PAGE ||
	    tern_vspace_map(TERN_CHILD_SLOT_VSPACE, va2, cs, 0, pages, RW) != TERN_EOK)
		return;
	remember(va2, pages);

	/* The source's new data, the clone's old data; then the clone's
	 * new data, and the source's still. */
	uint64_t v2[COW_WORDS], v3[COW_WORDS];
	job.n = 0;
	for (unsigned i = 0; i < COW_WORDS; i++)
		add(va1 + off[i], true, v2[i] = rnd());
	for (unsigned i = 0; i < COW_WORDS; i++)
		add(va2 + off[i], false, 0);
	for (unsigned i = 0; i < COW_WORDS; i++)
		add(va2 + off[i], true, v3[i] = rnd());
	for (unsigned i = 0; i < COW_WORDS; i++)
		add(va1 + off[i], false, 0);
	for (unsigned i = 0; i < COW_WORDS; i++)
		add(va2 + off[i], false, 0);
	for (unsigned i = 0; i < COW_WORDS; i++)
		for (unsigned j = i + 1; j < COW_WORDS; j++)
			if (off[j] == off[i]) {
				v2[i] = v2[j];
				v3[i] = v3[j];
			}
	if (!run_job(&clean) || !clean)
		return;
	st.cow_verified++;
	for (unsigned i = 0; i < COW_WORDS; i++) {
		uint64_t c_old = job.result[COW_WORDS + i], m_new = job.result[3 * COW_WORDS + i];
		uint64_t c_new = job.result[4 * COW_WORDS + i];
		if ((c_old != v1[i] || m_new != v2[i] || c_new != v3[i]) && st.wrong_reads++ < 5)
			tern_printf("fuzz: memory: copy-on-write of %lu pages at +%lx: clone read "
				    "%lx (want %lx), source %lx (want %lx), clone %lx (want %lx)\n",
				    pages, off[i], c_old, v1[i], m_new, v2[i], c_new, v3[i]);
	}
}

void fuzzmem_access(void)
{
	if (chance(15))
		cow_step();
	else
		access_step();
}
