/* read, write, pread, pwrite, readv, writev on a regular file. */
#include "contract.h"
#include <sys/uio.h>

int main(void)
{
	char buf[64];
	struct stat st;
	contract_begin("file_rw");

	int fd = VAL(open("rw", O_RDWR | O_CREAT | O_TRUNC, 0644), 3);
	VAL(write(fd, "0123456789", 10), 10);
	VAL(write(fd, "", 0), 0);
	VAL(read(fd, buf, 10), 0); /* at the end */
	VAL(lseek(fd, 0, SEEK_SET), 0);
	VAL(read(fd, buf, 0), 0);
	VAL(read(fd, buf, 4), 4);
	TRUE(memcmp(buf, "0123", 4) == 0);
	VAL(read(fd, buf, sizeof(buf)), 6);
	TRUE(memcmp(buf, "456789", 6) == 0);

	/* pread and pwrite leave the offset alone. */
	memset(buf, 0, sizeof(buf));
	VAL(pread(fd, buf, 4, 2), 4);
	TRUE(memcmp(buf, "2345", 4) == 0);
	VAL(pread(fd, buf, 8, 8), 2);
	VAL(pread(fd, buf, 8, 10), 0);
	VAL(pread(fd, buf, 8, 1000), 0);
	VAL(pwrite(fd, "XY", 2, 8), 2);
	VAL(lseek(fd, 0, SEEK_CUR), 10);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 10);
	/* Past the end: the gap reads as zeros. */
	VAL(pwrite(fd, "Z", 1, 20), 1);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 21);
	memset(buf, 'q', sizeof(buf));
	VAL(pread(fd, buf, sizeof(buf), 0), 21);
	TRUE(memcmp(buf, "01234567XY\0\0\0\0\0\0\0\0\0\0Z", 21) == 0);
	ERR(pread(fd, buf, 1, -1), EINVAL);
	ERR(pwrite(fd, buf, 1, -1), EINVAL);

	/* writev gathers in order; readv scatters in order. */
	struct iovec wv[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
	VAL(lseek(fd, 0, SEEK_SET), 0);
	VAL(writev(fd, wv, 3), 6);
	VAL(lseek(fd, 0, SEEK_CUR), 6);
	char r1[3], r2[5];
	struct iovec rv[2] = { { r1, 3 }, { r2, 5 } };
	VAL(lseek(fd, 0, SEEK_SET), 0);
	VAL(readv(fd, rv, 2), 8);
	TRUE(memcmp(r1, "abc", 3) == 0 && memcmp(r2, "def67", 5) == 0);
	VAL(preadv(fd, rv, 2, 18), 3);
	TRUE(memcmp(r1, "\0\0Z", 3) == 0);
	VAL(pwritev(fd, wv, 3, 30), 6);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 36);
	VAL(writev(fd, wv, 0), 0);
	ERR(writev(fd, wv, -1), EINVAL);
	ERR(readv(fd, rv, 1025), EINVAL); /* more than IOV_MAX */
	VAL(close(fd), 0);

	/* Data-path calls on a pipe: no offsets. */
	int p[2];
	VAL(pipe(p), 0);
	ERR(pread(p[0], buf, 1, 0), ESPIPE);
	ERR(pwrite(p[1], buf, 1, 0), ESPIPE);
	VAL(writev(p[1], wv, 3), 6);
	VAL(readv(p[0], rv, 2), 6);
	TRUE(memcmp(r1, "abc", 3) == 0 && memcmp(r2, "def", 3) == 0);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	return contract_end();
}
