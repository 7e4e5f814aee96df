/* Preemption points and the interrupts-off measurement (kernel/preempt.h). */
#include "kernel/preempt.h"

#include "apic/apic.h"
#include "kernel/cmdline.h"

struct irqoff_stats irqoff;

void irqoff_init(void)
{
	const char *v;
	size_t len;

	irqoff.enabled = cmdline_option("irqoff_stats", &v, &len);
}

bool preempt_pending(void)
{
	return lapic_irq_pending();
}
