/*
 * Timer interrupts arrive: arm the LAPIC timer one-shot, re-arm from the
 * handler, and wait (halting) for a number of ticks; check the interrupts
 * came and that they were spaced as asked.
 */
#include <stddef.h>

#include "apic/apic.h"
#include "arch/cpu.h"
#include "arch/trap.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/time.h"

#define TICKS 20
#define PERIOD_NS 1000000ull /* 1 ms */

static volatile unsigned ticks;
static volatile uint64_t first_ns, last_ns;

static void on_tick(struct trap_frame *tf, void *ctx)
{
	(void)tf;
	(void)ctx;
	uint64_t now = clock_monotonic_ns();
	if (ticks == 0)
		first_ns = now;
	last_ns = now;
	if (++ticks < TICKS)
		lapic_timer_oneshot_ns(PERIOD_NS);
	lapic_eoi();
}

static int selftest_timer(void)
{
	irq_register(VEC_TIMER, on_tick, NULL);
	lapic_timer_set_vector(VEC_TIMER);
	uint64_t deadline = clock_monotonic_ns() + 2000000000ull;

	ticks = 0;
	lapic_timer_oneshot_ns(PERIOD_NS);
	irq_enable();
	while (ticks < TICKS && clock_monotonic_ns() < deadline)
		cpu_halt(); /* the timer, or at worst the 2 s bound, wakes us */
	irq_disable();
	lapic_timer_stop();
	irq_register(VEC_TIMER, NULL, NULL);

	if (ticks < TICKS)
		SELFTEST_FAIL("only %u of %u timer interrupts in 2 s (mode %s)", ticks, TICKS,
			      lapic_timer_mode_name());
	uint64_t span = last_ns - first_ns;
	printk("timer: %u interrupts, %lu us apart on average (%s)\n", TICKS,
	       span / (TICKS - 1) / 1000, lapic_timer_mode_name());
	if (span < (TICKS - 1) * PERIOD_NS)
		SELFTEST_FAIL("interrupts came early: %lu ns for %u periods", span, TICKS - 1);
	return 0;
}
SELFTEST(timer, selftest_timer, false);
