/* Offsets into struct percpu used by assembly (checked in percpu.h). */
#ifndef KERNEL_PERCPU_OFFSETS_H
#define KERNEL_PERCPU_OFFSETS_H

#define PERCPU_USER_RSP 8
#define PERCPU_KSTACK_TOP 16
#define PERCPU_CURRENT 24

/* trap_frame.vector value of a frame saved by the syscall entry: such a
 * frame may return with sysret (rcx and r11 are dead). */
#define FRAME_SYSCALL 0x100

#endif
