/*
 * String and memory primitives for the freestanding kernel. GCC emits calls
 * to memcpy/memset/memmove/memcmp for struct copies, so these must exist.
 * Blocks of 64 bytes or more go by `rep movsq`/`rep stosq` (one counted
 * instruction per 8 bytes under QEMU's -icount, against four or five for
 * an 8-byte loop: clearing a 256-slot CNode cost the kernel ~2,500), the
 * rest by 8-byte steps; "rep movsb" would cost one counted instruction
 * per byte with ERMS hidden (the icount benchmark setup). `cld` first: a
 * caller entered by an upcall may have the interrupted code's DF.
 */
#include <stdint.h>

#include "common/string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (n >= 64) {
		size_t q = n / 8;
		__asm__ volatile("cld; rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
		n %= 8;
	}
	while (n >= 8) {
		uint64_t v;
		__builtin_memcpy(&v, s, 8);
		__builtin_memcpy(d, &v, 8);
		d += 8;
		s += 8;
		n -= 8;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t v = 0x0101010101010101ull * (uint8_t)c;

	if (n >= 64) {
		size_t q = n / 8;
		__asm__ volatile("cld; rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
		n %= 8;
	}
	while (n >= 8) {
		__builtin_memcpy(d, &v, 8);
		d += 8;
		n -= 8;
	}
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
		if (!a[i])
			return 0;
	}
	return 0;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}
