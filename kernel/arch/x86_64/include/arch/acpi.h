/* The little of ACPI the kernel needs: the MADT's interrupt topology. */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_OVERRIDES 16

struct acpi_irq_override {
	uint8_t isa_irq;
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: polarity bits 0-1, trigger bits 2-3 */
};

struct acpi_madt_info {
	bool found;
	uint64_t lapic_base;
	uint64_t ioapic_base; /* first I/O APIC */
	uint32_t ioapic_gsi_base;
	unsigned n_cpus;
	unsigned n_overrides;
	struct acpi_irq_override overrides[ACPI_MAX_OVERRIDES];
};

extern struct acpi_madt_info acpi_madt;

/* Find the RSDP in the BIOS areas and parse the MADT; checksums and
 * lengths are verified, a bad table is ignored (defaults apply). */
void acpi_init(void);

#endif
