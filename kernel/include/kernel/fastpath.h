/* The IPC fast path: Call and ReplyRecv in the common case, jumped to
 * from syscall_entry (kernel/ipc/fastpath.S; checks in fastpath.c). */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

/* fastpath.S has the code (the switch is SWITCH_USER, arch/switch.inc);
 * nothing here is called from C. */

#endif
