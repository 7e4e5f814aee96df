/*
 * libposix's start-up (placeholder until proc's exec lands: the helper
 * owning servers/proc replaces this file).
 */
#include "call.h"

void posix_start(void);

__attribute__((noreturn)) void posix_start(void)
{
	for (;;)
		__asm__ volatile("ud2");
}
