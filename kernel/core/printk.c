/*
 * printk formats into a stack buffer and writes it to the serial console.
 * Interrupts are held off for the write so lines from interrupt context are
 * not interleaved mid-line (single CPU; SMP will need a spinlock here).
 */
#include "kernel/printk.h"

#include "arch/cpu.h"
#include "common/format.h"
#include "serial/uart16550.h"

void console_write(const char *s, unsigned long n)
{
	uart_write(s, n);
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vformat(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	uint64_t flags = irq_save();
	console_write(buf, (unsigned long)n);
	irq_restore(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
