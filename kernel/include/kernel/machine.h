/* Stopping the machine: QEMU's isa-debug-exit when present, else halt. */
#ifndef KERNEL_MACHINE_H
#define KERNEL_MACHINE_H

#include "common/compiler.h"

/* Exit codes seen by the host: QEMU exits with (code << 1) | 1. */
#define MACHINE_EXIT_SUCCESS 0x10 /* QEMU status 33 */
#define MACHINE_EXIT_FAILURE 0x11 /* QEMU status 35 */

void machine_exit(unsigned code) __noreturn;

#endif
