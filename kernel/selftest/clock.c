/*
 * The TSC clock runs at the host's rate: measure two seconds of the CMOS
 * RTC (which QEMU drives from the host's clock) with clock_monotonic_ns
 * and require agreement within 5%. Meaningless under -icount, where guest
 * time counts instructions; the benchmark mode does not run it.
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

static uint8_t rtc_seconds(void)
{
	outb(RTC_INDEX, 0x80 | RTC_SECONDS); /* bit 7 keeps NMIs masked */
	return inb(RTC_DATA);
}

/* Spin until the RTC's seconds register changes; returns the time then. */
static uint64_t wait_rtc_tick(uint64_t limit_ns)
{
	uint8_t s = rtc_seconds();

	while (rtc_seconds() == s)
		if (clock_monotonic_ns() > limit_ns)
			return 0;
	return clock_monotonic_ns();
}

static int selftest_clock(void)
{
	uint64_t limit = clock_monotonic_ns() + 10000000000ull;
	uint64_t prev = clock_monotonic_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t now = clock_monotonic_ns();
		if (now < prev)
			SELFTEST_FAIL("clock went backwards: %lu after %lu", now, prev);
		prev = now;
	}

	uint64_t t0 = wait_rtc_tick(limit);
	uint64_t t1 = t0;
	for (int i = 0; t1 && i < RTC_SECONDS_MEASURED; i++)
		t1 = wait_rtc_tick(limit);
	if (!t0 || !t1)
		SELFTEST_FAIL("the RTC did not tick within 10 s of TSC time");
	uint64_t ns = t1 - t0;
	uint64_t expect = RTC_SECONDS_MEASURED * 1000000000ull;
	uint64_t diff = ns > expect ? ns - expect : expect - ns;
	printk("clock: %u RTC seconds measured as %lu ns by the TSC clock (%lu.%02lu%% off)\n",
	       RTC_SECONDS_MEASURED, ns, diff * 100 / expect, (diff * 10000 / expect) % 100);
	if (diff * 100 > expect * TOLERANCE_PERCENT)
		SELFTEST_FAIL("TSC clock is more than %d%% off the host's rate", TOLERANCE_PERCENT);
	return 0;
}
SELFTEST(clock, selftest_clock, false);
