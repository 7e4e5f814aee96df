/*
 * Deliberate kernel faults, to check that the panic path names the fault
 * and prints registers and a backtrace. Only run when named explicitly.
 */
#include <stdint.h>

#include "kernel/selftest.h"

#define FAULT_ADDRESS 0xdead000ul

static int selftest_pagefault(void)
{
	volatile uint64_t *p = (volatile uint64_t *)FAULT_ADDRESS;

	(void)*p;
	return -1; /* not reached: the read must panic */
}
SELFTEST(pagefault, selftest_pagefault, true);

static int selftest_invalid_opcode(void)
{
	__asm__ volatile("ud2");
	return -1;
}
SELFTEST(ud2, selftest_invalid_opcode, true);
