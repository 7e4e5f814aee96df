/* The little of ACPI the kernel needs: the MADT's interrupt topology and
 * the FADT's power-off (S5) and reset registers. */
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

/* How to power off (S5) and reset, from the FADT and the DSDT's \_S5. */
struct acpi_power_info {
	bool s5; /* power-off possible; else s5_error says why not */
	const char *s5_error;
	uint16_t pm1a_cnt, pm1b_cnt; /* I/O ports; pm1b_cnt 0 when absent */
	uint8_t slp_typa, slp_typb;
	uint16_t smi_cmd; /* SMI command port to enter ACPI mode; 0: none */
	uint8_t acpi_enable;
	bool reset; /* the FADT reset register (I/O space) */
	uint16_t reset_port;
	uint8_t reset_value;
};

extern struct acpi_power_info acpi_power;

/* Enter S5 (soft off). Returns only when the machine is still running. */
void acpi_power_off(void);
/* Write the FADT reset register. Returns when there is none or it failed. */
void acpi_reset(void);

/* Find the RSDP in the BIOS areas and parse the MADT, FADT and DSDT;
 * checksums and lengths are verified, a bad table is ignored (defaults
 * apply, or power-off is unavailable). */
void acpi_init(void);

#endif
