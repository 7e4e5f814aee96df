/*
 * tern_printf and friends: format with the kernel's vformat into a stack
 * buffer (a heap one for long output) and write with one DEBUG_PUTS.
 */
#include <stdarg.h>
#include <stddef.h>

#include "common/format.h"
#include "common/string.h"
#include "sys/malloc.h"
#include "sys/printf.h"
#include "sys/syscalls.h"

#define PRINTF_STACK_BUF 256
/* The kernel copies at most this much per DEBUG_PUTS. */
#define DEBUG_PUTS_CHUNK 1024

static void console_write(const char *s, size_t len)
{
	while (len) {
		size_t n = len < DEBUG_PUTS_CHUNK ? len : DEBUG_PUTS_CHUNK;

		tern_debug_puts(s, n);
		s += n;
		len -= n;
	}
}

int tern_vprintf(const char *fmt, va_list ap)
{
	char buf[PRINTF_STACK_BUF];
	va_list again;
	int n;

	va_copy(again, ap);
	n = vformat(buf, sizeof(buf), fmt, ap);
	if (n < 0) {
		va_end(again);
		return n;
	}
	if ((size_t)n < sizeof(buf)) {
		console_write(buf, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);

		if (big) {
			vformat(big, (size_t)n + 1, fmt, again);
			console_write(big, (size_t)n);
			free(big);
		} else {
			console_write(buf, sizeof(buf) - 1);
		}
	}
	va_end(again);
	return n;
}

int tern_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = tern_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int tern_puts(const char *s)
{
	size_t len = strlen(s);

	console_write(s, len);
	console_write("\n", 1);
	return (int)len + 1;
}

#define LOG_LINE_MAX 200 /* what one LOG call takes */

void tern_vlogf(int level, const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	int n = vformat(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	tern_log(level, buf, (size_t)n);
}

void tern_logf(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tern_vlogf(level, fmt, ap);
	va_end(ap);
}
