/* The TSC clock: calibrated once, read without division. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

#include "kernel/tsc_math.h"

enum tsc_source { TSC_SRC_CPUID15, TSC_SRC_CPUID16, TSC_SRC_HYPERVISOR, TSC_SRC_PIT };

struct clock_state {
	struct tsc_conv conv;
	uint64_t tsc_base; /* TSC at kernel entry: the clock's zero */
	enum tsc_source source;
	uint64_t realtime_base; /* ns since the epoch at the clock's zero (RTC) */
};

extern struct clock_state kclock;
extern uint64_t boot_tsc_entry; /* written by boot.S */

void time_init(void);

/* tern.profile=1 on the command line (sys/prof.h): the reflection stamps
 * the TSC into the syscall frame, user space learns it from the clock
 * page's flags and TERN_DEBUG_QUERY_PROFILE. Set by time_init. */
extern uint8_t profile_on;
const char *tsc_source_name(enum tsc_source s);

/* Nanoseconds since kernel entry. */
uint64_t clock_monotonic_ns(void);
uint64_t clock_ns_to_tsc(uint64_t ns);
/* The physical page holding the user-visible clock parameters. */
uint64_t clock_page_phys(void);

/* Busy-wait; for boot and tests, not for anything that can sleep. */
void clock_spin_ns(uint64_t ns);

/* PIT channel 2 as a stopwatch for the TSC (calibration): at least
 * `pit_ticks` (1..32767) PIT ticks; m->pit_ticks of them took tsc_cycles
 * +- tsc_error. Returns 0, or -1 when the measurement failed. */
struct pit_measurement {
	uint32_t pit_ticks;
	uint64_t tsc_cycles, tsc_error;
};
int pit_measure_tsc(uint32_t pit_ticks, struct pit_measurement *m);
#define PIT_HZ 1193182u

#endif
