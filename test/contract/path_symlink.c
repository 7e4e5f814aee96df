/* symlink, symlinkat, readlink, readlinkat; links followed in the middle
 * and at the end of a path, relative to the link's own directory. */
#include "contract.h"

int main(void)
{
	char buf[64];
	struct stat st;
	contract_begin("path_symlink");

	VAL(symlink("target", "sl"), 0);
	memset(buf, 0, sizeof(buf));
	VAL(readlink("sl", buf, sizeof(buf)), 6);
	TRUE(strcmp(buf, "target") == 0);
	memset(buf, 'q', sizeof(buf));
	VAL(readlink("sl", buf, 3), 3); /* truncated, no NUL added */
	TRUE(memcmp(buf, "tarq", 4) == 0);
	ERR(syscall(SYS_readlink, "sl", buf, 0), EINVAL); /* musl fakes 0 */
	ERR(readlink("hello.txt", buf, sizeof(buf)), EINVAL);
	ERR(readlink("missing", buf, sizeof(buf)), ENOENT);
	VAL(lstat("sl", &st), 0);
	TRUE(S_ISLNK(st.st_mode));
	VAL(st.st_size, 6);
	ERR(stat("sl", &st), ENOENT); /* dangling */
	ERR(symlink("x", "sl"), EEXIST);
	ERR(symlink("x", "hello.txt"), EEXIST);
	ERR(symlink("", "empty"), ENOENT);
	ERR(symlink("x", "missing/sl"), ENOENT);

	/* Now the target exists. */
	put_file("target", "T", 1, 0644);
	VAL(stat("sl", &st), 0);
	VAL(st.st_size, 1);
	ERR(open("sl", O_RDONLY | O_NOFOLLOW), ELOOP);
	int fd = VAL(open("target", O_RDONLY | O_NOFOLLOW), 3);
	VAL(close(fd), 0);

	/* A relative target is taken from the link's directory. */
	VAL(mkdir("sd", 0755), 0);
	VAL(symlink("../hello.txt", "sd/up"), 0);
	fd = VAL(open("sd/up", O_RDONLY), 3);
	VAL(read(fd, buf, 5), 5);
	TRUE(memcmp(buf, "hello", 5) == 0);
	VAL(close(fd), 0);
	/* A link to a directory, in the middle of a path. */
	VAL(symlink("sd", "sdl"), 0);
	VAL(stat("sdl/up", &st), 0);
	TRUE(S_ISREG(st.st_mode));
	VAL(readlink("sdl/up", buf, sizeof(buf)), 12);
	VAL(stat("sdl/", &st), 0);
	TRUE(S_ISDIR(st.st_mode));
	VAL(lstat("sdl/", &st), 0); /* a trailing slash follows the link */
	TRUE(S_ISDIR(st.st_mode));
	ERR(stat("sl/", &st), ENOTDIR); /* to a file, with a slash */
	/* Links to links. */
	VAL(symlink("sl", "sl2"), 0);
	VAL(stat("sl2", &st), 0);
	VAL(st.st_size, 1);

	/* symlinkat and readlinkat relative to a directory fd. */
	int dfd = VAL(open("sd", O_RDONLY | O_DIRECTORY), 3);
	VAL(symlinkat("up", dfd, "up2"), 0);
	memset(buf, 0, sizeof(buf));
	VAL(readlinkat(dfd, "up2", buf, sizeof(buf)), 2);
	TRUE(strcmp(buf, "up") == 0);
	VAL(stat("sd/up2", &st), 0);
	TRUE(S_ISREG(st.st_mode));
	VAL(close(dfd), 0);
	/* unlink removes the link only. */
	VAL(unlink("sl"), 0);
	VAL(access("target", F_OK), 0);
	ERR(stat("sl2", &st), ENOENT);
	return contract_end();
}
