/* truncate and ftruncate: growing reads zeros, shrinking keeps the head. */
#include "contract.h"

int main(void)
{
	char buf[200];
	struct stat st;
	contract_begin("file_truncate");

	int fd = VAL(open("t", O_RDWR | O_CREAT | O_TRUNC, 0644), 3);
	VAL(write(fd, "abcdef", 6), 6);
	VAL(ftruncate(fd, 100), 0);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 100);
	VAL(lseek(fd, 0, SEEK_CUR), 6); /* the offset does not move */
	memset(buf, 'q', sizeof(buf));
	VAL(pread(fd, buf, sizeof(buf), 0), 100);
	int zeros = 1;
	for (int i = 6; i < 100; i++)
		zeros &= buf[i] == 0;
	TRUE(memcmp(buf, "abcdef", 6) == 0 && zeros);
	VAL(ftruncate(fd, 3), 0);
	VAL(pread(fd, buf, sizeof(buf), 0), 3);
	TRUE(memcmp(buf, "abc", 3) == 0);
	/* Shrink then grow: the old bytes are gone. */
	VAL(ftruncate(fd, 6), 0);
	VAL(pread(fd, buf, sizeof(buf), 0), 6);
	TRUE(memcmp(buf, "abc\0\0\0", 6) == 0);
	ERR(ftruncate(fd, -1), EINVAL);
	VAL(truncate("t", 0), 0);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 0);
	VAL(close(fd), 0);

	fd = VAL(open("t", O_RDONLY), 3);
	ERR(ftruncate(fd, 0), EINVAL); /* not open for writing */
	VAL(close(fd), 0);
	ERR(ftruncate(fd, 0), EBADF);
	ERR(truncate("missing", 0), ENOENT);
	VAL(mkdir("td", 0755), 0);
	ERR(truncate("td", 0), EISDIR);
	int p[2];
	VAL(pipe(p), 0);
	ERR(ftruncate(p[1], 0), EINVAL);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	return contract_end();
}
