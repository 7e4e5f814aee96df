/* EBADF from every fd call: -1, a large number, a closed fd, and the
 * wrong access mode. */
#include "contract.h"
#include <sys/mman.h>
#include <sys/uio.h>

int main(void)
{
	char buf[16];
	struct stat st;
	struct iovec iov = { buf, sizeof(buf) };
	contract_begin("err_ebadf");

	int fds[] = { -1, 77, 1 << 20 };
	for (int i = 0; i < 3; i++) {
		int fd = fds[i];
		printf("fd %d:\n", fd);
		ERR(read(fd, buf, 1), EBADF);
		ERR(write(fd, buf, 1), EBADF);
		ERR(pread(fd, buf, 1, 0), EBADF);
		ERR(pwrite(fd, buf, 1, 0), EBADF);
		ERR(readv(fd, &iov, 1), EBADF);
		ERR(writev(fd, &iov, 1), EBADF);
		ERR(lseek(fd, 0, SEEK_SET), EBADF);
		ERR(fstat(fd, &st), EBADF);
		ERR(close(fd), EBADF);
		ERR(dup(fd), EBADF);
		ERR(fcntl(fd, F_GETFL), EBADF);
		ERR(ftruncate(fd, 0), EBADF);
		ERR(fchdir(fd), EBADF);
		ERR(fchmod(fd, 0644), EBADF);
		ERR(fsync(fd), EBADF);
		ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), EBADF);
		ERR(openat(fd, "x", O_RDONLY), EBADF);
		ERR(mkdirat(fd, "x", 0755), EBADF);
		ERR(fstatat(fd, "x", &st, 0), EBADF);
		ERR((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
	}

	/* An absolute path ignores the dirfd, whatever it is. */
	VAL(fstatat(77, "/", &st, 0), 0);

	/* A closed fd; a read-only and a write-only one. */
	int fd = VAL(open("hello.txt", O_RDONLY), 3);
	VAL(close(fd), 0);
	ERR(read(fd, buf, 1), EBADF);
	ERR(close(fd), EBADF);
	fd = VAL(open("hello.txt", O_RDONLY), 3);
	ERR(write(fd, "x", 1), EBADF);
	ERR(pwrite(fd, "x", 1, 0), EBADF);
	ERR(writev(fd, &iov, 1), EBADF);
	VAL(close(fd), 0);
	fd = VAL(open("wo", O_WRONLY | O_CREAT, 0644), 3);
	ERR(read(fd, buf, 1), EBADF);
	ERR(pread(fd, buf, 1, 0), EBADF);
	ERR(readv(fd, &iov, 1), EBADF);
	VAL(close(fd), 0);
	return contract_end();
}
