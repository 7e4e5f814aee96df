/* printf-style formatting into a buffer; pure, shared by printk and tests. */
#ifndef COMMON_FORMAT_H
#define COMMON_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#include "common/compiler.h"

/*
 * Supports %d %i %u %x %X %o %p %s %c %%, flags '-' '0', a width (also '*'),
 * a precision for strings, and the length modifiers hh h l ll z t j.
 * Returns the length the full output would have (like vsnprintf); the
 * buffer is always NUL-terminated when size > 0.
 */
int vformat(char *buf, size_t size, const char *fmt, va_list ap);
int format(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
