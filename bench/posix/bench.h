/* What the benchmark program's files share: posix_bench.c (the table,
 * the runner and the micro-benchmarks) and workload.c (the workloads). */
#ifndef BENCH_POSIX_BENCH_H
#define BENCH_POSIX_BENCH_H

#define PAGE 4096ul

/* A scratch buffer of a page, for any benchmark. */
extern char buf[PAGE];

/* What failed: printed as the SKIP reason (fail and fail_msg return 1). */
extern char why[256];
int fail(const char *call, long ret);
int fail_msg(const char *msg);

#define CHECK(call_text, ret, ok)                   \
	do {                                        \
		long r_ = (long)(ret);              \
		if (__builtin_expect(!(ok), 0))     \
			return fail(call_text, r_); \
	} while (0)

/* The syscall instruction inline, as musl's own wrappers issue it
 * (musl's variadic syscall() function costs 20-30 instructions more):
 * the kernel's result, -errno on failure. */
static inline long sc(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The workloads (workload.c), each an op or a set-up/tear-down of the
 * table: 0 or 1 with `why` filled. */
int op_exec_true(void);
int op_shell_noop(void);
int op_pipe_grep(void);
int op_sed_pipeline(void);
int op_sort_uniq(void);
int op_tar_extract(void);
int need_sh(void);
int setup_exec_true(void);
int setup_pipe_grep(void);
int setup_sed_pipeline(void);
int setup_sort_uniq(void);
void teardown_text(void);
int setup_tar_extract(void);
void teardown_tar_extract(void);

#endif
