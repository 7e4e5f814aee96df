/*
 * Turning a server's reply status into a Linux result (errno.c).
 */
#ifndef LIBPOSIX_ERRORS_H
#define LIBPOSIX_ERRORS_H

/* 0 stays 0; POSIX_STATUS(e) becomes -e; anything else (a kernel error,
 * the runtime's statuses) -EIO. A wait the server ended
 * (TERN_SERVER_EINTERRUPTED) becomes `restart`, the call's restart code
 * (intr.h: -ERESTARTSYS, -ERESTARTNOHAND, ...); a Call the kernel ended
 * before the server had it (-TERN_EINTERRUPTED) -ERESTARTNOINTR (nothing
 * happened: always made again). The syscall's way back turns them into
 * -EINTR or a restart. Takes what tern_client_call returns. */
long posix_status_to_errno_restart(long status, long restart);

/* The same with -ERESTARTSYS for a wait the server ended. */
long posix_status_to_errno(long status);

#endif
