/* Kernel entry from user mode: system calls and traps. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "arch/trap.h"
#include "common/compiler.h"

void syscall_init(void);
void syscall_from_user(struct trap_frame *f) __noreturn;
void trap_from_user(struct trap_frame *f) __noreturn;

#endif
