/*
 * Threads and the per-thread runtime state (sys/thread.h): the task-wide
 * slot allocator behind each thread's slot cache, the Reply pools, and
 * creating and destroying threads in the thread area. Entry points are
 * listed in sys/thread.h; tern_runtime_init is called once by tern_start.
 */
#include "sys/thread.h"

#include <stddef.h>

#include "common/string.h"
#include "sys/invoke.h"
#include "sys/lock.h"
#include "sys/malloc.h"
#include "sys/runtime.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "tern/invocation.h"

#define PAGE_SIZE 0x1000ul
#define STACK_STRIDE ((TERN_THREAD_STACK_PAGES + 1) * PAGE_SIZE) /* guard + stack */
#define SLOT_BATCH (TERN_THREAD_SLOT_CACHE / 2)
#define FREED_SLOTS (1u << TERN_CHILD_CNODE_RADIX_MAX)
#define RFLAGS_IF 0x200ul
#define RFLAGS_RESERVED 0x2ul

_Static_assert(TERN_THREAD_MAX *PAGE_SIZE <= TERN_THREAD_STACKS - TERN_THREAD_AREA,
	       "IPC buffers fit below the stacks");

/* Everything here is shared by the task's threads; `lock` guards all of it
 * but the words set once by tern_runtime_init. */
static struct {
	struct tern_lock lock;
	tern_cptr_t quota, cnode, vspace;
	uint64_t next_slot, end_slot; /* never handed out yet */
	uint64_t freed[FREED_SLOTS];  /* given back by threads with full caches */
	unsigned nfreed;
	bool threads_ready;		/* the shared MemObjs exist */
	tern_cptr_t ipc_obj, stack_obj; /* the thread area's two MemObjs */
	struct tern_thread *threads[TERN_THREAD_MAX];
	uint64_t stack_mapped; /* bit i: thread i's stack is mapped */
} rt = { .lock = TERN_LOCK_INIT };

_Static_assert(TERN_THREAD_MAX <= 64, "stack_mapped is one word");

void tern_runtime_init(tern_cptr_t quota, uint64_t first_free_slot, uint64_t n_slots)
{
	rt.quota = quota;
	rt.cnode = TERN_SLOT_CNODE;   /* the same slot in the root task and in children */
	rt.vspace = TERN_SLOT_VSPACE; /* (TERN_CHILD_SLOT_CNODE, _VSPACE) */
	rt.next_slot = first_free_slot;
	rt.end_slot = n_slots;
}

void tern_runtime_set_quota(tern_cptr_t quota)
{
	rt.quota = quota;
}

/* Refill the calling thread's cache: freed slots first, then fresh ones. */
static void slots_refill(struct tern_thread *t)
{
	tern_lock_acquire(&rt.lock);
	while (t->nslots < SLOT_BATCH && rt.nfreed)
		t->slots[t->nslots++] = rt.freed[--rt.nfreed];
	while (t->nslots < SLOT_BATCH && rt.next_slot < rt.end_slot)
		t->slots[t->nslots++] = rt.next_slot++;
	tern_lock_release(&rt.lock);
}

uint64_t tern_slot_get(void)
{
	struct tern_thread *t = tern_thread_self();

	if (!t->nslots)
		slots_refill(t);
	return t->nslots ? t->slots[--t->nslots] : 0;
}

void tern_slot_put(uint64_t slot)
{
	struct tern_thread *t = tern_thread_self();

	if (t->nslots < TERN_THREAD_SLOT_CACHE) {
		t->slots[t->nslots++] = slot;
		return;
	}
	tern_lock_acquire(&rt.lock);
	if (rt.nfreed < FREED_SLOTS)
		rt.freed[rt.nfreed++] = slot;
	/* else the slot stays empty and unused: FREED_SLOTS bounds the table */
	tern_lock_release(&rt.lock);
}

int tern_slots_reserve(uint64_t n, struct tern_slot_alloc *out)
{
	int err = TERN_SPAWN_ESLOTS;

	tern_lock_acquire(&rt.lock);
	if (rt.end_slot - rt.next_slot >= n) {
		out->next = rt.next_slot;
		out->end = rt.next_slot + n;
		rt.next_slot += n;
		err = 0;
	}
	tern_lock_release(&rt.lock);
	return err;
}

enum tern_error tern_object_create(enum tern_cap_type type, uint64_t size, tern_cptr_t *slot)
{
	uint64_t s = tern_slot_get();
	enum tern_error err;

	if (!s)
		return TERN_ENOT_ENOUGH_MEMORY;
	err = tern_quota_create(rt.quota, type, size, rt.cnode, s, 64);
	if (err != TERN_EOK) {
		tern_slot_put(s);
		return err;
	}
	*slot = s;
	return TERN_EOK;
}

/* Delete the object in `slot` and give the slot back. */
static void object_delete(tern_cptr_t slot)
{
	if (tern_cnode_delete(rt.cnode, slot, 64) == TERN_EOK)
		tern_slot_put(slot);
}

tern_cptr_t tern_reply_get(void)
{
	struct tern_thread *t = tern_thread_self();
	tern_cptr_t r;

	if (t->nreplies)
		return t->replies[--t->nreplies];
	return tern_object_create(TERN_CAP_REPLY, 0, &r) == TERN_EOK ? r : 0;
}

void tern_reply_put(tern_cptr_t reply)
{
	struct tern_thread *t = tern_thread_self();

	if (t->nreplies < TERN_THREAD_REPLY_POOL)
		t->replies[t->nreplies++] = reply;
	else
		object_delete(reply);
}

/*
 * Once, before the task's second thread exists (so without a race): give
 * libsys's locks their notifications and make the thread area's MemObjs.
 * The IPC MemObj is mapped whole (pages appear as TCB_CONFIGURE makes
 * them); stacks are mapped one by one, leaving the guard pages unmapped.
 */
static int threads_init(void)
{
	enum tern_error err;

	if (rt.threads_ready)
		return 0;
	if ((err = tern_lock_init(&rt.lock)) || (err = tern_malloc_lock_init()))
		return err;
	err = tern_object_create(TERN_CAP_MEMOBJ, TERN_THREAD_MAX, &rt.ipc_obj);
	if (err)
		return err;
	err = tern_object_create(TERN_CAP_MEMOBJ, TERN_THREAD_MAX * (STACK_STRIDE / PAGE_SIZE),
				 &rt.stack_obj);
	if (!err)
		err = tern_vspace_map(rt.vspace, TERN_THREAD_AREA, rt.ipc_obj, 0, TERN_THREAD_MAX,
				      TERN_RIGHT_READ | TERN_RIGHT_WRITE);
	if (err) {
		object_delete(rt.ipc_obj);
		if (rt.stack_obj)
			object_delete(rt.stack_obj);
		rt.ipc_obj = rt.stack_obj = 0;
		return err;
	}
	rt.threads_ready = true;
	return 0;
}

static uint64_t stack_base(unsigned index)
{
	return TERN_THREAD_STACKS + index * STACK_STRIDE + PAGE_SIZE;
}

static int stack_map(unsigned index)
{
	if (rt.stack_mapped & (1ull << index))
		return 0;
	int err = tern_vspace_map(rt.vspace, stack_base(index), rt.stack_obj,
				  index * (STACK_STRIDE / PAGE_SIZE) + 1, TERN_THREAD_STACK_PAGES,
				  TERN_RIGHT_READ | TERN_RIGHT_WRITE);
	if (!err)
		rt.stack_mapped |= 1ull << index;
	return err;
}

static int index_alloc(struct tern_thread *t)
{
	int index = -1;

	tern_lock_acquire(&rt.lock);
	for (unsigned i = 0; i < TERN_THREAD_MAX && index < 0; i++) {
		if (!rt.threads[i]) {
			rt.threads[i] = t;
			index = (int)i;
		}
	}
	tern_lock_release(&rt.lock);
	return index;
}

static void index_free(unsigned index)
{
	tern_lock_acquire(&rt.lock);
	rt.threads[index] = NULL;
	tern_lock_release(&rt.lock);
}

static void thread_entry(struct tern_thread *t) __attribute__((noreturn));
static void thread_entry(struct tern_thread *t)
{
	t->fn(t->arg);
	tern_thread_exit(0);
}

/* TCB, stack and IPC page for thread `index`, then start it at thread_entry. */
static int thread_start(struct tern_thread *t, unsigned index, const struct tern_thread_args *a)
{
	uint64_t ipc_va = TERN_THREAD_AREA + index * PAGE_SIZE;
	struct tern_regs r = { 0 };
	int err;

	tern_lock_acquire(&rt.lock);
	err = stack_map(index);
	tern_lock_release(&rt.lock);
	if (err)
		return err;
	if ((err = tern_object_create(TERN_CAP_TCB, 0, &t->tcb)))
		return err;
	err = tern_tcb_configure(t->tcb, a->fault_ep, ipc_va, index, rt.cnode, rt.vspace,
				 rt.ipc_obj);
	if (!err) {
		/* Mapped, and made present by CONFIGURE; the thread reads these
		 * through %gs from its first instruction. */
		t->ipc->user_self = ipc_va;
		t->ipc->user_data = (uint64_t)(uintptr_t)t;
	}
	if (!err)
		err = tern_tcb_set_priority(t->tcb, a->priority);
	r.rip = (uint64_t)(uintptr_t)thread_entry;
	/* As if thread_entry had been called: rsp + 8 is 16-byte aligned. */
	r.rsp = stack_base(index) + TERN_THREAD_STACK_PAGES * PAGE_SIZE - 8;
	r.rdi = (uint64_t)(uintptr_t)t;
	r.rflags = RFLAGS_IF | RFLAGS_RESERVED;
	r.gs_base = ipc_va;
	if (!err)
		err = tern_tcb_write_registers(t->tcb, 1, &r);
	if (err) {
		object_delete(t->tcb);
		t->tcb = 0;
	}
	return err;
}

int tern_thread_create(const struct tern_thread_args *a, struct tern_thread **out)
{
	struct tern_thread *t;
	int index, err;

	if ((err = threads_init()))
		return err;
	t = calloc(1, sizeof(*t));
	if (!t)
		return TERN_ENOT_ENOUGH_MEMORY;
	index = index_alloc(t);
	if (index < 0) {
		free(t);
		return TERN_SPAWN_ESLOTS;
	}
	t->ipc = (struct tern_ipc_buffer *)(TERN_THREAD_AREA + (uint64_t)index * PAGE_SIZE);
	t->id = (unsigned)index + 1;
	t->fn = a->fn;
	t->arg = a->arg;
	err = thread_start(t, (unsigned)index, a);
	if (err) {
		index_free((unsigned)index);
		free(t);
		return err;
	}
	*out = t;
	return 0;
}

int tern_thread_destroy(struct tern_thread *t)
{
	if (t == tern_thread_self() || !t->id)
		return TERN_EILLEGAL_OPERATION;
	/* Deleting the TCB stops the thread and unpins its IPC page. */
	int err = tern_cnode_delete(rt.cnode, t->tcb, 64);
	if (err)
		return err;
	tern_slot_put(t->tcb);
	while (t->nreplies)
		object_delete(t->replies[--t->nreplies]);
	while (t->nslots)
		tern_slot_put(t->slots[--t->nslots]);
	index_free(t->id - 1);
	free(t);
	return 0;
}

uint64_t tern_own_priority(void)
{
	tern_cptr_t probe;
	uint64_t lo = 0, hi = 255;

	if (tern_object_create(TERN_CAP_TCB, 0, &probe))
		return 0;
	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;
		if (tern_tcb_set_priority(probe, mid) == TERN_EOK)
			lo = mid;
		else
			hi = mid - 1;
	}
	tern_cnode_delete(rt.cnode, probe, 64);
	tern_slot_put(probe);
	return lo;
}
