/* CPUID feature detection, done once before anything depends on it. */
#include "arch/cpu.h"
#include "common/string.h"

struct cpu_features cpu_features;

static void copy_regs(char *dst, uint32_t a, uint32_t b, uint32_t c)
{
	memcpy(dst, &a, 4);
	memcpy(dst + 4, &b, 4);
	memcpy(dst + 8, &c, 4);
	dst[12] = 0;
}

void cpu_features_detect(void)
{
	struct cpu_features *f = &cpu_features;
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	f->max_leaf = a;
	copy_regs(f->vendor, b, d, c);

	cpuid(1, 0, &a, &b, &c, &d);
	f->x2apic = c & (1u << 21);
	f->tsc_deadline = c & (1u << 24);
	f->xsave = c & (1u << 26);
	f->rdrand = c & (1u << 30);
	f->hypervisor_present = c & (1u << 31);

	if (f->max_leaf >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		f->fsgsbase = b & (1u << 0);
		f->smep = b & (1u << 7);
		f->invpcid = b & (1u << 10);
		f->rdseed = b & (1u << 18);
		f->smap = b & (1u << 20);
		f->umip = c & (1u << 2);
	}
	cpuid(1, 0, &a, &b, &c, &d);
	f->pcid = c & (1u << 17);

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	f->max_ext_leaf = a;
	if (f->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		f->nx = d & (1u << 20);
		f->pdpe1gb = d & (1u << 26);
	}
	if (f->max_ext_leaf >= 0x80000007) {
		cpuid(0x80000007, 0, &a, &b, &c, &d);
		f->invariant_tsc = d & (1u << 8);
	}
	f->phys_addr_bits = 36;
	if (f->max_ext_leaf >= 0x80000008) {
		cpuid(0x80000008, 0, &a, &b, &c, &d);
		f->phys_addr_bits = a & 0xff;
	}
	if (f->hypervisor_present) {
		cpuid(0x40000000, 0, &a, &b, &c, &d);
		f->max_hv_leaf = a;
		copy_regs(f->hypervisor, b, c, d);
	}
}
