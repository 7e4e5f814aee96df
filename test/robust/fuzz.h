/*
 * The Linux-syscall fuzzer (test/robust/fuzz_main.c): what its files
 * share. A static musl program of the project's own, run as /init:
 * the supervisor (pid 1) starts workers, each making seeded random
 * calls with shaped arguments (fuzz_gen.c) and starting disposable
 * children that may do anything (fuzz_child.c); the supervisor's
 * watchdog reads every process's current call from shared memory.
 */
#ifndef FUZZ_H
#define FUZZ_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stddef.h>

#define FZ_PAGE 4096ul
#define FZ_MAX_WORKERS 8
#define FZ_CHILD_SLOTS 64 /* disposable children with a heartbeat slot */
#define FZ_NR_MAX 512	  /* syscall numbers counted (above: one bucket) */
#define FZ_LOG_FD 100	  /* the console, for the per-call log and reports */
#define FZ_FD_SPAN 64	  /* RLIMIT_NOFILE of a worker, and the valid fds drawn */

/* Arena: FZ_ARENA_RW pages read-write, one read-only page of 'a's, then
 * an unmapped page; the fuzzed memory calls never touch it. */
#define FZ_ARENA_RW 32
/* Victim: the region the memory-management calls work on. */
#define FZ_VICTIM_PAGES 256

/* One process's heartbeat: what it calls now. */
struct fz_beat {
	volatile uint64_t seq;	 /* calls started */
	volatile int64_t nr;	 /* the call being made, -1 between calls */
	volatile uint64_t a[6];	 /* its arguments */
	volatile int32_t pid;	 /* who holds the slot (0: free) */
	volatile int32_t killed; /* its worker sent SIGKILL */
	volatile uint64_t killed_ns;
	volatile uint64_t signals; /* handlers it ran (a hang that takes signals: a storm) */
	char path[64];		   /* the path argument of an exec or open, for the report */
};

struct fz_shared {
	uint64_t seed, calls_per_worker;
	int workers, log;
	struct fz_beat worker[FZ_MAX_WORKERS];
	struct fz_beat child[FZ_CHILD_SLOTS];
	volatile int32_t worker_pid[FZ_MAX_WORKERS];
	volatile int32_t done[FZ_MAX_WORKERS];
	/* Counters, added to atomically. */
	uint64_t calls[FZ_NR_MAX + 1]; /* by number, workers and children */
	uint64_t okays[FZ_NR_MAX + 1]; /* of which returned >= 0 */
	uint64_t child_calls, forks, execs, kills_sent, signals_taken, deadline_kills;
	uint64_t total_calls;
	/* Failures, each with the call that showed it (first one kept). */
	volatile uint64_t failures;
	char failure[512];
};

extern struct fz_shared *fz;

/* The per-process state the generators use. */
struct fz_ctx {
	uint64_t rng;
	int disposable; /* 1: may end itself, unmap anything, exec itself */
	int depth;	/* 0 for a worker; a child's generation */
	int worker;	/* index of the worker (or its child's) */
	struct fz_beat *beat;
	uintptr_t arena, victim;
	int32_t siblings[FZ_MAX_WORKERS]; /* the other workers' pids */
	int32_t kids[8];		  /* this process's disposable children */
	uint64_t kid_start[8];
	int kid_slot[8];
};

/* A generated call. */
struct fz_call {
	long nr;
	uint64_t a[6];
	int special; /* FZ_SPECIAL_* : made by the caller, not by raw syscall */
};

enum {
	FZ_SPECIAL_NONE,
	FZ_SPECIAL_FORK,  /* fork or clone without CLONE_VM: the child runs fz_child_run */
	FZ_SPECIAL_VFORK, /* vfork or CLONE_VM: the child execs or exits at once (fuzz_asm.S) */
	FZ_SPECIAL_SKIP,  /* nothing to call (a worker drew a call for children only) */
};

uint64_t fz_rand(struct fz_ctx *c);
static inline uint64_t fz_below(struct fz_ctx *c, uint64_t n)
{
	return n ? fz_rand(c) % n : 0;
}

/* fuzz_gen.c */
void fz_generate(struct fz_ctx *c, struct fz_call *call);
const char *fz_name(long nr);
int fz_implemented_count(void);
long fz_implemented(int i);
void fz_arena_setup(struct fz_ctx *c);

/* fuzz_asm.S: clone/vfork whose CLONE_VM child runs no C. mode 0: the
 * child returns 0 (no CLONE_VM, no stack: a copy of ours); 1: the child
 * calls exit(0); 2: the child execs fz_exec_path with fz_exec_argv, then
 * exit_group(127). */
long fz_clone_raw(long nr, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid,
		  uint64_t tls, long mode);
extern const char *fz_exec_path;
extern char *const *fz_exec_argv;
extern char *const *fz_exec_envp;

static inline long fz_syscall6(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			       uint64_t f)
{
	register uint64_t r10 __asm__("r10") = d;
	register uint64_t r8 __asm__("r8") = e;
	register uint64_t r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* fuzz_main.c */
void fz_fail(const char *fmt, ...);
void fz_logf(const char *fmt, ...);
uint64_t fz_now_ns(void);
void fz_child_run(struct fz_ctx *parent, uint64_t seed, uint64_t calls);
long fz_do_call(struct fz_ctx *c, struct fz_call *call);

#endif
