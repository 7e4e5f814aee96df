/*
 * IDT set-up and trap dispatch: exceptions in kernel mode panic with the
 * frame; interrupts go to the handler registered for their vector.
 */
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/trap.h"
#include "common/compiler.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define STUB_SIZE 16

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry");

extern char vector_stubs_start[];

static struct idt_entry idt[256] __aligned(16);

static struct {
	irq_handler_fn fn;
	void *ctx;
} irq_handlers[256];

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 floating point",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD floating point",
	"#VE virtualization",
	"#CP control protection",
};

const char *trap_name(unsigned vector)
{
	if (vector < 32)
		return exception_names[vector] ? exception_names[vector] : "reserved exception";
	return "interrupt";
}

static void idt_set(unsigned vec, uint64_t handler, uint8_t ist, uint8_t dpl)
{
	idt[vec] = (struct idt_entry){
		.offset_lo = handler & 0xffff,
		.selector = SEL_KERNEL_CODE,
		.ist = ist,
		.type_attr = (uint8_t)(0x8E | (dpl << 5)), /* present, interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void trap_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		idt_set(v, (uint64_t)vector_stubs_start + v * STUB_SIZE, 0, 0);
	idt[VEC_DOUBLE_FAULT].ist = IST_DOUBLE_FAULT;
	idt[VEC_NMI].ist = IST_NMI;
	idt[18].ist = IST_MACHINE_CHECK;

	struct {
		uint16_t limit;
		uint64_t base;
	} __packed p = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(p));
}

void irq_register(unsigned vector, irq_handler_fn fn, void *ctx)
{
	irq_handlers[vector].ctx = ctx;
	irq_handlers[vector].fn = fn;
}

void trap_dispatch(struct trap_frame *tf)
{
	unsigned vec = (unsigned)tf->vector;

	if (likely(vec >= VEC_IRQ_BASE)) {
		if (irq_handlers[vec].fn)
			irq_handlers[vec].fn(tf, irq_handlers[vec].ctx);
		else if (vec != VEC_SPURIOUS)
			printk("trap: unexpected interrupt vector %u\n", vec);
		return;
	}
	panic_trap(tf);
}
