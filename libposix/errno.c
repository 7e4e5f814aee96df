/*
 * Server statuses to Linux results, in one place (posix/status.h).
 */
#include "errors.h"

#include "posix/status.h"
#include "sys/server.h"

long posix_status_to_errno(long status)
{
	if (status == 0)
		return 0;
	if (status > POSIX_STATUS_ERRNO && status <= POSIX_STATUS_ERRNO + POSIX_ERRNO_MAX)
		return -(status - POSIX_STATUS_ERRNO);
	if (status == TERN_SERVER_EINTERRUPTED || status == -(long)TERN_EINTERRUPTED)
		return -EINTR;
	/* A negative kernel error (a dead or missing server) or the runtime's
	 * own status: libposix and the server disagree. */
	return -EIO;
}
