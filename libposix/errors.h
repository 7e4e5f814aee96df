/*
 * Turning a server's reply status into a Linux result (errno.c).
 */
#ifndef LIBPOSIX_ERRORS_H
#define LIBPOSIX_ERRORS_H

/* 0 stays 0; POSIX_STATUS(e) becomes -e; anything else (a kernel error,
 * the runtime's statuses) -EIO; an interrupted call (TERN_SERVER_
 * EINTERRUPTED, or -TERN_EINTERRUPTED from the kernel) `restart`: the
 * call's restart code (intr.h: -ERESTARTSYS for a pipe or console read,
 * -ERESTARTNOHAND, ...), which the syscall's way back turns into -EINTR
 * or a restart. Takes what tern_client_call returns. */
long posix_status_to_errno_restart(long status, long restart);

/* The same for a call Linux never interrupts: an interruption is
 * -ERESTARTNOINTR (always made again). */
long posix_status_to_errno(long status);

#endif
