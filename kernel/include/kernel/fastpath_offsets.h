/* Offsets and constants the IPC fast path (kernel/ipc/fastpath.S) uses;
 * each is checked against the C layout in kernel/ipc/fastpath.c. */
#ifndef KERNEL_FASTPATH_OFFSETS_H
#define KERNEL_FASTPATH_OFFSETS_H

#define TCB_CTX 16
#define TCB_CTX_END 192 /* syscall.S: the end of the frame */
#define TCB_STATE 220
#define TCB_PRIORITY 224
#define TCB_TIMESLICE 228
#define TCB_EP 256
#define TCB_EP_NEXT 264
#define TCB_EP_PREV 272
#define TCB_REPLY 296
#define TCB_CSPACE_TYPE 312
#define TCB_CSPACE_GUARD_BITS 315
#define TCB_CSPACE_GUARD 320
#define TCB_CSPACE_OBJ 328
#define TCB_VSPACE_TYPE 368
#define TCB_EXIT_WORK 553
#define TCB_FAULT_PENDING 554
#define CNODE_RADIX 16
#define CNODE_SLOTS 32
#define CTE_SIZE 56
#define CAP_TYPE 0
#define CAP_RIGHTS 1
#define CAP_BADGE 8
#define CAP_OBJ 16
#define EP_STATE 16
#define EP_HEAD 24
#define EP_TAIL 32
#define REPLY_CALLER 16
#define REPLY_RECEIVER 24
#define PERCPU_READY_SUMMARY 88
#define PERCPU_READY_BITMAP 96
#define PERCPU_FASTPATH_HITS 4248

#define FP_SYS_CALL 1
#define FP_SYS_REPLY_RECV 2
#define FP_CAP_CNODE 2
#define FP_CAP_ENDPOINT 4
#define FP_CAP_REPLY 6
#define FP_CAP_VSPACE 10
#define FP_RIGHT_READ 1
#define FP_RIGHT_WRITE 2
#define FP_EP_IDLE 0
#define FP_EP_SEND 1
#define FP_EP_RECV 2
#define FP_TS_RUNNING 1
#define FP_TS_BLOCKED_RECV 3
#define FP_TS_BLOCKED_REPLY 4
#define FP_TIMESLICE_TICKS 2
#define FP_MSG_REG_WORDS 4
#define FP_INFO_LOW_BITS 0x7fff

#endif
