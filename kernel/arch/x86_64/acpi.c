/*
 * ACPI, just enough to route interrupts and to leave the machine: the RSDP
 * (found by scanning the EBDA and the BIOS ROM area), the RSDT/XSDT, the
 * MADT with its I/O APIC and interrupt source override entries, and the
 * FADT with the PM1 control blocks, the reset register and the DSDT, in
 * whose AML the \_S5 package gives the sleep type values for soft off.
 * No AML interpreter: the \_S5 object is found as the byte pattern
 * NameOp "_S5_" PackageOp, as small kernels do, every length checked
 * against the table. All tables are read through the direct map, so they
 * must lie in RAM below the direct-map limit.
 */
#include "arch/acpi.h"

#include "arch/cpu.h"
#include "arch/io.h"
#include "kernel/aml.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "common/string.h"

#define IOAPIC_DEFAULT_BASE 0xFEC00000ul
#define LAPIC_DEFAULT_BASE 0xFEE00000ul

struct acpi_madt_info acpi_madt;
struct acpi_power_info acpi_power = { .s5_error = "no ACPI tables (no RSDP)" };

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

/* FADT fields (ACPI 6.x, table 5.9), as offsets from the table start. */
#define FADT_DSDT 40
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_FLAGS 112
#define FADT_RESET_REG 116 /* generic address structure, 12 bytes */
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT 172
#define FADT_X_PM1B_CNT 184
#define FADT_FLAG_RESET_REG_SUP (1u << 10)
#define GAS_SYSTEM_IO 1

#define PM1_SCI_EN (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN (1u << 13)

static uint32_t fadt_u32(const struct sdt_header *f, size_t off)
{
	uint32_t v = 0;

	if (off + 4 <= f->length)
		memcpy(&v, (const uint8_t *)f + off, 4);
	return v;
}

/* The I/O port of an X_ generic address when it is one, else `legacy`;
 * 0 when neither names an I/O port. */
static uint16_t fadt_port(const struct sdt_header *f, size_t x_off, uint32_t legacy)
{
	const uint8_t *g = (const uint8_t *)f + x_off;
	uint64_t addr;

	if (x_off + 12 <= f->length) {
		memcpy(&addr, g + 4, 8);
		if (addr && g[0] == GAS_SYSTEM_IO && addr <= 0xffff)
			return (uint16_t)addr;
	}
	return legacy <= 0xffff ? (uint16_t)legacy : 0;
}

static const char *parse_fadt(const struct sdt_header *f)
{
	struct acpi_power_info *pw = &acpi_power;

	if (f->length < FADT_PM1B_CNT + 4)
		return "FADT too short";
	uint32_t smi_cmd = fadt_u32(f, FADT_SMI_CMD);
	pw->smi_cmd = smi_cmd <= 0xffff ? (uint16_t)smi_cmd : 0;
	pw->acpi_enable = f->length > FADT_ACPI_ENABLE ? ((const uint8_t *)f)[FADT_ACPI_ENABLE] : 0;
	pw->pm1a_cnt = fadt_port(f, FADT_X_PM1A_CNT, fadt_u32(f, FADT_PM1A_CNT));
	pw->pm1b_cnt = fadt_port(f, FADT_X_PM1B_CNT, fadt_u32(f, FADT_PM1B_CNT));
	if (f->length >= FADT_RESET_VALUE + 1 &&
	    (fadt_u32(f, FADT_FLAGS) & FADT_FLAG_RESET_REG_SUP)) {
		const uint8_t *g = (const uint8_t *)f + FADT_RESET_REG;
		uint64_t addr;
		memcpy(&addr, g + 4, 8);
		if (g[0] == GAS_SYSTEM_IO && addr && addr <= 0xffff) {
			pw->reset = true;
			pw->reset_port = (uint16_t)addr;
			pw->reset_value = ((const uint8_t *)f)[FADT_RESET_VALUE];
		}
	}
	if (!pw->pm1a_cnt)
		return "FADT has no PM1a control block";
	uint64_t dsdt_pa = fadt_u32(f, FADT_DSDT);
	if (f->length >= FADT_X_DSDT + 8) {
		uint64_t x;
		memcpy(&x, (const uint8_t *)f + FADT_X_DSDT, 8);
		if (x)
			dsdt_pa = x;
	}
	const struct sdt_header *dsdt = dsdt_pa ? table_at(dsdt_pa) : NULL;
	if (!dsdt || memcmp(dsdt->signature, "DSDT", 4) != 0)
		return "no valid DSDT";
	return aml_find_s5((const uint8_t *)(dsdt + 1), dsdt->length - sizeof(*dsdt), &pw->slp_typa,
			   &pw->slp_typb);
}

/* Enter ACPI mode (SCI_EN) if the firmware left the machine in legacy
 * mode; bounded, since a broken SMI handler must not hang the exit. */
static void acpi_enter_acpi_mode(void)
{
	const struct acpi_power_info *pw = &acpi_power;

	if ((inw(pw->pm1a_cnt) & PM1_SCI_EN) || !pw->smi_cmd || !pw->acpi_enable)
		return;
	outb(pw->smi_cmd, pw->acpi_enable);
	for (int i = 0; i < 1000000 && !(inw(pw->pm1a_cnt) & PM1_SCI_EN); i++)
		cpu_relax();
}

void acpi_power_off(void)
{
	const struct acpi_power_info *pw = &acpi_power;

	if (!pw->s5) {
		printk(KERN_ERR "acpi: cannot power off: %s\n", pw->s5_error);
		return;
	}
	acpi_enter_acpi_mode();
	/* As ACPICA: the sleep type into both blocks, then SLP_EN into both. */
	uint16_t mask = (uint16_t)(7u << PM1_SLP_TYP_SHIFT | PM1_SLP_EN);
	uint16_t a = (uint16_t)((inw(pw->pm1a_cnt) & ~mask) | pw->slp_typa << PM1_SLP_TYP_SHIFT);
	uint16_t b = pw->pm1b_cnt ? (uint16_t)((inw(pw->pm1b_cnt) & ~mask) |
					       pw->slp_typb << PM1_SLP_TYP_SHIFT)
				  : 0;
	outw(pw->pm1a_cnt, a);
	if (pw->pm1b_cnt)
		outw(pw->pm1b_cnt, b);
	outw(pw->pm1a_cnt, a | PM1_SLP_EN);
	if (pw->pm1b_cnt)
		outw(pw->pm1b_cnt, b | PM1_SLP_EN);
	/* The write takes effect at once or not at all; give it a moment. */
	for (int i = 0; i < 1000000; i++)
		cpu_relax();
	printk(KERN_ERR "acpi: still running after the S5 write to port 0x%x\n", pw->pm1a_cnt);
}

void acpi_reset(void)
{
	if (acpi_power.reset)
		outb(acpi_power.reset_port, acpi_power.reset_value);
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
	const struct sdt_header *fadt = r ? find_table(r, "FACP") : NULL;
	if (fadt) {
		acpi_power.s5_error = parse_fadt(fadt);
		acpi_power.s5 = acpi_power.s5_error == NULL;
	} else if (r) {
		acpi_power.s5_error = "no valid FADT";
	}
	if (!acpi_power.s5)
		printk(KERN_WARNING "acpi: power-off unavailable: %s\n", acpi_power.s5_error);
	if (madt)
		parse_madt(madt);
	else
		printk(KERN_WARNING "acpi: no valid MADT, using default APIC addresses\n");
	if (!acpi_madt.ioapic_base)
		acpi_madt.ioapic_base = IOAPIC_DEFAULT_BASE;
	if (!acpi_madt.lapic_base)
		acpi_madt.lapic_base = LAPIC_DEFAULT_BASE;
	if (!acpi_madt.n_cpus)
		acpi_madt.n_cpus = 1;
}
