/* A thread's user-visible register state (TCB_READ/WRITE_REGISTERS and
 * the personality frames). */
#ifndef TERN_REGS_H
#define TERN_REGS_H

#include <stdint.h>

struct tern_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t fs_base, gs_base;
};
_Static_assert(sizeof(struct tern_regs) == 20 * 8, "struct tern_regs is ABI");

#endif
