/* fcntl: F_GETFD/F_SETFD, F_DUPFD(_CLOEXEC), F_GETFL/F_SETFL. */
#include "contract.h"
#include <limits.h>

int main(void)
{
	contract_begin("fd_fcntl");

	int fd = VAL(open("fl", O_RDWR | O_CREAT | O_APPEND, 0644), 3);
	VAL(fcntl(fd, F_GETFD), 0);
	VAL(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	VAL(fcntl(fd, F_GETFD), FD_CLOEXEC);
	VAL(fcntl(fd, F_SETFD, 0), 0);
	VAL(fcntl(fd, F_GETFD), 0);

	/* Linux x86-64 shows O_LARGEFILE (0100000) in every file's flags. */
	VAL(fcntl(fd, F_GETFL), O_RDWR | O_APPEND | 0100000);
	VAL(fcntl(fd, F_SETFL, O_NONBLOCK | O_WRONLY), 0); /* the access mode stays */
	VAL(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK | 0100000);
	VAL(fcntl(fd, F_SETFL, O_APPEND), 0);
	VAL(fcntl(fd, F_GETFL), O_RDWR | O_APPEND | 0100000);
	int ro = VAL(open("fl", O_RDONLY), 4);
	VAL(fcntl(ro, F_GETFL), O_RDONLY | 0100000);
	int wo = VAL(open("fl", O_WRONLY | O_TRUNC), 5);
	VAL(fcntl(wo, F_GETFL), O_WRONLY | 0100000);
	VAL(close(wo), 0);
	VAL(close(ro), 0);

	VAL(fcntl(fd, F_DUPFD, 20), 20);
	VAL(fcntl(fd, F_DUPFD, 20), 21);
	VAL(fcntl(20, F_GETFD), 0);
	VAL(fcntl(fd, F_DUPFD, 0), 4);
	VAL(fcntl(fd, F_DUPFD_CLOEXEC, 30), 30);
	VAL(fcntl(30, F_GETFD), FD_CLOEXEC);
	/* The duplicates share the status flags. */
	VAL(fcntl(30, F_SETFL, 0), 0);
	VAL(fcntl(fd, F_GETFL), O_RDWR | 0100000);
	ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	ERR(fcntl(fd, F_DUPFD, INT_MAX), EINVAL);
	ERR(fcntl(fd, 9999), EINVAL);
	ERR(fcntl(99, F_GETFD), EBADF);
	ERR(fcntl(99, F_GETFL), EBADF);
	ERR(fcntl(-1, F_DUPFD, 0), EBADF);
	VAL(close(4), 0);
	VAL(close(20), 0);
	VAL(close(21), 0);
	VAL(close(30), 0);
	VAL(close(fd), 0);
	return contract_end();
}
