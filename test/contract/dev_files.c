/* /dev/null, /dev/zero, /dev/full, /dev/urandom, /dev/random and
 * getrandom: what each read and write gives, and the device numbers. */
#include "contract.h"
#include <sys/random.h>
#include <sys/sysmacros.h>

static int all(const unsigned char *p, size_t n, unsigned char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void dev(const char *path, unsigned maj, unsigned min)
{
	struct stat st;
	VAL(stat(path, &st), 0);
	TRUE(S_ISCHR(st.st_mode));
	printf("%s: %u:%u mode %o\n", path, major(st.st_rdev), minor(st.st_rdev),
	       (unsigned)(st.st_mode & 0777));
	TRUE(major(st.st_rdev) == maj && minor(st.st_rdev) == min);
}

int main(void)
{
	static unsigned char buf[8192], buf2[64];
	contract_begin("dev_files");
	need_dev();

	dev("/dev/null", 1, 3);
	dev("/dev/zero", 1, 5);
	dev("/dev/full", 1, 7);
	dev("/dev/random", 1, 8);
	dev("/dev/urandom", 1, 9);

	int fd = VAL(open("/dev/null", O_RDWR), 3);
	VAL(read(fd, buf, sizeof(buf)), 0);
	VAL(write(fd, buf, sizeof(buf)), sizeof(buf));
	VAL(lseek(fd, 100, SEEK_SET), 0);
	VAL(pread(fd, buf, 10, 5), 0);
	VAL(close(fd), 0);

	fd = VAL(open("/dev/zero", O_RDWR), 3);
	memset(buf, 0xff, sizeof(buf));
	VAL(read(fd, buf, sizeof(buf)), sizeof(buf));
	TRUE(all(buf, sizeof(buf), 0));
	VAL(write(fd, "abc", 3), 3);
	VAL(close(fd), 0);

	fd = VAL(open("/dev/full", O_RDWR), 3);
	ERR(write(fd, "abc", 3), ENOSPC);
	memset(buf, 0xff, 100);
	VAL(read(fd, buf, 100), 100);
	TRUE(all(buf, 100, 0));
	VAL(close(fd), 0);

	fd = VAL(open("/dev/urandom", O_RDONLY), 3);
	memset(buf, 0, 64);
	VAL(read(fd, buf, 64), 64);
	VAL(read(fd, buf2, 64), 64);
	TRUE(!all(buf, 64, 0) && memcmp(buf, buf2, 64) != 0);
	VAL(read(fd, buf, sizeof(buf)), sizeof(buf));
	VAL(close(fd), 0);
	fd = VAL(open("/dev/random", O_RDONLY), 3);
	VAL(read(fd, buf, 16), 16);
	VAL(close(fd), 0);

	memset(buf, 0, 64);
	VAL(getrandom(buf, 64, 0), 64);
	VAL(getrandom(buf2, 64, GRND_NONBLOCK), 64);
	TRUE(!all(buf, 64, 0) && memcmp(buf, buf2, 64) != 0);
	VAL(getrandom(buf, 0, 0), 0);
	ERR(getrandom(buf, 16, 0x40), EINVAL);
	return contract_end();
}
