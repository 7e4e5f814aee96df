/*
 * Server statuses to Linux results, in one place (posix/status.h).
 */
#include "errors.h"

#include "intr.h"
#include "posix/status.h"
#include "sys/server.h"

long posix_status_to_errno_restart(long status, long restart)
{
	if (status == 0)
		return 0;
	if (status > POSIX_STATUS_ERRNO && status <= POSIX_STATUS_ERRNO + POSIX_ERRNO_MAX)
		return -(status - POSIX_STATUS_ERRNO);
	/* The server ended a wait: the call's code. The kernel ended the
	 * Call before the server had it: nothing happened, always made
	 * again. */
	if (status == TERN_SERVER_EINTERRUPTED)
		return restart;
	if (status == -(long)TERN_EINTERRUPTED)
		return -ERESTARTNOINTR;
	/* A negative kernel error (a dead or missing server) or the runtime's
	 * own status: libposix and the server disagree. */
	return -EIO;
}

long posix_status_to_errno(long status)
{
	/* Only a call that waits in its server is ended there: those are
	 * Linux's -ERESTARTSYS calls (pipe, FIFO and tty reads, writes and
	 * opens); others use posix_status_to_errno_restart. */
	return posix_status_to_errno_restart(status, -ERESTARTSYS);
}
