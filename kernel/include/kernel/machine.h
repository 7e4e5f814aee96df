/*
 * Leaving the machine: QEMU's isa-debug-exit when present (the status the
 * tests check), else ACPI power-off for success and the panic= policy
 * (reset, or halt) for failure; a reset under QEMU -no-reboot ends QEMU.
 */
#ifndef KERNEL_MACHINE_H
#define KERNEL_MACHINE_H

#include "common/compiler.h"

/* Exit codes seen by the host: QEMU exits with (code << 1) | 1. */
#define MACHINE_EXIT_SUCCESS 0x10 /* QEMU status 33 */
#define MACHINE_EXIT_FAILURE 0x11 /* QEMU status 35 */

void machine_exit(unsigned code) __noreturn;
/* ACPI S5; if that fails, a reset. */
void machine_power_off(void) __noreturn;
/* The FADT reset register, else the keyboard controller, else a triple
 * fault. */
void machine_reset(void) __noreturn;

#endif
