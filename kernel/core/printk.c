/*
 * printk formats into a stack buffer and writes it to the serial console,
 * each kernel line behind KLOG_PREFIX, messages above the console log
 * level dropped. Interrupts are held off for the write so lines from
 * interrupt context are not interleaved mid-line (single CPU; SMP will
 * need a spinlock here).
 *
 * The console is shared with programs (console_write): the kernel tracks
 * who wrote the unfinished line, and whoever writes next to someone
 * else's unfinished line ends it with a newline first, so a kernel line
 * always starts at the left edge with its prefix and a program's text
 * never lands behind one.
 */
#include "kernel/printk.h"

#include <stdbool.h>

#include "arch/cpu.h"
#include "common/format.h"
#include "kernel/cmdline.h"
#include "serial/uart16550.h"

enum console_column { AT_LINE_START, IN_KERNEL_LINE, IN_PROGRAM_LINE };

static enum console_column column = AT_LINE_START;
static bool klog_open; /* the last kernel message did not end its line */
static int klog_level; /* the level of that line */

int printk_level_shown(int level)
{
	return level < kernel_params()->console_loglevel;
}

/* The caller holds interrupts off. */
static void program_write(const char *s, unsigned long n, bool raw)
{
	if (!n)
		return;
	if (column == IN_KERNEL_LINE)
		uart_write("\n", 1);
	if (raw)
		uart_write_raw(s, n);
	else
		uart_write(s, n);
	column = s[n - 1] == '\n' ? AT_LINE_START : IN_PROGRAM_LINE;
}

void console_write(const char *s, unsigned long n, bool raw)
{
	uint64_t flags = irq_save();

	program_write(s, n, raw);
	irq_restore(flags);
}

void console_write_line(const char *s, unsigned long n)
{
	uint64_t flags = irq_save();

	if (column == IN_PROGRAM_LINE)
		program_write("\n", 1, false);
	program_write(s, n, false);
	irq_restore(flags);
}

/* Kernel text, line by line; the caller holds interrupts off. */
static void klog_write(const char *s, unsigned long n, bool shown)
{
	while (n) {
		unsigned long len = 0;
		while (len < n && s[len++] != '\n')
			;
		bool ends = s[len - 1] == '\n';
		if (shown) {
			if (column != IN_KERNEL_LINE) {
				if (column == IN_PROGRAM_LINE)
					uart_write("\n", 1);
				uart_write(KLOG_PREFIX, sizeof(KLOG_PREFIX) - 1);
			}
			uart_write(s, len);
			column = ends ? AT_LINE_START : IN_KERNEL_LINE;
		}
		klog_open = !ends;
		s += len;
		n -= len;
	}
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vformat(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	const char *s = buf;
	bool tagged = n >= 2 && s[0] == KERN_SOH[0] && s[1] >= '0' && s[1] <= '7';
	int level = tagged ? s[1] - '0' : LOGLEVEL_DEFAULT;
	if (tagged) {
		s += 2;
		n -= 2;
	}
	uint64_t flags = irq_save();
	if (klog_open && !tagged) {
		level = klog_level; /* a continuation */
	} else if (column == IN_KERNEL_LINE) {
		uart_write("\n", 1); /* a new message ends the unfinished line */
		column = AT_LINE_START;
	}
	klog_level = level;
	klog_write(s, (unsigned long)n, printk_level_shown(level));
	irq_restore(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
