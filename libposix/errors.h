/*
 * Turning a server's reply status into a Linux result (errno.c).
 */
#ifndef LIBPOSIX_ERRORS_H
#define LIBPOSIX_ERRORS_H

/* 0 stays 0; POSIX_STATUS(e) becomes -e; an interrupted call -EINTR;
 * anything else (a kernel error, the runtime's statuses) -EIO. Takes what
 * tern_client_call returns. */
long posix_status_to_errno(long status);

#endif
