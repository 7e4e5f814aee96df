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
	if (status == TERN_SERVER_EINTERRUPTED || status == -(long)TERN_EINTERRUPTED)
		return restart;
	/* A negative kernel error (a dead or missing server) or the runtime's
	 * own status: libposix and the server disagree. */
	return -EIO;
}

long posix_status_to_errno(long status)
{
	/* A call Linux never interrupts, ended because an upcall came while
	 * it was being sent: made again on the way back. */
	return posix_status_to_errno_restart(status, -ERESTARTNOINTR);
}
