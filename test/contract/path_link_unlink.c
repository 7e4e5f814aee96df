/* link, linkat, unlink: hard links share one inode. */
#include "contract.h"

int main(void)
{
	struct stat a, b;
	char buf[16];
	contract_begin("path_link_unlink");

	put_file("a", "one", 3, 0644);
	VAL(link("a", "b"), 0);
	VAL(stat("a", &a), 0);
	VAL(stat("b", &b), 0);
	TRUE(a.st_ino == b.st_ino);
	VAL(a.st_nlink, 2);
	int fd = VAL(open("b", O_WRONLY | O_APPEND), 3);
	VAL(write(fd, "two", 3), 3);
	VAL(close(fd), 0);
	VAL(stat("a", &a), 0);
	VAL(a.st_size, 6);
	ERR(link("a", "b"), EEXIST);
	ERR(link("missing", "c"), ENOENT);
	ERR(link("a", "missing/c"), ENOENT);
	VAL(mkdir("ld", 0755), 0);
	ERR(link("ld", "ld2"), EPERM);
	VAL(link("a", "ld/c"), 0);
	VAL(stat("a", &a), 0);
	VAL(a.st_nlink, 3);

	VAL(unlink("a"), 0);
	ERR(unlink("a"), ENOENT);
	VAL(stat("b", &b), 0);
	VAL(b.st_nlink, 2);
	fd = VAL(open("ld/c", O_RDONLY), 3);
	VAL(read(fd, buf, sizeof(buf)), 6);
	TRUE(memcmp(buf, "onetwo", 6) == 0);
	VAL(close(fd), 0);
	ERR(unlink("ld"), EISDIR);
	ERR(unlink("b/x"), ENOTDIR);
	ERR(unlink(""), ENOENT);

	/* A link to a symlink: linkat follows it only with AT_SYMLINK_FOLLOW. */
	VAL(symlink("b", "sl"), 0);
	VAL(linkat(AT_FDCWD, "sl", AT_FDCWD, "sl2", 0), 0);
	VAL(lstat("sl2", &a), 0);
	TRUE(S_ISLNK(a.st_mode));
	VAL(linkat(AT_FDCWD, "sl", AT_FDCWD, "b2", AT_SYMLINK_FOLLOW), 0);
	VAL(lstat("b2", &a), 0);
	TRUE(S_ISREG(a.st_mode));
	VAL(a.st_nlink, 3);
	ERR(linkat(AT_FDCWD, "sl", AT_FDCWD, "x", 0x1), EINVAL);
	/* unlink of a symlink removes the link, not the file. */
	VAL(unlink("sl"), 0);
	VAL(access("b", F_OK), 0);
	VAL(unlink("b"), 0);
	VAL(unlink("b2"), 0);
	VAL(stat("ld/c", &a), 0);
	VAL(a.st_nlink, 1);
	return contract_end();
}
