/* Offsets into struct trap_frame (arch/trap.h) used by the fast IPC exit
 * in syscall.S; checked in kernel/ipc/fastpath.c. */
#ifndef ARCH_FRAME_OFFSETS_H
#define ARCH_FRAME_OFFSETS_H

#define TF_R15 0
#define TF_R14 8
#define TF_R13 16
#define TF_R12 24
#define TF_R10 40
#define TF_R9 48
#define TF_R8 56
#define TF_RBP 64
#define TF_RSI 80
#define TF_RDX 88
#define TF_RBX 104
#define TF_VECTOR 120
#define TF_RIP 136
#define TF_RFLAGS 152
#define TF_RSP 160

#endif
