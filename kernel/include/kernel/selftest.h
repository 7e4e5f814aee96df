/*
 * In-kernel self-tests, run when named on the command line
 * (selftest=alloc,timer or selftest=all). Each prints
 * "SELFTEST <name>: PASS" or "... FAIL: <why>"; the test harness reads
 * those lines. Tests that crash the kernel on purpose (pagefault) only run
 * when named.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <stdbool.h>

#include "common/compiler.h"

struct selftest {
	const char *name;
	int (*fn)(void);    /* 0 = pass */
	bool explicit_only; /* not part of "all" */
};

#define SELFTEST(tname, func, explicit)                                                \
	static const struct selftest __selftest_##tname __used __section(".selftests") \
		__aligned(8) = { #tname, func, explicit }

/* Report a failure reason and return nonzero from a test. */
#define SELFTEST_FAIL(...)                                 \
	do {                                               \
		printk("SELFTEST %s: detail: ", __func__); \
		printk(__VA_ARGS__);                       \
		printk("\n");                              \
		return -1;                                 \
	} while (0)

/* Run the tests the command line names; returns the number that failed,
 * or -1 when none was asked for. */
int selftests_run(void);

#endif
