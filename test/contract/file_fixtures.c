/* The files packed beside /init (test/contract/fixtures): contents,
 * types, modes and symbolic links as the initramfs carries them. */
#include "contract.h"

int main(void)
{
	char buf[64];
	struct stat st;
	contract_begin("file_fixtures");

	int fd = VAL(open("hello.txt", O_RDONLY), 3);
	VAL(read(fd, buf, sizeof(buf)), 15);
	TRUE(memcmp(buf, "hello, fixture\n", 15) == 0);
	VAL(fstat(fd, &st), 0);
	TRUE(S_ISREG(st.st_mode));
	printf("hello.txt mode %o\n", (unsigned)(st.st_mode & 07777));
	VAL(st.st_nlink, 1);
	VAL(close(fd), 0);

	VAL(stat("dir", &st), 0);
	TRUE(S_ISDIR(st.st_mode));
	printf("dir mode %o\n", (unsigned)(st.st_mode & 07777));
	VAL(stat("dir/a.txt", &st), 0);
	VAL(st.st_size, 2);

	VAL(readlink("link", buf, sizeof(buf)), 9);
	TRUE(memcmp(buf, "hello.txt", 9) == 0);
	VAL(lstat("link", &st), 0);
	TRUE(S_ISLNK(st.st_mode));
	VAL(readlink("dirlink", buf, sizeof(buf)), 3);
	fd = VAL(open("dirlink/a.txt", O_RDONLY), 3);
	VAL(read(fd, buf, sizeof(buf)), 2);
	TRUE(memcmp(buf, "a\n", 2) == 0);
	VAL(close(fd), 0);
	fd = VAL(open("link", O_RDONLY), 3);
	VAL(read(fd, buf, 5), 5);
	TRUE(memcmp(buf, "hello", 5) == 0);
	VAL(close(fd), 0);

	/* /init itself: an executable regular file. */
	VAL(access("init", X_OK), 0);
	VAL(stat("init", &st), 0);
	VAL(st.st_mode, S_IFREG | 0755);
	/* The fixture files are writable (the root is a tmpfs). */
	fd = VAL(open("dir/a.txt", O_WRONLY | O_APPEND), 3);
	VAL(write(fd, "b\n", 2), 2);
	VAL(close(fd), 0);
	VAL(stat("dir/a.txt", &st), 0);
	VAL(st.st_size, 4);
	return contract_end();
}
