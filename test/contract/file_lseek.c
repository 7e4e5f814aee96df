/* lseek: SEEK_SET, SEEK_CUR, SEEK_END, beyond the end, errors. */
#include "contract.h"

int main(void)
{
	char buf[128];
	struct stat st;
	contract_begin("file_lseek");

	int fd = VAL(open("sk", O_RDWR | O_CREAT | O_TRUNC, 0644), 3);
	VAL(write(fd, "0123456789", 10), 10);
	VAL(lseek(fd, 0, SEEK_CUR), 10);
	VAL(lseek(fd, 0, SEEK_END), 10);
	VAL(lseek(fd, -3, SEEK_END), 7);
	VAL(read(fd, buf, 10), 3);
	VAL(lseek(fd, -5, SEEK_CUR), 5);
	VAL(lseek(fd, 2, SEEK_CUR), 7);
	VAL(lseek(fd, 3, SEEK_SET), 3);
	ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	ERR(lseek(fd, -11, SEEK_END), EINVAL);
	ERR(lseek(fd, -4, SEEK_CUR), EINVAL);
	VAL(lseek(fd, 0, SEEK_CUR), 3); /* unchanged by the failures */
	ERR(lseek(fd, 0, 7), EINVAL);

	/* Beyond the end: reads give 0, a write extends, the gap is zeros. */
	VAL(lseek(fd, 100, SEEK_SET), 100);
	VAL(read(fd, buf, 10), 0);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 10);
	VAL(lseek(fd, 10, SEEK_END), 20);
	VAL(write(fd, "E", 1), 1);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 21);
	VAL(lseek(fd, 0, SEEK_END), 21);
	memset(buf, 'q', sizeof(buf));
	VAL(pread(fd, buf, sizeof(buf), 8), 13);
	TRUE(memcmp(buf, "89\0\0\0\0\0\0\0\0\0\0E", 13) == 0);
	/* The largest offset Linux allows on tmpfs and ext4 is huge; 1 TiB works. */
	VAL(lseek(fd, 1LL << 40, SEEK_SET), 1LL << 40);
	VAL(close(fd), 0);

	/* Pipes cannot seek; directories can rewind. */
	int p[2];
	VAL(pipe(p), 0);
	ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	ERR(lseek(p[1], 0, SEEK_CUR), ESPIPE);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	int d = VAL(open(".", O_RDONLY | O_DIRECTORY), 3);
	VAL(lseek(d, 0, SEEK_SET), 0);
	VAL(close(d), 0);
	ERR(lseek(d, 0, SEEK_SET), EBADF);
	return contract_end();
}
