/*
 * The I/O APIC: every redirection entry starts masked; a driver asks for
 * its ISA IRQ to be routed, and the MADT's source overrides (IRQ 0 is GSI 2
 * on most machines, polarity and trigger flags) are applied here.
 */
#include "apic/apic.h"

#include "arch/acpi.h"
#include "kernel/mm.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define REG_VER 0x01
#define REG_REDTBL(n) (0x10 + 2 * (n))

#define RED_MASKED (1u << 16)
#define RED_LEVEL (1u << 15)
#define RED_ACTIVE_LOW (1u << 13)

static volatile uint32_t *regs;
static uint32_t gsi_base;
static unsigned n_pins;

static uint32_t ioapic_read(uint32_t reg)
{
	regs[IOREGSEL / 4] = reg;
	return regs[IOWIN / 4];
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
	regs[IOREGSEL / 4] = reg;
	regs[IOWIN / 4] = v;
}

void ioapic_init(uint64_t phys_base, uint32_t base)
{
	regs = ioremap(phys_base, 0x20);
	gsi_base = base;
	n_pins = ((ioapic_read(REG_VER) >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < n_pins; i++) {
		ioapic_write(REG_REDTBL(i), RED_MASKED);
		ioapic_write(REG_REDTBL(i) + 1, 0);
	}
}

bool ioapic_present(void)
{
	return regs != NULL;
}

static int set_entry(uint32_t gsi, uint32_t low, uint32_t dest)
{
	if (!regs || gsi < gsi_base || gsi - gsi_base >= n_pins)
		return -1;
	unsigned pin = gsi - gsi_base;
	ioapic_write(REG_REDTBL(pin), RED_MASKED);
	ioapic_write(REG_REDTBL(pin) + 1, dest << 24);
	ioapic_write(REG_REDTBL(pin), low);
	return 0;
}

static uint32_t isa_irq_to_gsi(unsigned irq, uint16_t *flags)
{
	*flags = 0;
	for (unsigned i = 0; i < acpi_madt.n_overrides; i++) {
		const struct acpi_irq_override *o = &acpi_madt.overrides[i];
		if (o->isa_irq == irq) {
			*flags = o->flags;
			return o->gsi;
		}
	}
	return irq;
}

int ioapic_mask_isa_irq(unsigned irq, bool masked)
{
	uint16_t flags;
	return ioapic_mask_gsi(isa_irq_to_gsi(irq, &flags), masked);
}

int ioapic_route_isa_irq(unsigned irq, uint8_t vector)
{
	uint16_t flags;
	uint32_t gsi = isa_irq_to_gsi(irq, &flags);
	uint32_t low = vector; /* ISA default: edge, active high */

	if ((flags & 3) == 3)
		low |= RED_ACTIVE_LOW;
	if (((flags >> 2) & 3) == 3)
		low |= RED_LEVEL;
	return set_entry(gsi, low, lapic_id());
}

int ioapic_mask_gsi(uint32_t gsi, bool masked)
{
	if (!regs || gsi < gsi_base || gsi - gsi_base >= n_pins)
		return -1;
	unsigned pin = gsi - gsi_base;
	uint32_t low = ioapic_read(REG_REDTBL(pin));
	ioapic_write(REG_REDTBL(pin), masked ? (low | RED_MASKED) : (low & ~RED_MASKED));
	return 0;
}
