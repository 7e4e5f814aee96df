/*
 * GDT and TSS. Long mode ignores segment bases except FS/GS, so the GDT
 * only provides the privilege levels, the SYSCALL/SYSRET layout and the
 * TSS, whose IST stacks let a double fault or NMI run on a known-good stack
 * even when the kernel stack is what broke.
 */
#include "arch/gdt.h"

#include "common/compiler.h"

#define IST_STACK_SIZE 8192

struct tss tss __aligned(16);
static uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
static uint64_t gdt[8] __aligned(16);

struct descriptor_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffff; /* kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffff; /* kernel data */
	gdt[3] = 0;		     /* SEL_SYSRET_BASE: no 32-bit user code segment (gdt.h) */
	gdt[4] = 0x00cff2000000ffff; /* user data */
	gdt[5] = 0x00affa000000ffff; /* user code, 64-bit */
	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: IOPL 0 denies all ports */

	struct descriptor_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(SEL_KERNEL_CODE), "r"(SEL_KERNEL_DATA), "r"(SEL_TSS)
			 : "rax", "memory");
	/* No LDT, said explicitly: QEMU's TCG keeps the LDTR of reset (base
	 * 0, limit 0xffff) until one is loaded, and reads a selector with
	 * TI set from linear address 0 (user memory) instead of refusing it. */
	__asm__ volatile("lldt %w0" ::"r"(0));
}

int gdt_addr_in_ist(uint64_t addr)
{
	uint64_t lo = (uint64_t)ist_stacks;
	return addr >= lo && addr < lo + sizeof(ist_stacks);
}
