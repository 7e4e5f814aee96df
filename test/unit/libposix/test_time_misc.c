/*
 * libposix's pure time and misc logic, the code its handlers run:
 * timespec validity at every edge Linux checks, ns conversion that
 * saturates instead of wrapping, sleep deadlines (relative, absolute on
 * the monotonic and the realtime clock, in the past, never 0), the time
 * left, clock_nanosleep's clock errors, utsname's exact bytes,
 * getrandom's flags, the MAX_RW_COUNT clamp and sysinfo's fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "misc_calc.h"
#include "posix/errno.h"
#include "time_calc.h"

static void timespec_validity(void **state)
{
	(void)state;
	const struct posix_timespec ok[] = { { 0, 0 }, { 0, 999999999 }, { INT64_MAX, 0 } };
	const struct posix_timespec bad[] = {
		{ -1, 0 }, { 0, -1 }, { 0, 1000000000 }, { INT64_MIN, 0 }, { 5, INT64_MAX }
	};
	for (size_t i = 0; i < 3; i++)
		assert_true(posix_timespec_valid(&ok[i]));
	for (size_t i = 0; i < 5; i++)
		assert_false(posix_timespec_valid(&bad[i]));
	struct posix_timespec t = { 3, 5 };
	assert_int_equal(posix_timespec_ns(&t), 3000000005ull);
	t.tv_sec = INT64_MAX;
	assert_int_equal(posix_timespec_ns(&t), UINT64_MAX);
	t.tv_sec = 18446744073; /* just past what fits */
	t.tv_nsec = 999999999;
	assert_int_equal(posix_timespec_ns(&t), UINT64_MAX);
}

static void sleep_deadlines(void **state)
{
	(void)state;
	const uint64_t now = 5000000000ull, base = 1700000000ull * 1000000000ull;
	struct posix_timespec req = { 1, 500 };

	assert_int_equal(posix_sleep_deadline(CLOCK_MONOTONIC, 0, &req, now, base),
			 now + 1000000500ull);
	/* Relative on REALTIME is the same length. */
	assert_int_equal(posix_sleep_deadline(CLOCK_REALTIME, 0, &req, now, base),
			 now + 1000000500ull);
	/* Absolute monotonic: the time itself; in the past: now. */
	req = (struct posix_timespec){ 7, 0 };
	assert_int_equal(posix_sleep_deadline(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, now, base),
			 7000000000ull);
	assert_int_equal(posix_sleep_deadline(CLOCK_BOOTTIME, TIMER_ABSTIME, &req, now, base),
			 7000000000ull);
	req.tv_sec = 1;
	assert_int_equal(posix_sleep_deadline(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, now, base),
			 now);
	/* Absolute realtime: less the base. */
	req = (struct posix_timespec){ 1700000009, 0 };
	assert_int_equal(posix_sleep_deadline(CLOCK_REALTIME, TIMER_ABSTIME, &req, now, base),
			 9000000000ull);
	req.tv_sec = 1600000000; /* before boot */
	assert_int_equal(posix_sleep_deadline(CLOCK_REALTIME, TIMER_ABSTIME, &req, now, base), now);
	/* A huge sleep saturates; never 0 even at now 0. */
	req = (struct posix_timespec){ INT64_MAX, 999999999 };
	assert_int_equal(posix_sleep_deadline(CLOCK_MONOTONIC, 0, &req, now, base), UINT64_MAX);
	req = (struct posix_timespec){ 0, 0 };
	assert_int_equal(posix_sleep_deadline(CLOCK_MONOTONIC, 0, &req, 0, base), 1);
	/* Unknown flag bits are ignored (only TIMER_ABSTIME is looked at). */
	req = (struct posix_timespec){ 1, 0 };
	assert_int_equal(posix_sleep_deadline(CLOCK_MONOTONIC, 0x10, &req, now, base),
			 now + 1000000000ull);
}

static void remaining_time(void **state)
{
	(void)state;
	struct posix_timespec rem;

	posix_sleep_remaining(10000000123ull, 7000000000ull, &rem);
	assert_int_equal(rem.tv_sec, 3);
	assert_int_equal(rem.tv_nsec, 123);
	posix_sleep_remaining(5, 9, &rem);
	assert_int_equal(rem.tv_sec, 0);
	assert_int_equal(rem.tv_nsec, 0);
}

static void nanosleep_clocks(void **state)
{
	(void)state;
	const int64_t ok[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,	     CLOCK_BOOTTIME,
			       CLOCK_TAI,      CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM };
	const int64_t nosleep[] = { CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
				    CLOCK_MONOTONIC_COARSE, CLOCK_THREAD_CPUTIME_ID };
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(posix_nanosleep_clock_check(ok[i]), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(posix_nanosleep_clock_check(nosleep[i]), -EOPNOTSUPP);
	assert_int_equal(posix_nanosleep_clock_check(10), -EINVAL);
	assert_int_equal(posix_nanosleep_clock_check(12), -EINVAL);
	assert_int_equal(posix_nanosleep_clock_check(-1), -EINVAL);
}

static void utsname_bytes(void **state)
{
	(void)state;
	struct posix_utsname u;

	memset(&u, 0xaa, sizeof(u));
	posix_utsname_fill(&u);
	assert_string_equal(u.sysname, "Linux");
	assert_string_equal(u.nodename, "(none)");
	assert_string_equal(u.machine, "x86_64");
	assert_string_equal(u.domainname, "(none)");
	assert_memory_equal(u.release, "6.1.0", 5);
	/* Every field is NUL-padded to its end: no stack bytes leak out. */
	const char *fields[] = { u.sysname, u.nodename, u.release,
				 u.version, u.machine,	u.domainname };
	for (int f = 0; f < 6; f++)
		for (size_t i = strlen(fields[f]); i < POSIX_UTS_LEN; i++)
			assert_int_equal(fields[f][i], 0);
	assert_int_equal(offsetof(struct posix_utsname, machine), 4 * 65);
}

static void getrandom_flags(void **state)
{
	(void)state;
	assert_int_equal(posix_getrandom_flags_check(0), 0);
	assert_int_equal(posix_getrandom_flags_check(GRND_NONBLOCK), 0);
	assert_int_equal(posix_getrandom_flags_check(GRND_RANDOM), 0);
	assert_int_equal(posix_getrandom_flags_check(GRND_INSECURE), 0);
	assert_int_equal(posix_getrandom_flags_check(GRND_NONBLOCK | GRND_INSECURE), 0);
	assert_int_equal(posix_getrandom_flags_check(GRND_RANDOM | GRND_INSECURE), -EINVAL);
	assert_int_equal(posix_getrandom_flags_check(0x8), -EINVAL);
	assert_int_equal(posix_getrandom_flags_check(0x80000000u), -EINVAL);
	assert_int_equal(posix_getrandom_flags_check(1ull << 40), 0); /* an unsigned int */
	assert_int_equal(posix_rw_count(100), 100);
	assert_int_equal(posix_rw_count(~0ull), 0x7ffff000ull);
}

static void sysinfo_fields(void **state)
{
	(void)state;
	struct posix_sysinfo si;

	memset(&si, 0xaa, sizeof(si));
	posix_sysinfo_fill(&si, 3000000001ull, 512ull << 20, 400ull << 20, 1);
	assert_int_equal(si.uptime, 4); /* a started second counts */
	assert_int_equal(si.totalram, 512ull << 20);
	assert_int_equal(si.freeram, 400ull << 20);
	assert_int_equal(si.mem_unit, 1);
	assert_int_equal(si.procs, 1);
	assert_int_equal(si.totalswap, 0);
	assert_int_equal(si.pad, 0);
	assert_int_equal(si.loads[0], 0);
	posix_sysinfo_fill(&si, 3000000000ull, 1, 1, 1);
	assert_int_equal(si.uptime, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timespec_validity), cmocka_unit_test(sleep_deadlines),
		cmocka_unit_test(remaining_time),    cmocka_unit_test(nanosleep_clocks),
		cmocka_unit_test(utsname_bytes),     cmocka_unit_test(getrandom_flags),
		cmocka_unit_test(sysinfo_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
