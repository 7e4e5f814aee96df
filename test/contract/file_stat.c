/* stat, fstat, lstat, fstatat, statx: the fields that are the same on
 * every Linux file system (type and mode, size, links, owner, the same
 * inode through every path), and times near the clock. */
#include "contract.h"
#include <linux/stat.h>
#include <time.h>

static long sys_statx(int dfd, const char *path, int flags, unsigned mask, struct statx *sx)
{
	return syscall(SYS_statx, dfd, path, flags, mask, sx);
}

int main(void)
{
	struct stat st, st2;
	contract_begin("file_stat");

	put_file("s", "hello", 5, 0640);
	VAL(stat("s", &st), 0);
	VAL(st.st_mode, S_IFREG | 0640);
	VAL(st.st_size, 5);
	VAL(st.st_nlink, 1);
	TRUE(st.st_uid == getuid() && st.st_gid == getgid());
	TRUE(st.st_blksize > 0);
	time_t now = time(NULL);
	TRUE(st.st_mtime <= now && st.st_mtime >= now - 10);
	TRUE(st.st_ctime <= now && st.st_ctime >= now - 10);

	int fd = VAL(open("s", O_RDWR), 3);
	VAL(fstat(fd, &st2), 0);
	TRUE(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	VAL(st2.st_size, 5);
	VAL(write(fd, "12345678", 8), 8);
	VAL(fstat(fd, &st2), 0);
	VAL(st2.st_size, 8);
	VAL(fstatat(fd, "", &st2, AT_EMPTY_PATH), 0);
	VAL(st2.st_size, 8);
	ERR(fstatat(fd, "", &st2, 0), ENOENT);
	VAL(close(fd), 0);

	/* lstat sees the link; stat what it points to. */
	VAL(symlink("s", "sl"), 0);
	VAL(lstat("sl", &st2), 0);
	TRUE(S_ISLNK(st2.st_mode));
	VAL(st2.st_mode & 07777, 0777);
	VAL(st2.st_size, 1);
	VAL(stat("sl", &st2), 0);
	TRUE(S_ISREG(st2.st_mode) && st2.st_ino == st.st_ino);
	VAL(fstatat(AT_FDCWD, "sl", &st2, AT_SYMLINK_NOFOLLOW), 0);
	TRUE(S_ISLNK(st2.st_mode));
	ERR(fstatat(AT_FDCWD, "sl", &st2, 0x1), EINVAL); /* not a flag */
	VAL(lstat("s", &st2), 0);
	TRUE(S_ISREG(st2.st_mode));

	/* Directories: two links, plus one per subdirectory. */
	VAL(mkdir("sd", 0755), 0);
	VAL(stat("sd", &st2), 0);
	VAL(st2.st_mode, S_IFDIR | 0755);
	VAL(st2.st_nlink, 2);
	VAL(mkdir("sd/sub", 0700), 0);
	VAL(stat("sd", &st2), 0);
	VAL(st2.st_nlink, 3);
	VAL(stat("sd/sub/..", &st), 0);
	TRUE(st.st_ino == st2.st_ino);
	VAL(stat("sd/sub", &st2), 0);
	VAL(st2.st_mode, S_IFDIR | 0700);

	/* A pipe is a FIFO. */
	int p[2];
	VAL(pipe(p), 0);
	VAL(fstat(p[0], &st2), 0);
	TRUE(S_ISFIFO(st2.st_mode));
	VAL(st2.st_size, 0);
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);

	/* statx with the basic fields. */
	struct statx sx;
	memset(&sx, 0xff, sizeof(sx));
	VAL(sys_statx(AT_FDCWD, "s", 0, STATX_BASIC_STATS, &sx), 0);
	TRUE((sx.stx_mask & (STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_NLINK)) ==
	     (STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_NLINK));
	VAL(sx.stx_mode, S_IFREG | 0640);
	VAL(sx.stx_size, 8);
	VAL(sx.stx_nlink, 1);
	VAL(stat("s", &st), 0);
	TRUE(sx.stx_ino == st.st_ino && sx.stx_uid == st.st_uid);
	VAL(sys_statx(AT_FDCWD, "sl", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx), 0);
	TRUE(S_ISLNK(sx.stx_mode));
	ERR(sys_statx(AT_FDCWD, "s", 0, 0x80000000u, &sx), EINVAL); /* STATX__RESERVED */
	ERR(sys_statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx), ENOENT);
	return contract_end();
}
