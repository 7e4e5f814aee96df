/*
 * The clock page: a read-only page the kernel maps into a task so it can
 * read the monotonic clock without a kernel entry (a vDSO's data page):
 *     ns = ((rdtsc() - tsc_base) * mult) >> shift     (128-bit product)
 * The parameters never change after boot; `seq` is reserved for updates
 * (even = stable), as in Linux's vDSO. CLOCK_REALTIME is
 *     realtime_ns = ns + realtime_base
 * with realtime_base read from the CMOS RTC at boot (second resolution;
 * 0 when the machine has no readable RTC: time then starts at the epoch).
 */
#ifndef TERN_CLOCK_H
#define TERN_CLOCK_H

#include <stdint.h>

struct tern_clock_page {
	uint64_t seq;
	uint64_t tsc_base; /* TSC at the clock's zero (kernel entry) */
	uint64_t mult;
	uint64_t shift;
	uint64_t tsc_hz;
	uint64_t realtime_base; /* ns since the Unix epoch at the clock's zero */
	uint64_t flags;		/* TERN_CLOCK_FLAG_* */
	uint64_t reserved;
};
/* The command line has tern.profile=1 (sys/prof.h). */
#define TERN_CLOCK_FLAG_PROFILE 1ull
_Static_assert(sizeof(struct tern_clock_page) == 64, "struct tern_clock_page is ABI");

static inline uint64_t tern_clock_ns(const volatile struct tern_clock_page *c, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)(tsc - c->tsc_base) * c->mult) >> c->shift);
}

#endif
