/* utimensat and futimens (exact times, UTIME_NOW, UTIME_OMIT, the
 * symlink itself with AT_SYMLINK_NOFOLLOW), chown and fchown as root,
 * fsync, fdatasync and sync. */
#include "contract.h"
#include <time.h>

int main(void)
{
	struct stat st;
	contract_begin("file_times");

	put_file("t", "x", 1, 0644);
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1500000000, 987654321 } };
	VAL(utimensat(AT_FDCWD, "t", ts, 0), 0);
	VAL(stat("t", &st), 0);
	VAL(st.st_atim.tv_sec, 1000000000);
	VAL(st.st_atim.tv_nsec, 123456789);
	VAL(st.st_mtim.tv_sec, 1500000000);
	VAL(st.st_mtim.tv_nsec, 987654321);
	time_t now = time(NULL);
	TRUE(st.st_ctime >= now - 10 && st.st_ctime <= now); /* the change itself */

	/* UTIME_OMIT leaves one alone, UTIME_NOW takes the clock. */
	struct timespec omit_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	VAL(utimensat(AT_FDCWD, "t", omit_now, 0), 0);
	VAL(stat("t", &st), 0);
	VAL(st.st_atim.tv_sec, 1000000000);
	now = time(NULL);
	TRUE(st.st_mtime >= now - 10 && st.st_mtime <= now);
	int fd = VAL(open("t", O_RDWR), 3);
	struct timespec two[2] = { { 2000000000, 0 }, { 2000000001, 5 } };
	VAL(futimens(fd, two), 0);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_atim.tv_sec, 2000000000);
	VAL(st.st_mtim.tv_sec, 2000000001);
	VAL(st.st_mtim.tv_nsec, 5);
	/* NULL: both now. */
	VAL(utimensat(AT_FDCWD, "t", NULL, 0), 0);
	VAL(stat("t", &st), 0);
	now = time(NULL);
	TRUE(st.st_atime >= now - 10 && st.st_mtime >= now - 10 && st.st_mtime <= now);
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	ERR(utimensat(AT_FDCWD, "t", bad, 0), EINVAL);
	ERR(utimensat(AT_FDCWD, "missing", ts, 0), ENOENT);
	/* A write moves mtime. */
	VAL(futimens(fd, ts), 0);
	VAL(write(fd, "y", 1), 1);
	VAL(fstat(fd, &st), 0);
	now = time(NULL);
	TRUE(st.st_mtime >= now - 10 && st.st_mtime <= now);

	/* The link itself. */
	VAL(symlink("t", "tl"), 0);
	VAL(utimensat(AT_FDCWD, "tl", ts, AT_SYMLINK_NOFOLLOW), 0);
	VAL(lstat("tl", &st), 0);
	VAL(st.st_mtim.tv_sec, 1500000000);
	VAL(stat("tl", &st), 0);
	TRUE(st.st_mtim.tv_sec != 1500000000);

	/* Ownership, as root. */
	VAL(chown("t", 0, 0), 0);
	VAL(fchown(fd, 0, 0), 0);
	VAL(chown("t", -1, -1), 0);
	VAL(lchown("tl", 0, 0), 0);
	VAL(stat("t", &st), 0);
	TRUE(st.st_uid == 0 && st.st_gid == 0);
	ERR(chown("missing", 0, 0), ENOENT);
	ERR(fchown(77, 0, 0), EBADF);

	VAL(fsync(fd), 0);
	VAL(fdatasync(fd), 0);
	sync();
	VAL(close(fd), 0);
	return contract_end();
}
