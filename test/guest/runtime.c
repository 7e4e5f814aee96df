/*
 * The per-thread runtime, in the guest: the two holes closed in
 * TCB_CONFIGURE and TCB_BIND_NOTIFICATION, IPC buffers as pages of one
 * MemObj (page index, pin and unpin), the lock and malloc with several
 * threads, the example server on the server runtime, and two threads of
 * one task making long calls concurrently under preemption.
 */
#include "example_client.h"
#include "example_proto.h"
#include "guest.h"
#include "sys/lock.h"
#include "tern/errors.h"

#define PAGE 4096ul
#define TEST_VA 0x520000000000ul
#define RW (TERN_RIGHT_READ | TERN_RIGHT_WRITE)
#define STRESS_ROUNDS 100000
#define MALLOC_SWITCHES 20 /* run until preempted this often... */
#define MALLOC_MAX_MS 5000 /* ...or this long (then FAIL: the timer did not preempt) */

/*
 * Workers of the preemption tests report on one endpoint, which is also
 * their fault endpoint: the root blocks in Recv (taking no CPU from them)
 * and a worker that crashed is a FAIL, not a hang.
 */
#define WORKER_DONE 1
static tern_cptr_t worker_ep;

struct worker_start {
	void (*fn)(uint64_t);
	uint64_t id;
};

static void worker_entry(void *p)
{
	struct worker_start *w = p;

	w->fn(w->id);
	struct tern_msg m = { .info = tern_msginfo(WORKER_DONE, 0, 1), .mr = { w->id } };
	tern_send(worker_ep, &m);
}

static int workers_run(void (*fn)(uint64_t), unsigned n)
{
	struct worker_start w[2];
	struct tern_thread *t[2];
	tern_cptr_t reply = tern_reply_get();

	CHECK(n <= 2 && reply);
	if (!worker_ep)
		worker_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	CHECK(worker_ep);
	for (unsigned i = 0; i < n; i++) {
		w[i] = (struct worker_start){ fn, i };
		struct tern_thread_args a = { .fn = worker_entry,
					      .arg = &w[i],
					      .priority = TERN_ROOT_PRIORITY,
					      .fault_ep = worker_ep };
		CHECK_EQ(tern_thread_create(&a, &t[i]), 0);
	}
	for (unsigned done = 0; done < n;) {
		struct tern_msg m;
		CHECK_EQ(tern_recv(worker_ep, reply, &m), TERN_EOK);
		uint64_t label = tern_msginfo_label(m.info);
		if (label != WORKER_DONE) {
			tern_printf("GUEST runtime: worker fault, label %lx addr %lx rip %lx\n",
				    label, m.mr[0], m.mr[2]);
			return -1;
		}
		done++;
	}
	tern_reply_put(reply);
	for (unsigned i = 0; i < n; i++) {
		while (!t[i]->exited)
			tern_yield();
		CHECK_EQ(tern_thread_destroy(t[i]), 0);
	}
	return 0;
}

static uint64_t rights_copy(uint64_t cap, uint64_t rights)
{
	uint64_t s = guest_slot();

	if (!s || tern_cnode_copy(TERN_SLOT_CNODE, s, 64, cap, 64, rights) != TERN_EOK)
		return 0;
	return s;
}

static int clone_result(uint64_t memobj)
{
	uint64_t dst = guest_slot();
	int err = tern_memobj_clone(memobj, TERN_SLOT_QUOTA, TERN_SLOT_CNODE, dst, 64);

	if (err == TERN_EOK)
		tern_cnode_delete(TERN_SLOT_CNODE, dst, 64);
	return err;
}

/*
 * Hole: TCB_CONFIGURE took a read-only MemObj cap as the IPC buffer, and
 * the kernel then wrote into a page the task could only read (and pinned
 * the object for good).
 */
static int test_tcb_configure_readonly_ipc_buffer(void)
{
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, 1), tcb = guest_create(TERN_CAP_TCB, 0);
	CHECK(mo && tcb);
	uint64_t ro = rights_copy(mo, TERN_RIGHT_READ), wo = rights_copy(mo, TERN_RIGHT_WRITE);
	CHECK(ro && wo);
	CHECK_EQ(tern_tcb_configure(tcb, 0, TEST_VA, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, ro),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_tcb_configure(tcb, 0, TEST_VA, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, wo),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(clone_result(mo), TERN_EOK); /* nothing was pinned */
	CHECK_EQ(tern_tcb_configure(tcb, 0, TEST_VA, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, mo),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, tcb, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, mo, 64), TERN_EOK);
	return 0;
}

/*
 * Several threads' buffers in one MemObj, a page each: the index is range
 * checked, the object is pinned while any thread uses it, and unpinned
 * (clonable again) when the threads move off or are destroyed.
 */
static int test_tcb_configure_page_index(void)
{
	uint64_t shared = guest_create(TERN_CAP_MEMOBJ, 4),
		 other = guest_create(TERN_CAP_MEMOBJ, 1);
	uint64_t t1 = guest_create(TERN_CAP_TCB, 0), t2 = guest_create(TERN_CAP_TCB, 0);
	CHECK(shared && other && t1 && t2);
	CHECK_EQ(tern_tcb_configure(t1, 0, TEST_VA, 4, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, shared),
		 TERN_ERANGE_ERROR);
	CHECK_EQ(clone_result(shared), TERN_EOK);
	CHECK_EQ(tern_tcb_configure(t1, 0, TEST_VA, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, shared),
		 TERN_EOK);
	CHECK_EQ(tern_tcb_configure(t2, 0, TEST_VA + 3 * PAGE, 3, TERN_SLOT_CNODE, TERN_SLOT_VSPACE,
				    shared),
		 TERN_EOK);
	CHECK_EQ(clone_result(shared), TERN_EILLEGAL_OPERATION);
	/* Reconfiguring t1 onto another object unpins its page, t2's remains. */
	CHECK_EQ(tern_tcb_configure(t1, 0, TEST_VA, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, other),
		 TERN_EOK);
	CHECK_EQ(clone_result(shared), TERN_EILLEGAL_OPERATION);
	CHECK_EQ(clone_result(other), TERN_EILLEGAL_OPERATION);
	/* The same object twice stays pinned once. */
	CHECK_EQ(tern_tcb_configure(t1, 0, TEST_VA, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, other),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, t2, 64), TERN_EOK);
	CHECK_EQ(clone_result(shared), TERN_EOK);
	CHECK_EQ(clone_result(other), TERN_EILLEGAL_OPERATION);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, t1, 64), TERN_EOK);
	CHECK_EQ(clone_result(other), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, shared, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, other, 64), TERN_EOK);
	return 0;
}

/*
 * A thread's IPC-buffer cap (a copy the TCB holds) deleted from above, by
 * a revoke of the cap it came from: the object's pin goes with it, so it
 * can be cloned again, once, while another thread's pin stays.
 */
static int test_ipc_buffer_revoked_unpins(void)
{
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, 2);
	uint64_t t1 = guest_create(TERN_CAP_TCB, 0), t2 = guest_create(TERN_CAP_TCB, 0);
	CHECK(mo && t1 && t2);
	uint64_t c1 = rights_copy(mo, TERN_RIGHTS_ALL), c2 = rights_copy(mo, TERN_RIGHTS_ALL);
	CHECK(c1 && c2);
	CHECK_EQ(tern_tcb_configure(t1, 0, TEST_VA, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, c1),
		 TERN_EOK);
	CHECK_EQ(
		tern_tcb_configure(t2, 0, TEST_VA + PAGE, 1, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, c2),
		TERN_EOK);
	CHECK_EQ(clone_result(mo), TERN_EILLEGAL_OPERATION);
	/* t1's buffer cap goes with c1's derived caps; t2 still pins. */
	CHECK_EQ(tern_cnode_revoke(TERN_SLOT_CNODE, c1, 64), TERN_EOK);
	CHECK_EQ(clone_result(mo), TERN_EILLEGAL_OPERATION);
	/* Destroying t1 unpins nothing more. */
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, t1, 64), TERN_EOK);
	CHECK_EQ(clone_result(mo), TERN_EILLEGAL_OPERATION);
	/* The parent of t2's buffer cap revoked: the object is clonable. */
	CHECK_EQ(tern_cnode_revoke(TERN_SLOT_CNODE, mo, 64), TERN_EOK);
	CHECK_EQ(clone_result(mo), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, t2, 64), TERN_EOK);
	CHECK_EQ(clone_result(mo), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, mo, 64), TERN_EOK);
	return 0;
}

/*
 * Hole: TCB_BIND_NOTIFICATION took a cap without the read right, so a
 * holder of a signal-only cap could bind the notification to a thread of
 * its own and swallow the signals meant for the owner.
 */
static int test_tcb_bind_notification_without_read(void)
{
	uint64_t n = guest_create(TERN_CAP_NOTIFICATION, 0), tcb = guest_create(TERN_CAP_TCB, 0);
	uint64_t bits = 0;
	CHECK(n && tcb);
	uint64_t signal_only = rights_copy(n, TERN_RIGHT_WRITE);
	CHECK(signal_only);
	CHECK_EQ(tern_tcb_bind_notification(tcb, signal_only, ~0ull), TERN_EINSUFFICIENT_RIGHTS);
	/* Signals still reach whoever waits with the read right. */
	CHECK_EQ(tern_signal(signal_only), TERN_EOK);
	CHECK_EQ(tern_poll(n, &bits), TERN_EOK);
	CHECK(bits != 0);
	/* The owner itself may bind it. */
	CHECK_EQ(tern_tcb_bind_notification(tcb, n, 0), TERN_EOK);
	CHECK_EQ(tern_tcb_bind_notification(tcb, 0, 0), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, tcb, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, n, 64), TERN_EOK);
	return 0;
}

/* Each thread's %gs base is its own IPC buffer page, which leads to its
 * struct; created threads get page i of the thread area. */
static volatile uint64_t seen_self, seen_ipc;
static tern_cptr_t seen_done;

static void report_self(uint64_t unused)
{
	(void)unused;
	seen_self = (uint64_t)(uintptr_t)tern_thread_self();
	seen_ipc = (uint64_t)(uintptr_t)tern_ipc_buffer();
	tern_signal(seen_done);
}

static int test_thread_self(void)
{
	uint64_t bits;
	struct tern_thread *main_thread = tern_thread_self();
	seen_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(seen_done);
	struct tern_regs regs;
	CHECK_EQ(main_thread->id, 0);
	CHECK_EQ(main_thread->ipc, tern_ipc_buffer());
	CHECK_EQ((uint64_t)(uintptr_t)tern_ipc_buffer(), guest_bootinfo->ipc_buffer_vaddr);
	uint64_t tcb = guest_thread(report_self, 0, TERN_ROOT_PRIORITY);
	CHECK(tcb);
	CHECK_EQ(tern_wait(seen_done, &bits), TERN_EOK);
	struct tern_thread *t = (struct tern_thread *)(uintptr_t)seen_self;
	CHECK(t && t != main_thread);
	CHECK_EQ(t->tcb, tcb);
	CHECK_EQ(seen_ipc, (uint64_t)(uintptr_t)t->ipc);
	CHECK_EQ(seen_ipc, TERN_THREAD_AREA + (t->id - 1) * PAGE);
	CHECK_EQ(((struct tern_ipc_buffer *)(uintptr_t)seen_ipc)->user_data, seen_self);
	CHECK_EQ(tern_ipc_buffer()->user_data, (uint64_t)(uintptr_t)main_thread);
	CHECK_EQ(tern_tcb_read_registers(tcb, &regs), TERN_EOK);
	CHECK_EQ(regs.gs_base, seen_ipc);
	CHECK_EQ(tern_tcb_read_registers(TERN_SLOT_TCB, &regs), TERN_EOK);
	CHECK_EQ(regs.gs_base, guest_bootinfo->ipc_buffer_vaddr);
	return 0;
}

/*
 * Creating and destroying threads through libsys gives everything back:
 * after the first (which makes the thread area's objects and maps a
 * stack), the quota returns to the same figure each time, and the slots
 * and the thread table are reused (more rounds than TERN_THREAD_MAX).
 */
static volatile uint64_t churn_ran;

static void churn_fn(void *arg)
{
	(void)arg;
	churn_ran++;
}

static int churn_one(void)
{
	struct tern_thread *t;
	struct tern_thread_args a = { .fn = churn_fn, .priority = TERN_ROOT_PRIORITY + 10 };

	CHECK_EQ(tern_thread_create(&a, &t), 0); /* it runs to its end at once */
	CHECK(t->exited);
	CHECK_EQ(tern_thread_destroy(t), 0);
	return 0;
}

static int test_thread_churn_quota(void)
{
	CHECK_EQ(churn_one(), 0);
	uint64_t used = guest_quota_used(), ran = churn_ran;
	for (int i = 0; i < 3 * TERN_THREAD_MAX; i++) {
		CHECK_EQ(churn_one(), 0);
		CHECK_EQ(guest_quota_used(), used);
	}
	CHECK_EQ(churn_ran, ran + 3 * TERN_THREAD_MAX);
	return 0;
}

/*
 * The lock blocks a waiter that outranks the holder instead of letting it
 * spin: a yielding spinlock would never let the holder (us, lower
 * priority) run again to release it.
 */
static struct tern_lock test_lock = TERN_LOCK_INIT;
static volatile uint64_t locked_count;
static tern_cptr_t lock_done;

static void lock_taker(uint64_t unused)
{
	(void)unused;
	tern_lock_acquire(&test_lock);
	locked_count++;
	tern_lock_release(&test_lock);
	tern_signal(lock_done);
}

static int test_lock_waiter_outranks_holder(void)
{
	uint64_t bits;

	lock_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(lock_done);
	CHECK_EQ(tern_lock_init(&test_lock), TERN_EOK);
	tern_lock_acquire(&test_lock);
	CHECK(guest_thread(lock_taker, 0, TERN_ROOT_PRIORITY + 50)); /* runs now, blocks */
	CHECK_EQ(locked_count, 0);
	tern_lock_release(&test_lock); /* it runs again at once and takes the lock */
	CHECK_EQ(tern_wait(lock_done, &bits), TERN_EOK);
	CHECK_EQ(locked_count, 1);
	return 0;
}

/*
 * Two equal-priority threads allocate and free under preemption, each
 * keeping blocks alive with its own tags in their first and last words.
 * Nearly all their time is spent inside malloc and free, so timer ticks
 * land there: without the heap's lock the two corrupt its lists (blocks
 * handed out twice, tags overwritten, or a crash).
 */
#define MALLOC_LIVE 16
static volatile uint64_t malloc_bad[2], malloc_last, malloc_switches, malloc_rounds[2];
static uint64_t malloc_deadline;

static uint64_t malloc_tag(uint64_t id, uint64_t i)
{
	return (id + 1) << 60 | i;
}

static void malloc_worker(uint64_t id)
{
	uint64_t *live[MALLOC_LIVE] = { 0 };
	size_t words[MALLOC_LIVE] = { 0 };
	uint64_t tags[MALLOC_LIVE] = { 0 };

	uint64_t i;

	for (i = 0; !malloc_bad[id]; i++) {
		if (i % 256 == 0 &&
		    (malloc_switches >= MALLOC_SWITCHES || guest_rdtsc() > malloc_deadline))
			break;
		unsigned k = (unsigned)((i * 7 + id) % MALLOC_LIVE);
		if (malloc_last != id) {
			malloc_last = id;
			malloc_switches++;
		}
		if (live[k]) {
			if (live[k][0] != tags[k] || live[k][words[k] - 1] != tags[k])
				malloc_bad[id] = i + 1;
			free(live[k]);
		}
		words[k] = 2 + (i * 37 + id * 11) % 60;
		live[k] = malloc(words[k] * sizeof(uint64_t));
		if (!live[k]) {
			malloc_bad[id] = i + 1;
			break;
		}
		tags[k] = malloc_tag(id, i);
		live[k][0] = live[k][words[k] - 1] = tags[k];
	}
	for (unsigned k = 0; k < MALLOC_LIVE; k++)
		free(live[k]);
	malloc_rounds[id] = i;
}

static int test_malloc_two_threads(void)
{
	uint64_t start = guest_rdtsc();

	/* Both run until they were switched MALLOC_SWITCHES times, so they
	 * overlap whatever their speed. */
	malloc_deadline = start + MALLOC_MAX_MS * (guest_bootinfo->tsc_hz / 1000);
	CHECK_EQ(workers_run(malloc_worker, 2), 0);
	tern_printf("GUEST runtime: malloc, %lu+%lu rounds, %lu switches, %lu ms\n",
		    malloc_rounds[0], malloc_rounds[1], malloc_switches,
		    (guest_rdtsc() - start) / (guest_bootinfo->tsc_hz / 1000));
	CHECK_EQ(malloc_bad[0], 0);
	CHECK_EQ(malloc_bad[1], 0);
	CHECK(malloc_switches >= MALLOC_SWITCHES); /* preempted in the middle, often */
	return 0;
}

/*
 * Two threads of this task call the example server with 24-word messages
 * (20 words through the IPC buffer) at our priority, so the timer
 * preempts them in the middle of writing and reading their buffers; each
 * word depends on the thread and the round, and every word of every
 * reply is checked. With one IPC buffer for the task, a thread preempted
 * between filling its buffer and the call (or between the reply and
 * reading it) would send or read the other's words.
 */
static volatile uint64_t stress_bad[2], stress_rounds[2], stress_last, stress_switches;

static uint64_t stress_word(uint64_t id, uint64_t round, unsigned i)
{
	return (id + 1) << 56 ^ round << 16 ^ (uint64_t)i * 0x9e3779b97f4a7c15ull;
}

static void stress_client(uint64_t id)
{
	struct example_mirror_req q;
	struct example_mirror_resp r;
	uint64_t round;

	for (round = 0; round < STRESS_ROUNDS; round++) {
		if (stress_last != id) {
			stress_last = id;
			stress_switches++;
		}
		for (unsigned i = 0; i < EXAMPLE_MIRROR_WORDS; i++)
			q.w[i] = stress_word(id, round, i);
		int st = example_mirror_call(example_ep, &q, &r);
		if (st != TERN_SERVER_OK) {
			stress_bad[id] = round + 1;
			break;
		}
		for (unsigned i = 0; i < EXAMPLE_MIRROR_WORDS; i++)
			if (r.w[i] != example_mirror_word(stress_word(id, round, i), i))
				stress_bad[id] = round + 1;
		if (stress_bad[id])
			break;
	}
	stress_rounds[id] = round;
}

static int test_two_threads_long_ipc(void)
{
	uint64_t start = guest_rdtsc();

	CHECK_EQ(workers_run(stress_client, 2), 0);
	uint64_t ms = (guest_rdtsc() - start) / (guest_bootinfo->tsc_hz / 1000);
	tern_printf("GUEST runtime: two threads, %lu+%lu rounds of %u words, %lu switches, "
		    "%lu ms\n",
		    stress_rounds[0], stress_rounds[1], EXAMPLE_MIRROR_WORDS, stress_switches, ms);
	CHECK_EQ(stress_bad[0], 0);
	CHECK_EQ(stress_bad[1], 0);
	CHECK_EQ(stress_rounds[0], STRESS_ROUNDS);
	CHECK_EQ(stress_rounds[1], STRESS_ROUNDS);
	CHECK(stress_switches >= 4); /* they really ran interleaved */
	return 0;
}

static const struct guest_case cases[] = {
	{ "tcb_configure_readonly_ipc_buffer", test_tcb_configure_readonly_ipc_buffer },
	{ "tcb_configure_page_index", test_tcb_configure_page_index },
	{ "ipc_buffer_revoked_unpins", test_ipc_buffer_revoked_unpins },
	{ "tcb_bind_notification_without_read", test_tcb_bind_notification_without_read },
	{ "thread_self", test_thread_self },
	{ "thread_churn_quota", test_thread_churn_quota },
	{ "lock_waiter_outranks_holder", test_lock_waiter_outranks_holder },
	{ "malloc_two_threads", test_malloc_two_threads },
	{ "example_start", example_start },
	{ "example_counter", example_counter },
	{ "example_deferred_wait", example_deferred_wait },
	{ "example_cap_transfer", example_cap_transfer },
	{ "example_reply_cap", example_reply_cap },
	{ "example_unknown_label", example_unknown_label },
	{ "example_short_message", example_short_message },
	{ "two_threads_long_ipc", test_two_threads_long_ipc },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("runtime", cases, sizeof(cases) / sizeof(cases[0]));
}
