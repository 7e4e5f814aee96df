/* Offsets into struct tcb and the IPC buffer used by the syscall entry's
 * reflection path (syscall.S); checked against the C layout in
 * kernel/core/personality.c. */
#ifndef KERNEL_TCB_OFFSETS_H
#define KERNEL_TCB_OFFSETS_H

#define TCB_FS_BASE 192
#define TCB_GS_BASE 200
#define TCB_IPC_BUFFER_CAP_TYPE 424
#define TCB_IPC_BUFFER_VADDR 480
#define TCB_IPC_BUFFER 488
#define TCB_PERS_ENTRY 504
#define TCB_PERS_LO 512
#define TCB_PERS_HI 520
#define IPCBUF_SYSCALL_FRAME 3600
#define CAP_TYPE_MEMOBJ 11
#define UPCALL_KIND_SYSCALL 1

#endif
