/* Preemption points and the interrupts-off measurement (kernel/preempt.h). */
#include "kernel/preempt.h"

#include "apic/apic.h"

struct irqoff_stats irqoff;

bool preempt_pending(void)
{
	return lapic_irq_pending();
}
