/*
 * libposix's system-log lines: libsys's tern_vlogf at warning level (the
 * kernel's LOG call), so they carry the kernel's prefix and never
 * mix with the program's output.
 */
#include "log.h"

#include <stdarg.h>

#include "sys/printf.h"

#define POSIX_LOG_LEVEL 4 /* KERN_WARNING */

void posix_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tern_vlogf(POSIX_LOG_LEVEL, fmt, ap);
	va_end(ap);
}
