/* open/creat flags: O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY,
 * O_CLOEXEC, the lowest free fd, and what an fd's access mode allows. */
#include "contract.h"

int main(void)
{
	char buf[32];
	struct stat st;
	contract_begin("file_open");

	int fd = VAL(open("f1", O_WRONLY | O_CREAT | O_EXCL, 0644), 3);
	ERR(open("f1", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	VAL(write(fd, "abcdef", 6), 6);
	ERR(read(fd, buf, 1), EBADF);
	VAL(close(fd), 0);

	/* creat is O_CREAT|O_WRONLY|O_TRUNC; the mode passes the umask (022). */
	fd = VAL(creat("f2", 0666), 3);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_mode, S_IFREG | 0644);
	VAL(st.st_size, 0);
	VAL(close(fd), 0);

	/* O_CREAT without O_EXCL opens the existing file, contents kept. */
	fd = VAL(open("f1", O_RDWR | O_CREAT, 0600), 3);
	VAL(read(fd, buf, sizeof(buf)), 6);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_mode, S_IFREG | 0644);
	VAL(close(fd), 0);

	/* O_TRUNC empties it, even with O_RDONLY (Linux truncates). */
	fd = VAL(open("f1", O_RDONLY | O_TRUNC), 3);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 0);
	ERR(write(fd, "x", 1), EBADF);
	VAL(close(fd), 0);

	/* O_APPEND: every write goes to the end, whatever the offset. */
	fd = VAL(open("f1", O_RDWR | O_APPEND), 3);
	VAL(write(fd, "123", 3), 3);
	VAL(lseek(fd, 0, SEEK_SET), 0);
	VAL(write(fd, "45", 2), 2);
	VAL(lseek(fd, 0, SEEK_CUR), 5);
	VAL(pread(fd, buf, sizeof(buf), 0), 5);
	TRUE(memcmp(buf, "12345", 5) == 0);
	VAL(close(fd), 0);

	/* The lowest free descriptor is used. */
	int a = VAL(open("f1", O_RDONLY), 3);
	int b = VAL(open("f1", O_RDONLY), 4);
	VAL(close(a), 0);
	VAL(open("f2", O_RDONLY), 3);
	VAL(close(3), 0);
	VAL(close(b), 0);

	/* O_DIRECTORY. */
	fd = VAL(open(".", O_RDONLY | O_DIRECTORY), 3);
	VAL(close(fd), 0);
	ERR(open("f1", O_RDONLY | O_DIRECTORY), ENOTDIR);
	ERR(open(".", O_WRONLY), EISDIR);
	ERR(open(".", O_RDWR), EISDIR);

	/* O_CLOEXEC sets FD_CLOEXEC; without it the flag is clear. */
	fd = VAL(open("f1", O_RDONLY | O_CLOEXEC), 3);
	VAL(fcntl(fd, F_GETFD), FD_CLOEXEC);
	VAL(close(fd), 0);
	fd = VAL(open("f1", O_RDONLY), 3);
	VAL(fcntl(fd, F_GETFD), 0);
	VAL(close(fd), 0);

	/* O_EXCL refuses an existing symlink, even a dangling one; O_CREAT
	 * without it creates the file the dangling link names. */
	VAL(symlink("nowhere", "dl"), 0);
	ERR(open("dl", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	ERR(access("nowhere", F_OK), ENOENT);
	fd = VAL(open("dl", O_WRONLY | O_CREAT, 0644), 3);
	VAL(close(fd), 0);
	VAL(access("nowhere", F_OK), 0);

	/* openat relative to a directory fd. */
	VAL(mkdir("od", 0755), 0);
	int dfd = VAL(open("od", O_RDONLY | O_DIRECTORY), 3);
	fd = VAL(openat(dfd, "inner", O_WRONLY | O_CREAT, 0644), 4);
	VAL(close(fd), 0);
	VAL(access("od/inner", F_OK), 0);
	ERR(openat(fd, "inner", O_RDONLY), EBADF);
	int ffd = VAL(open("f1", O_RDONLY), 4);
	ERR(openat(ffd, "inner", O_RDONLY), ENOTDIR);
	VAL(close(ffd), 0);
	VAL(close(dfd), 0);
	return contract_end();
}
