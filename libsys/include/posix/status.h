/*
 * Servers' reply statuses (the reply label): 0 is success, a Linux errno
 * e is POSIX_STATUS_ERRNO + e. libposix turns a status into a syscall
 * result in one place, posix_status_to_errno (libposix/errno.c).
 */
#ifndef POSIX_STATUS_H
#define POSIX_STATUS_H

#include "posix/errno.h"

#define POSIX_STATUS_ERRNO 256
#define POSIX_STATUS(e) (POSIX_STATUS_ERRNO + (e))

#endif
