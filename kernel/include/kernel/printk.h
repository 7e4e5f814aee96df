/* Kernel log output on the early console. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>

#include "common/compiler.h"

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
/* Write straight to the console, bypassing the lock (panic path). */
void console_write(const char *s, unsigned long n);

#endif
