/* The register frame every interrupt and exception entry builds. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout is shared with entry.S");

/* trap_frame.vector value of a frame saved by the syscall entry: such a
 * frame may return with sysret (rcx and r11 are dead). */
#define FRAME_SYSCALL 0x100

#define VEC_DIVIDE 0
#define VEC_DEBUG 1
#define VEC_NMI 2
#define VEC_BREAKPOINT 3
#define VEC_INVALID_OP 6
#define VEC_DEVICE_NOT_AVAILABLE 7
#define VEC_DOUBLE_FAULT 8
#define VEC_STACK_FAULT 12
#define VEC_GP 13
#define VEC_PAGE_FAULT 14
#define VEC_ALIGNMENT_CHECK 17
#define VEC_IRQ_BASE 32
#define VEC_TIMER 0x30
#define VEC_SPURIOUS 0xFF

typedef void (*irq_handler_fn)(struct trap_frame *tf, void *ctx);

void trap_init(void);
void irq_register(unsigned vector, irq_handler_fn fn, void *ctx);
void trap_dispatch(struct trap_frame *tf);
const char *trap_name(unsigned vector);

#endif
