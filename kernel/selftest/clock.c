/*
 * The TSC clock runs at the host's rate: time whole seconds of the CMOS
 * RTC (which QEMU drives from the host's clock) with clock_monotonic_ns
 * and require agreement within 5%. Meaningless under -icount, where guest
 * time counts instructions; the benchmark mode does not run it.
 *
 * The RTC only says which second it is, so what is timed is the interval
 * between two of its ticks (the seconds register changing). A tick is
 * located between the last read that still showed the old second and the
 * first that shows the new one; on a busy host the vCPU can be descheduled
 * between two reads, which leaves that window wide and once made a good
 * clock look 6% off. So every tick comes with its window, and only ticks
 * located to within TICK_PRECISION_NS count: the first such tick starts
 * the measurement, and the first such tick at least RTC_SECONDS_MEASURED
 * RTC seconds later ends it. The remaining uncertainty is then under 2%,
 * well inside the tolerance, and a wrong clock rate still fails.
 */
#include "arch/io.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/time.h"

#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_SECONDS_MEASURED 2
#define TOLERANCE_PERCENT 5
#define TICK_PRECISION_NS 20000000ull /* 20 ms: 2% of 2 s for both ends */
#define NS_PER_S 1000000000ull
#define TIME_LIMIT_NS (20 * NS_PER_S)

static uint8_t rtc_seconds(void)
{
	outb(RTC_INDEX, 0x80 | RTC_SECONDS); /* bit 7 keeps NMIs masked */
	return inb(RTC_DATA);
}

#define RTC_STATUS_B 0x0b
#define RTC_B_BINARY 0x04 /* data mode: binary, else BCD */

static unsigned rtc_decode(uint8_t v)
{
	outb(RTC_INDEX, 0x80 | RTC_STATUS_B);
	if (inb(RTC_DATA) & RTC_B_BINARY)
		return v;
	return (v >> 4) * 10 + (v & 0xf);
}

/* One RTC tick: when (between lo and hi, TSC clock ns) and which second
 * it started. */
struct rtc_tick {
	uint64_t lo, hi;
	unsigned second;
};

/* Wait for the next tick; false if none came before `limit_ns`. */
static bool next_tick(struct rtc_tick *t, uint64_t limit_ns)
{
	uint64_t before = clock_monotonic_ns();
	uint8_t old = rtc_seconds(), v;
	uint64_t last_old = before, now;

	for (;;) {
		now = clock_monotonic_ns();
		v = rtc_seconds();
		if (v != old)
			break;
		last_old = now;
		if (now > limit_ns)
			return false;
	}
	*t = (struct rtc_tick){ last_old, clock_monotonic_ns(), rtc_decode(v) };
	return true;
}

static int selftest_clock(void)
{
	uint64_t limit = clock_monotonic_ns() + TIME_LIMIT_NS;
	uint64_t prev = clock_monotonic_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t now = clock_monotonic_ns();
		if (now < prev)
			SELFTEST_FAIL("clock went backwards: %lu after %lu", now, prev);
		prev = now;
	}

	struct rtc_tick start, end, t;
	bool have_start = false;
	unsigned imprecise = 0, seconds = 0;
	for (;;) {
		if (!next_tick(&t, limit))
			SELFTEST_FAIL(
				"no two RTC ticks %u s apart located within %llu ms in %llu s "
				"(%u ticks too imprecise)",
				RTC_SECONDS_MEASURED, TICK_PRECISION_NS / 1000000,
				TIME_LIMIT_NS / NS_PER_S, imprecise);
		if (t.hi - t.lo > TICK_PRECISION_NS) {
			imprecise++;
			continue;
		}
		if (!have_start) {
			start = t;
			have_start = true;
			continue;
		}
		seconds = (t.second + 60 - start.second) % 60;
		if (seconds >= RTC_SECONDS_MEASURED) {
			end = t;
			break;
		}
	}
	/* The true interval lies in [lo, hi]; its middle is the estimate. */
	uint64_t lo = end.lo - start.hi, hi = end.hi - start.lo, ns = lo + (hi - lo) / 2;
	uint64_t expect = seconds * NS_PER_S;
	uint64_t diff = ns > expect ? ns - expect : expect - ns;
	printk("clock: %u RTC seconds measured as %lu ns (+-%lu us) by the TSC clock "
	       "(%lu.%02lu%% off, %u imprecise ticks skipped)\n",
	       seconds, ns, (hi - lo) / 2000, diff * 100 / expect, (diff * 10000 / expect) % 100,
	       imprecise);
	if (diff * 100 > expect * TOLERANCE_PERCENT)
		SELFTEST_FAIL("TSC clock is more than %d%% off the host's rate", TOLERANCE_PERCENT);
	return 0;
}
SELFTEST(clock, selftest_clock, false);
