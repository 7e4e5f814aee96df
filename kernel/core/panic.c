/*
 * Panic: print what is known (message or trap frame, control registers,
 * a frame-pointer backtrace), every line at KERN_EMERG so `quiet` keeps
 * it, and stop the machine with a failure code (then panic= applies).
 * Everything here must work with a broken kernel, so it allocates nothing
 * and checks every frame pointer before following it.
 */
#include "kernel/panic.h"

#include <stdarg.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "arch/trap.h"
#include "kernel/machine.h"
#include "kernel/mm.h"
#include "kernel/printk.h"

#define BACKTRACE_MAX 16

static int panic_depth;

/* A frame pointer may be followed only if it points at kernel memory we
 * know is mapped: the kernel image (boot and IST stacks live there) or
 * the direct map of RAM. */
static int frame_readable(uint64_t fp)
{
	if (fp & 7)
		return 0;
	if (fp >= (uint64_t)__kernel_start && fp + 16 <= (uint64_t)__kernel_end)
		return 1;
	return fp >= PHYS_MAP_BASE && fp + 16 <= PHYS_MAP_BASE + mm_phys_limit();
}

static void backtrace_from(uint64_t rip, uint64_t rbp)
{
	printk(KERN_EMERG "backtrace:\n  #0 %016lx\n", rip);
	for (int i = 1; i < BACKTRACE_MAX && rbp && frame_readable(rbp); i++) {
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (ret < (uint64_t)__kernel_start || ret >= (uint64_t)__kernel_end)
			break;
		printk(KERN_EMERG "  #%d %016lx\n", i, ret);
		if (frame[0] <= rbp) /* stacks grow down: the caller's frame is above */
			break;
		rbp = frame[0];
	}
}

static void print_control_regs(void)
{
	printk(KERN_EMERG "cr0=%016lx cr2=%016lx cr3=%016lx cr4=%016lx\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

static void enter_panic(void)
{
	irq_disable();
	if (++panic_depth > 1) {
		printk(KERN_EMERG "PANIC: nested panic, stopping\n");
		machine_exit(MACHINE_EXIT_FAILURE);
	}
}

void panic(const char *fmt, ...)
{
	va_list ap;

	enter_panic();
	printk(KERN_EMERG "PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	print_control_regs();
	/* #0 is panic's caller; the walk continues from the caller's frame. */
	backtrace_from((uint64_t)__builtin_return_address(0),
		       *(uint64_t *)__builtin_frame_address(0));
	printk(KERN_EMERG "PANIC: stopping the machine\n");
	machine_exit(MACHINE_EXIT_FAILURE);
}

void panic_trap(struct trap_frame *tf)
{
	enter_panic();
	printk(KERN_EMERG "PANIC: %s (vector %lu, error 0x%lx) in %s mode\n",
	       trap_name((unsigned)tf->vector), tf->vector, tf->error,
	       (tf->cs & 3) ? "user" : "kernel");
	if (tf->vector == VEC_PAGE_FAULT)
		printk(KERN_EMERG "page fault at address %016lx: %s %s, %s%s\n", read_cr2(),
		       (tf->error & 1) ? "protection violation" : "page not present",
		       (tf->error & 16)	 ? "on instruction fetch"
		       : (tf->error & 2) ? "on write"
					 : "on read",
		       (tf->error & 4) ? "user" : "kernel",
		       (tf->error & 8) ? ", reserved bit set" : "");
	printk(KERN_EMERG "rip=%016lx cs=%04lx rflags=%016lx\n", tf->rip, tf->cs, tf->rflags);
	printk(KERN_EMERG "rsp=%016lx ss=%04lx\n", tf->rsp, tf->ss);
	printk(KERN_EMERG "rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", tf->rax, tf->rbx,
	       tf->rcx, tf->rdx);
	printk(KERN_EMERG "rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx\n", tf->rsi, tf->rdi,
	       tf->rbp, tf->r8);
	printk(KERN_EMERG "r9 =%016lx r10=%016lx r11=%016lx r12=%016lx\n", tf->r9, tf->r10, tf->r11,
	       tf->r12);
	printk(KERN_EMERG "r13=%016lx r14=%016lx r15=%016lx\n", tf->r13, tf->r14, tf->r15);
	print_control_regs();
	if (!(tf->cs & 3))
		backtrace_from(tf->rip, tf->rbp);
	printk(KERN_EMERG "PANIC: stopping the machine\n");
	machine_exit(MACHINE_EXIT_FAILURE);
}
