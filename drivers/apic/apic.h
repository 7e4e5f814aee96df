/* Local APIC, I/O APIC and the (masked) legacy PIC. */
#ifndef DRIVERS_APIC_APIC_H
#define DRIVERS_APIC_APIC_H

#include <stdbool.h>
#include <stdint.h>

enum lapic_timer_mode { LAPIC_TIMER_TSC_DEADLINE, LAPIC_TIMER_ONESHOT };

void pic_disable(void);

void lapic_init(void);
bool lapic_is_x2apic(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
bool lapic_irq_pending(void);
enum lapic_timer_mode lapic_timer_mode(void);
const char *lapic_timer_mode_name(void);
/* Arm the timer to fire `vector` once, `ns` from now; 0 stops it. */
void lapic_timer_set_vector(uint8_t vector);
void lapic_timer_oneshot_ns(uint64_t ns);
void lapic_timer_stop(void);

void ioapic_init(uint64_t phys_base, uint32_t gsi_base);
bool ioapic_present(void);
/* Route an ISA IRQ (after MADT overrides) to `vector` on this CPU. */
int ioapic_route_isa_irq(unsigned irq, uint8_t vector);
int ioapic_mask_gsi(uint32_t gsi, bool masked);
int ioapic_mask_isa_irq(unsigned irq, bool masked);

#endif
