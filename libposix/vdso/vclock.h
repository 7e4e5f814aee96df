/*
 * Reading Linux's clocks from the kernel's clock page (tern/clock.h):
 * one copy of the arithmetic for the vDSO (vdso.c) and for libposix's
 * clock_gettime, gettimeofday and time syscalls (time.c), so both paths
 * give the same answers. Freestanding; no division on the clock path but
 * the one by 10^9 that splits seconds (a multiply by the compiler).
 */
#ifndef LIBPOSIX_VCLOCK_H
#define LIBPOSIX_VCLOCK_H

#include <stdint.h>

#include "posix/time.h"
#include "tern/clock.h"

static inline uint64_t vclock_rdtsc(void)
{
	uint32_t lo, hi;

	/* lfence: the TSC is read after the loads before it, as Linux's
	 * rdtsc_ordered. */
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

/* Whether the page answers clock clk (the rest go to the syscall). */
static inline int vclock_handles(int64_t clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC || clk == CLOCK_MONOTONIC_RAW ||
	       clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE ||
	       clk == CLOCK_BOOTTIME;
}

/* ns on clock clk, one of vclock_handles's. MONOTONIC, MONOTONIC_RAW and
 * BOOTTIME are one clock here (nothing slews it, and the machine does not
 * suspend); REALTIME is it plus the RTC's base. */
static inline uint64_t vclock_ns(const volatile struct tern_clock_page *p, int64_t clk)
{
	uint64_t seq, ns;

	do {
		seq = p->seq;
		__asm__ volatile("" ::: "memory");
		ns = tern_clock_ns(p, vclock_rdtsc());
		if (clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE)
			ns += p->realtime_base;
		__asm__ volatile("" ::: "memory");
	} while ((seq & 1) || p->seq != seq);
	if (clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE)
		ns -= ns % POSIX_CLOCK_COARSE_NS;
	return ns;
}

static inline void vclock_timespec(uint64_t ns, struct posix_timespec *ts)
{
	ts->tv_sec = (int64_t)(ns / POSIX_NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % POSIX_NSEC_PER_SEC);
}

/* The resolution of a clock vclock_handles answers. */
static inline uint64_t vclock_res_ns(int64_t clk)
{
	return clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE ? POSIX_CLOCK_COARSE_NS
									     : 1;
}

#endif
