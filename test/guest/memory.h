/*
 * Helpers shared by the cases of the "memory" suite (memory.c,
 * memory_cow.c, memory_huge.c; helpers in memory_lib.c): the kernel's VM
 * counters, VSPACE_QUERY, anonymous regions and threads whose faults
 * come to us.
 */
#ifndef GUEST_MEMORY_H
#define GUEST_MEMORY_H

#include "guest.h"
#include "tern/caps.h"
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

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline volatile uint64_t *word(uint64_t vaddr)
{
	return (volatile uint64_t *)vaddr;
}

/* TERN_DEBUG_QUERY_VM: counters since boot. */
struct vm_counts {
	uint64_t faults, zero_fills, huge, cow;
};

int vm_counts(struct vm_counts *c);
struct vm_counts vm_delta(const struct vm_counts *a, const struct vm_counts *b);
/* TERN_QUERY_* flags of vaddr; ~0 when the query fails. */
uint64_t qflags(uint64_t vaddr);
/* Physical address of vaddr's page; 0 when not present or on failure. */
uint64_t qphys(uint64_t vaddr);

/* A MemObj and where it is mapped; zeroed fields are skipped on free. */
struct region {
	uint64_t memobj, vaddr, pages;
};

/* A fresh `pages`-page MemObj from the root quota, mapped at vaddr. */
int region_map(struct region *r, uint64_t pages, uint64_t vaddr, uint64_t rights);
void region_free(struct region *r);

/* A thread of ours whose faults arrive at our fault endpoint. */
struct fault_thread {
	uint64_t tcb;
	struct region stack, ipcbuf;
};

/* Like guest_thread, with our fault endpoint, at a priority above the
 * root's: runs fn(arg) at once. */
int fault_thread_start(struct fault_thread *t, void (*fn)(uint64_t), uint64_t arg);
void fault_thread_destroy(struct fault_thread *t);
/* Signal "done", then wait for good: how a thread's fn ends. */
void park(void) __attribute__((noreturn));
/* Receive the next fault message within `ms`: 0, or -1 if none came. */
int fault_wait(struct tern_msg *m, uint64_t ms);
/* Whether a thread signalled "done" within `ms`. */
int thread_done(uint64_t ms);
/* Reply to the fault: label 0 restarts the instruction, others leave the
 * thread suspended. */
int fault_reply_label(uint64_t label);
void print_fault(const struct tern_msg *m);
/* Thread bodies: write 0x55 to, or read, the word at vaddr; then park. */
void writer_thread(uint64_t vaddr);
void reader_thread(uint64_t vaddr);

/* Cases in memory_cow.c and memory_huge.c. */
int test_cow_clone(void);
int test_cow_sparse(void);
int test_cow_huge(void);
int test_cow_two_mappings(void);
int test_protect_huge(void);
int test_huge_pages(void);
int test_huge_split(void);
/* Cases in memory_atomic.c. */
int test_vspace_fail_atomic(void);
int test_clone_rights(void);
int test_clone_quota(void);
int test_map_rights_bits(void);
int test_protect_exec_beyond_cap(void);
int test_short_message(void);
int test_huge_block_offset(void);
int test_frames_baseline(void);
int test_frames_returned(void);

#endif
