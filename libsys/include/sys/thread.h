/*
 * Threads of a native task, and the state each one owns.
 *
 * Every thread that runs libsys code has a struct tern_thread. Its %gs
 * base (TCB_SET_TLS) is the thread's IPC buffer page, whose user_self word
 * holds the page's own address and user_data the struct's, so
 * tern_ipc_buffer() and tern_thread_self() are one load each. The base is
 * the buffer and not the struct because buffers sit at the same addresses
 * in every task (a child's main thread at TERN_CHILD_IPC_BUFFER, thread i
 * at page i of the thread area): a switch between, say, a client's and a
 * server's main threads finds the same base loaded and writes no MSR
 * (the kernel skips equal bases). Linux programs on x86-64 leave %gs
 * alone (their TLS is %fs), so a personality's handler finds its state
 * even when it interrupts Linux code; a personality emulates ARCH_SET_GS
 * and never hands it to TCB_SET_TLS. The struct holds what must not be
 * shared between threads: the IPC buffer (two threads preempted in the
 * middle of long messages would otherwise write each other's words), a
 * cache of free capability slots and a pool of Reply objects.
 *
 * The main thread's struct is static and uses the IPC buffer its loader
 * made. tern_thread_create() makes the others: a TCB, a stack with an
 * unmapped guard page below it, and page i of one task-wide MemObj as the
 * IPC buffer (TCB_CONFIGURE takes a page index, so threads do not cost a
 * MemObj each). Objects come from the runtime's quota (the root task's
 * quota, or the one tern_spawn gave a child in TERN_CHILD_SLOT_QUOTA).
 *
 * Layout of the thread area (TERN_THREAD_AREA):
 *   [0, TERN_THREAD_MAX pages)     IPC buffers, page i for thread i
 *   from TERN_THREAD_STACKS        per thread: a guard page, then
 *                                  TERN_THREAD_STACK_PAGES of stack
 *
 * Entry points: tern_thread_self, tern_thread_create, tern_thread_exit
 * (sys/runtime.h), tern_thread_destroy, tern_slot_get, tern_slot_put,
 * tern_slots_reserve, tern_object_create, tern_reply_get, tern_reply_put,
 * tern_runtime_set_quota.
 */
#ifndef SYS_THREAD_H
#define SYS_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "sys/spawn.h"
#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/ipc_buffer.h"

#define TERN_THREAD_MAX 64 /* threads besides the main one */
#define TERN_THREAD_AREA 0x7e0000000000ul
#define TERN_THREAD_STACKS (TERN_THREAD_AREA + (1ul << 20))
#define TERN_THREAD_STACK_PAGES 16 /* 64 KiB */
#define TERN_THREAD_SLOT_CACHE 16  /* free slots a thread keeps */
#define TERN_THREAD_REPLY_POOL 8   /* idle Reply objects a thread keeps */

struct tern_thread {
	struct tern_ipc_buffer *ipc; /* its user_self is ipc, its user_data this struct */
	tern_cptr_t tcb;
	unsigned id; /* 0 for the main thread, 1.. for created ones */

	/* Free slots of the task's root CNode, taken from the task-wide
	 * allocator in batches: slot allocation needs no lock. */
	uint64_t slots[TERN_THREAD_SLOT_CACHE];
	unsigned nslots;
	/* Idle Reply objects (the server runtime takes and returns them). */
	tern_cptr_t replies[TERN_THREAD_REPLY_POOL];
	unsigned nreplies;

	void (*fn)(void *arg);
	void *arg;
	volatile bool exited; /* set just before the thread stops itself */
};

#ifndef HOST_TEST
static inline struct tern_thread *tern_thread_self(void)
{
	struct tern_thread *t;

	__asm__("movq %%gs:%c1, %0"
		: "=r"(t)
		: "i"(__builtin_offsetof(struct tern_ipc_buffer, user_data)));
	return t;
}
#endif

struct tern_thread_args {
	void (*fn)(void *arg); /* the thread runs fn(arg), then tern_thread_exit(0) */
	void *arg;
	uint64_t priority;    /* at most the caller's own */
	tern_cptr_t fault_ep; /* CPtr of its fault endpoint; 0 = none */
};

/*
 * Create and start a thread; *out is its struct (also for
 * tern_thread_destroy). An enum tern_error, or TERN_SPAWN_ESLOTS when out
 * of slots or TERN_THREAD_MAX threads exist.
 */
int tern_thread_create(const struct tern_thread_args *a, struct tern_thread **out);

/* Stop another thread for good and give back its TCB, IPC buffer page,
 * stack, Reply pool and struct. Only for a thread that has exited or holds
 * no lock (sys/lock.h): a lock held by a destroyed thread stays held. */
int tern_thread_destroy(struct tern_thread *t);

/* A free slot of the task's root CNode (CPtr i, depth 64), or 0. */
uint64_t tern_slot_get(void);
/* Give back an empty slot. */
void tern_slot_put(uint64_t slot);
/* n consecutive free slots, for tern_spawn_args.slots; 0 or TERN_SPAWN_ESLOTS. */
int tern_slots_reserve(uint64_t n, struct tern_slot_alloc *out);

/* The highest priority a TCB of this task may be given (TCB_SET_PRIORITY
 * allows at most the caller's own, and no call tells it): found by a
 * binary search on a scratch TCB; 0 when none can be made. For the
 * helper threads a server starts beside its loop. */
uint64_t tern_own_priority(void);

/* A new object from the runtime's quota in a fresh slot (*slot). */
enum tern_error tern_object_create(enum tern_cap_type type, uint64_t size, tern_cptr_t *slot);

/* A Reply object from the calling thread's pool (made when the pool is
 * empty); 0 when none can be made. tern_reply_put returns one (an unbound
 * one: a Reply still holding a caller must be answered first). */
tern_cptr_t tern_reply_get(void);
void tern_reply_put(tern_cptr_t reply);

/* The quota the runtime makes objects from (threads, Replies, locks). */
void tern_runtime_set_quota(tern_cptr_t quota);

#endif
