/* Segments, TSS and the per-CPU interrupt stacks. */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
/* STAR[63:48] for SYSRET: 64-bit SYSRET loads SS = base + 8 and CS = base + 16
 * (RPL 3) without reading the GDT. Only a 32-bit SYSRET would use the slot
 * at the base itself, and tern never does one: that slot is a null
 * descriptor, so no user thread can enter compatibility mode. */
#define SEL_SYSRET_BASE 0x18
#define SEL_USER_DATA (0x20 | 3)
#define SEL_USER_CODE (0x28 | 3)
#define SEL_TSS 0x30

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

extern struct tss tss;

void gdt_init(void);

/* The stack the CPU switches to on an interrupt from user mode (the end
 * of the current thread's saved frame); written on every thread switch. */
static inline void tss_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
/* Is `addr` inside one of the interrupt stacks (for backtraces)? */
int gdt_addr_in_ist(uint64_t addr);

#endif
