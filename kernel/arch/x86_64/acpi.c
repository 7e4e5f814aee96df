/*
 * ACPI, just enough to route interrupts: the RSDP (found by scanning the
 * EBDA and the BIOS ROM area), the RSDT/XSDT and the MADT with its I/O APIC
 * and interrupt source override entries. All tables are read through the
 * direct map, so they must lie in RAM below the direct-map limit.
 */
#include "arch/acpi.h"

#include "kernel/mm.h"
#include "kernel/printk.h"
#include "common/string.h"

#define IOAPIC_DEFAULT_BASE 0xFEC00000ul
#define LAPIC_DEFAULT_BASE 0xFEE00000ul

struct acpi_madt_info acpi_madt;

struct rsdp {
	char signature[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision;
	uint32_t creator;
	uint32_t creator_revision;
} __attribute__((packed));

static bool checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

static const void *phys_readable(uint64_t pa, size_t len)
{
	if (pa + len < pa || pa + len > mm_phys_limit())
		return NULL;
	return phys_to_virt(pa);
}

static const struct rsdp *rsdp_scan(uint64_t start, uint64_t end)
{
	for (uint64_t pa = start; pa + sizeof(struct rsdp) <= end; pa += 16) {
		const struct rsdp *r = phys_to_virt(pa);
		if (memcmp(r->signature, "RSD PTR ", 8) == 0 && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct sdt_header *table_at(uint64_t pa)
{
	const struct sdt_header *h = phys_readable(pa, sizeof(*h));

	if (!h || h->length < sizeof(*h) || !phys_readable(pa, h->length) ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static const struct sdt_header *find_table(const struct rsdp *r, const char sig[4])
{
	bool x = r->revision >= 2 && r->xsdt;
	const struct sdt_header *root = table_at(x ? r->xsdt : r->rsdt);

	if (!root)
		return NULL;
	size_t entry = x ? 8 : 4;
	size_t n = (root->length - sizeof(*root)) / entry;
	const uint8_t *p = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		memcpy(&pa, p + i * entry, entry);
		const struct sdt_header *t = table_at(pa);
		if (t && memcmp(t->signature, sig, 4) == 0)
			return t;
	}
	return NULL;
}

static void parse_madt(const struct sdt_header *madt)
{
	const uint8_t *p = (const uint8_t *)madt + sizeof(*madt);
	const uint8_t *end = (const uint8_t *)madt + madt->length;
	uint32_t lapic32;

	if (p + 8 > end)
		return;
	memcpy(&lapic32, p, 4);
	acpi_madt.lapic_base = lapic32;
	for (p += 8; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
		switch (p[0]) {
		case 0: /* processor local APIC */
			if (p[1] >= 8 && (p[4] & 1))
				acpi_madt.n_cpus++;
			break;
		case 1: /* I/O APIC */
			if (p[1] >= 12 && !acpi_madt.ioapic_base) {
				uint32_t addr, gsi;
				memcpy(&addr, p + 4, 4);
				memcpy(&gsi, p + 8, 4);
				acpi_madt.ioapic_base = addr;
				acpi_madt.ioapic_gsi_base = gsi;
			}
			break;
		case 2: /* interrupt source override */
			if (p[1] >= 10 && acpi_madt.n_overrides < ACPI_MAX_OVERRIDES) {
				struct acpi_irq_override *o =
					&acpi_madt.overrides[acpi_madt.n_overrides++];
				o->isa_irq = p[3];
				memcpy(&o->gsi, p + 4, 4);
				memcpy(&o->flags, p + 8, 2);
			}
			break;
		case 5: /* 64-bit local APIC address override */
			if (p[1] >= 12)
				memcpy(&acpi_madt.lapic_base, p + 4, 8);
			break;
		}
	}
	acpi_madt.found = true;
}

void acpi_init(void)
{
	const uint16_t *ebda_seg = phys_to_virt(0x40E);
	uint64_t ebda = (uint64_t)*ebda_seg << 4;
	const struct rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xA0000)
		r = rsdp_scan(ebda, ebda + 1024);
	if (!r)
		r = rsdp_scan(0xE0000, 0x100000);
	const struct sdt_header *madt = r ? find_table(r, "APIC") : NULL;
	if (madt)
		parse_madt(madt);
	else
		printk("acpi: no valid MADT, using default APIC addresses\n");
	if (!acpi_madt.ioapic_base)
		acpi_madt.ioapic_base = IOAPIC_DEFAULT_BASE;
	if (!acpi_madt.lapic_base)
		acpi_madt.lapic_base = LAPIC_DEFAULT_BASE;
	if (!acpi_madt.n_cpus)
		acpi_madt.n_cpus = 1;
}
