/*
 * TSC frequency and the monotonic clock. The frequency comes from, in
 * order: CPUID 0x15 (crystal ratio), the hypervisor timing leaf 0x40000010,
 * CPUID 0x16 (base MHz, approximate), or a PIT calibration. Conversion to
 * ns is a multiply and a shift precomputed by tsc_conv_init.
 */
#include "kernel/time.h"

#include "arch/cpu.h"
#include "kernel/panic.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "common/string.h"
#include "kernel/rtc.h"
#include "tern/clock.h"

#define CALIBRATION_PIT_TICKS 11932 /* 10 ms */
#define CALIBRATION_MAX_ROUNDS 10
#define CALIBRATION_PPM 50 /* bracket width of a good round */

struct clock_state kclock;
uint8_t profile_on;

/* tern.profile: a Linux-style boolean (1, y, Y, on; a bare word too). */
static bool profile_wanted(void)
{
	const char *v;
	size_t n;

	if (!cmdline_option("tern.profile", &v, &n))
		return false;
	return n == 0 || (n == 1 && (v[0] == '1' || v[0] == 'y' || v[0] == 'Y')) ||
	       (n == 2 && v[0] == 'o' && v[1] == 'n');
}

const char *tsc_source_name(enum tsc_source s)
{
	switch (s) {
	case TSC_SRC_CPUID15:
		return "cpuid-0x15";
	case TSC_SRC_CPUID16:
		return "cpuid-0x16";
	case TSC_SRC_HYPERVISOR:
		return "hypervisor-0x40000010";
	case TSC_SRC_PIT:
		return "pit-calibration";
	}
	return "?";
}

static uint64_t tsc_hz_from_pit(void)
{
	struct pit_measurement best = { 0, 0, ~0ull }, m;

	/* The first round precise to CALIBRATION_PPM, else the most precise. */
	for (int i = 0; i < CALIBRATION_MAX_ROUNDS; i++) {
		if (pit_measure_tsc(CALIBRATION_PIT_TICKS, &m) == 0 && m.tsc_error < best.tsc_error)
			best = m;
		if (best.tsc_error * 1000000 < best.tsc_cycles * CALIBRATION_PPM)
			break;
	}
	return tsc_hz_from_calibration(best.tsc_cycles, best.pit_ticks, PIT_HZ);
}

static uint64_t tsc_hz_detect(enum tsc_source *src)
{
	uint32_t a, b, c, d;
	uint64_t hz;

	if (cpu_features.max_leaf >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		hz = tsc_hz_from_cpuid15(a, b, c);
		if (hz) {
			*src = TSC_SRC_CPUID15;
			return hz;
		}
	}
	if (cpu_features.hypervisor_present && cpu_features.max_hv_leaf >= 0x40000010) {
		cpuid(0x40000010, 0, &a, &b, &c, &d);
		if (a) {
			*src = TSC_SRC_HYPERVISOR;
			return (uint64_t)a * 1000;
		}
	}
	/* 0x16 is the nominal base frequency, which only matches the TSC on
	 * bare metal; under a hypervisor we would rather measure. */
	if (cpu_features.max_leaf >= 0x16 && !cpu_features.hypervisor_present) {
		cpuid(0x16, 0, &a, &b, &c, &d);
		if (a & 0xffff) {
			*src = TSC_SRC_CPUID16;
			return (uint64_t)(a & 0xffff) * 1000000;
		}
	}
	*src = TSC_SRC_PIT;
	return tsc_hz_from_pit();
}

static void realtime_init(void);

void time_init(void)
{
	uint64_t hz = tsc_hz_detect(&kclock.source);

	kclock.tsc_base = boot_tsc_entry;
	if (tsc_conv_init(&kclock.conv, hz) != 0)
		panic("time: unusable TSC frequency %lu Hz from %s", hz,
		      tsc_source_name(kclock.source));
	realtime_init();
	profile_on = profile_wanted();
}

/* CLOCK_REALTIME's base: the RTC's time less the monotonic clock now. */
static void realtime_init(void)
{
	uint64_t secs;

	if (rtc_read_unix(&secs)) {
		printk(KERN_WARNING "time: no readable RTC; CLOCK_REALTIME starts at the epoch\n");
		return;
	}
	uint64_t now = clock_monotonic_ns();
	uint64_t wall = secs * 1000000000ull;
	kclock.realtime_base = wall > now ? wall - now : 0;
	printk(KERN_INFO "time: RTC %lu s since the epoch\n", secs);
}

/* The read-only page user space reads the clock from (tern/clock.h). */
uint64_t clock_page_phys(void)
{
	static uint64_t pa;

	if (!pa) {
		pa = page_alloc();
		if (!pa)
			panic("time: no page for the clock page");
		struct tern_clock_page *p = phys_to_virt(pa);
		memset(p, 0, PAGE_SIZE);
		p->tsc_base = kclock.tsc_base;
		p->mult = kclock.conv.mult;
		p->shift = kclock.conv.shift;
		p->tsc_hz = kclock.conv.tsc_hz;
		p->realtime_base = kclock.realtime_base;
		p->flags = profile_on ? TERN_CLOCK_FLAG_PROFILE : 0;
	}
	return pa;
}

uint64_t clock_monotonic_ns(void)
{
	return tsc_cycles_to_ns(&kclock.conv, rdtsc() - kclock.tsc_base);
}

uint64_t clock_ns_to_tsc(uint64_t ns)
{
	return tsc_ns_to_cycles(&kclock.conv, ns);
}

void clock_spin_ns(uint64_t ns)
{
	uint64_t end = rdtsc() + clock_ns_to_tsc(ns);

	while (rdtsc() < end)
		cpu_relax();
}
