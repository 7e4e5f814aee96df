/*
 * libposix's system-log lines: formatted here, written by the kernel's
 * LOG call at warning level, so they carry the kernel's prefix and never
 * mix with the program's output.
 */
#include "log.h"

#include <stdarg.h>

#include "common/format.h"
#include "sys/syscalls.h"

#define POSIX_LOG_LEVEL 4 /* KERN_WARNING */

void posix_log(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	int n = vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	tern_log(POSIX_LOG_LEVEL, buf, (size_t)n);
}
