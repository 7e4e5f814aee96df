/* Kernel panics: only for the kernel's own bugs, never for bad input. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "common/compiler.h"

struct trap_frame;

void panic(const char *fmt, ...) __noreturn __printf(1, 2);
/* An exception the kernel cannot handle: print the frame and stop. */
void panic_trap(struct trap_frame *tf) __noreturn;

#define assert(cond)                                                                      \
	do {                                                                              \
		if (unlikely(!(cond)))                                                    \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
