/* dup, dup2, dup3: the lowest free fd, a shared offset, FD_CLOEXEC not
 * copied, and the errors. */
#include "contract.h"
#include <limits.h>

int main(void)
{
	char buf[16];
	contract_begin("fd_dup");

	int fd = VAL(open("hello.txt", O_RDONLY | O_CLOEXEC), 3);
	int d = VAL(dup(fd), 4);
	VAL(fcntl(d, F_GETFD), 0);
	VAL(read(fd, buf, 5), 5);
	VAL(lseek(d, 0, SEEK_CUR), 5); /* one open file description */
	VAL(read(d, buf, 2), 2);
	VAL(lseek(fd, 0, SEEK_CUR), 7);
	VAL(close(fd), 0);
	VAL(dup(d), 3); /* the lowest free */

	VAL(dup2(d, 10), 10);
	VAL(lseek(10, 0, SEEK_CUR), 7);
	VAL(dup2(d, d), d);
	VAL(dup2(3, 10), 10); /* closes the old 10 silently */
	ERR(dup2(99, 5), EBADF);
	ERR(dup2(d, -1), EBADF);
	ERR(dup2(d, INT_MAX), EBADF);
	ERR(fcntl(5, F_GETFD), EBADF); /* a failed dup2 makes nothing */

	/* The raw call: musl checks some of these itself. */
	ERR(syscall(SYS_dup3, d, d, 0), EINVAL);
	VAL(syscall(SYS_dup3, d, 11, O_CLOEXEC), 11);
	VAL(fcntl(11, F_GETFD), FD_CLOEXEC);
	ERR(syscall(SYS_dup3, d, 12, O_NONBLOCK), EINVAL);
	ERR(syscall(SYS_dup3, 99, 12, 0), EBADF);
	VAL(syscall(SYS_dup3, d, 11, 0), 11); /* replaces the old 11, flag cleared */
	VAL(fcntl(11, F_GETFD), 0);
	ERR(dup(99), EBADF);
	ERR(dup(-1), EBADF);

	/* Closing one copy leaves the others working. */
	VAL(close(d), 0);
	VAL(read(11, buf, 3), 3);
	VAL(lseek(3, 0, SEEK_CUR), 10);
	VAL(close(3), 0);
	VAL(close(10), 0);
	VAL(close(11), 0);
	ERR(close(11), EBADF);
	return contract_end();
}
