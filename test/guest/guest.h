/*
 * A small framework for in-guest tests. A test program runs as the root
 * task (init=bin/NAME), runs its cases, prints one line per case
 *     GUEST <suite>.<case>: PASS | FAIL (<why>)
 * and a summary "GUEST <suite>: N passed, M failed", then ends QEMU
 * through its I/O port capability (isa-debug-exit). The ctest harness
 * checks those lines.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/malloc.h"
#include "sys/printf.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "sys/thread.h"
#include "tern/bootinfo.h"
#include "tern/invocation.h"

struct guest_case {
	const char *name;
	int (*fn)(void);
};

#define CHECK(cond)                                                                          \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			tern_printf("GUEST check failed at %s:%d: %s\n", __FILE__, __LINE__, \
				    #cond);                                                  \
			return -1;                                                           \
		}                                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                                      \
	do {                                                                                \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                            \
		if (a_ != b_) {                                                             \
			tern_printf("GUEST check failed at %s:%d: %s == %s (%lu != %lu)\n", \
				    __FILE__, __LINE__, #a, #b, a_, b_);                    \
			return -1;                                                          \
		}                                                                           \
	} while (0)

extern const struct tern_bootinfo *guest_bootinfo;

/* Run the cases, print the results and end the machine. Never returns. */
void guest_run(const char *suite, const struct guest_case *cases, size_t n)
	__attribute__((noreturn));
/* End QEMU with success (all passed) or failure. */
void guest_exit(int ok) __attribute__((noreturn));

/* A free slot of the root CNode (CPtr i, depth 64). */
uint64_t guest_slot(void);
/* Create an object in a fresh slot; returns the slot or 0. */
uint64_t guest_create(uint64_t type, uint64_t size);
/* A file of the initrd, or NULL. */
const void *guest_initrd_file(const char *path, size_t *size);
/* Spawn bin/NAME from the initrd as a child task. */
int guest_spawn(const char *path, uint64_t arg, tern_cptr_t arg_cap, uint64_t priority,
		struct tern_task *task);
/* Spawn with the caller's priority, arg, arg_cap, fault_ep and child_quota
 * in *a; the image, the root's quota, CNode, slots and VSpace are filled in. */
int guest_spawn_args(const char *path, struct tern_spawn_args *a, struct tern_task *task);
/* The same, with a fault endpoint for the child (0 = none). */
int guest_spawn_faults(const char *path, uint64_t arg, tern_cptr_t arg_cap, tern_cptr_t fault_ep,
		       uint64_t priority, struct tern_task *task);

static inline uint64_t guest_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Print "BENCH <name> <iters> <total_ns> <per_iter_ns>" for `cycles` TSC
 * cycles (ns from the boot information's TSC frequency). */
void guest_bench_report(const char *name, uint64_t cycles, uint64_t iters);
/* Copy one of our caps into a child's CNode at `slot`. */
int guest_give(struct tern_task *task, uint64_t slot, tern_cptr_t cap);

/* A thread in our own address space (tern_thread_create): runs fn(arg) on
 * its own stack and IPC buffer, at `priority`. Returns its TCB slot, or 0. */
uint64_t guest_thread(void (*fn)(uint64_t), uint64_t arg, uint64_t priority);
/* The same with a fault endpoint (a CPtr of ours; 0 = none). */
uint64_t guest_thread_faults(void (*fn)(uint64_t), uint64_t arg, uint64_t priority,
			     tern_cptr_t fault_ep);
/* Quota used bytes of the root quota. */
uint64_t guest_quota_used(void);
/* TERN_DEBUG_QUERY_FRAMES: free frames plus the kernel heap's, a figure
 * that changes only when frames go to or come back from objects. */
uint64_t guest_frames(void);
/* Print the longest interrupts-off stretch since boot (or the last reset),
 * TERN_DEBUG_QUERY_IRQ_OFF, in ns: guest instructions in icount mode. */
void guest_print_irqoff(const char *suite);

#endif
