/*
 * Formatted output to the kernel's debug console (TERN_SYS_DEBUG_PUTS).
 * The format is the kernel's vformat: %d %i %u %x %X %o %p %s %c %%,
 * flags '-' '0', width (also '*'), string precision, hh h l ll z t j.
 */
#ifndef SYS_PRINTF_H
#define SYS_PRINTF_H

#include <stdarg.h>

int tern_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tern_vprintf(const char *fmt, va_list ap);
/* One line of the system log at a Linux level (0..7), with the kernel's
 * prefix (TERN_SYS_LOG); cut at 200 bytes. */
void tern_logf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tern_vlogf(int level, const char *fmt, va_list ap);
/* Writes s and a newline, like puts. */
int tern_puts(const char *s);

#endif
