/* The self-test runner: tests register themselves in .selftests. */
#include "kernel/selftest.h"

#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "common/string.h"
#include "kernel/time.h"

extern const struct selftest __selftests_start[], __selftests_end[];

static bool is_known(const char *name, size_t len)
{
	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++)
		if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
			return true;
	return false;
}

static int unknown_names(const char *val, size_t len)
{
	int bad = 0;

	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && val[j] != ',')
			j++;
		if (!(j - i == 3 && memcmp(val + i, "all", 3) == 0) && !is_known(val + i, j - i)) {
			printk(KERN_ERR "SELFTEST %.*s: FAIL: no such self-test\n", (int)(j - i),
			       val + i);
			bad++;
		}
		i = j + 1;
	}
	return bad;
}

int selftests_run(void)
{
	const char *val;
	size_t len;

	if (!cmdline_option("selftest", &val, &len))
		return -1;
	bool all = cmdline_list_has(val, len, "all");
	int passed = 0, failed = unknown_names(val, len);

	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		if (!(all && !t->explicit_only) && !cmdline_list_has(val, len, t->name))
			continue;
		printk("SELFTEST %s: start\n", t->name);
		uint64_t t0 = clock_monotonic_ns();
		int r = t->fn();
		uint64_t dt = clock_monotonic_ns() - t0;
		if (r == 0) {
			printk("SELFTEST %s: PASS (%lu us)\n", t->name, dt / 1000);
			passed++;
		} else {
			printk(KERN_ERR "SELFTEST %s: FAIL\n", t->name);
			failed++;
		}
	}
	printk("SELFTESTS: %d passed, %d failed\n", passed, failed);
	return failed;
}
