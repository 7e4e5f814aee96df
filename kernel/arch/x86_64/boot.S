/*
 * 32-bit entry from multiboot1 (QEMU -kernel) or multiboot2 (GRUB), both
 * arriving in protected mode with paging off, eax = loader magic and
 * ebx = physical address of the loader's info block.
 *
 * We record the TSC first (boot-time accounting), build a minimal set of
 * page tables mapping the first 1 GiB three times (identity, the direct map
 * at PHYS_MAP_BASE and the kernel image at -2 GiB), enter long mode and
 * jump to kmain in the higher half. kernel/arch/x86_64/paging.c replaces
 * these tables once memory is known.
 */
#define KERNEL_VMA 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VMA)

#define MB1_MAGIC 0x1BADB002
#define MB1_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))
#define MB2_MAGIC 0xE85250D6

	.section .boot.header, "a"
	.balign 8
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	/* a.out kludge: QEMU loads a 64-bit image only through these fields */
	.long PHYS(mb1_header)
	.long PHYS(__kernel_start)
	.long PHYS(__data_end)
	.long PHYS(__bss_end)
	.long PHYS(_start32)

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	/* entry address tag: the ELF entry is virtual, GRUB wants physical */
	.balign 8
	.short 3, 0
	.long 12
	.long PHYS(_start32)
	.balign 8
	/* module alignment tag: modules page aligned */
	.short 6, 0
	.long 8
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl %eax, %edi			/* loader magic, first kmain argument */
	movl %ebx, %esi			/* info block, second argument */
	rdtsc
	movl %eax, PHYS(boot_tsc_entry)
	movl %edx, PHYS(boot_tsc_entry) + 4

	/* Long mode available? Without it print "E64" on COM1 and stop. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode
	movl %edx, %ebp			/* keep NX (bit 20) for EFER below */

	/* PD: 512 x 2 MiB covering the first 1 GiB */
	movl $PHYS(boot_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present, writable, 2 MiB */
	movl %eax, (%ebx, %ecx, 8)
	movl $0, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	movl $(PHYS(boot_pd) + 3), %eax
	movl %eax, PHYS(boot_pdpt_low)		/* pdpt_low[0] -> pd */
	movl %eax, PHYS(boot_pdpt_high) + 510 * 8 /* -2 GiB -> pd */
	movl $(PHYS(boot_pdpt_low) + 3), %eax
	movl %eax, PHYS(boot_pml4)		/* identity */
	movl %eax, PHYS(boot_pml4) + 256 * 8	/* direct map */
	movl $(PHYS(boot_pdpt_high) + 3), %eax
	movl %eax, PHYS(boot_pml4) + 511 * 8

	movl %cr4, %eax
	orl $(1 << 5), %eax		/* PAE */
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	movl $0xC0000080, %ecx		/* EFER */
	rdmsr
	orl $(1 << 8), %eax		/* LME */
	testl $(1 << 20), %ebp
	jz 2f
	orl $(1 << 11), %eax		/* NXE, so later tables may use NX */
2:	wrmsr

	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(long_mode_low)

no_long_mode:
	movw $0x3f8, %dx
	movb $'E', %al
	outb %al, %dx
	movb $'6', %al
	outb %al, %dx
	movb $'4', %al
	outb %al, %dx
3:	hlt
	jmp 3b

	.code64
long_mode_low:
	movabsq $long_mode_high, %rax
	jmp *%rax

	.text
long_mode_high:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp			/* ends the backtrace */
	/* edi = magic, esi = info block physical address (zero-extended) */
	movl %edi, %edi
	movl %esi, %esi
	call kmain
4:	cli
	hlt
	jmp 4b

	.section .boot.data, "aw"
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff		/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.globl boot_tsc_entry
	.balign 8
boot_tsc_entry:
	.quad 0

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 16384
boot_stack_top:
