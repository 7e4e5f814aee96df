/* Path errors: ENOENT, EEXIST, ENOTDIR, EISDIR, in the calls that take
 * paths. */
#include "contract.h"

int main(void)
{
	struct stat st;
	char buf[16];
	contract_begin("err_path");

	printf("ENOENT:\n");
	ERR(open("missing", O_RDONLY), ENOENT);
	ERR(open("", O_RDONLY), ENOENT);
	ERR(open("missing/x", O_RDONLY | O_CREAT, 0644), ENOENT);
	ERR(stat("missing", &st), ENOENT);
	ERR(lstat("missing", &st), ENOENT);
	ERR(stat("", &st), ENOENT);
	ERR(access("missing", F_OK), ENOENT);
	ERR(unlink("missing"), ENOENT);
	ERR(rmdir("missing"), ENOENT);
	ERR(chdir("missing"), ENOENT);
	ERR(readlink("missing", buf, sizeof(buf)), ENOENT);
	ERR(rename("missing", "x"), ENOENT);
	ERR(link("missing", "x"), ENOENT);
	ERR(truncate("missing", 0), ENOENT);
	ERR(chmod("missing", 0644), ENOENT);
	ERR(stat("dir/missing/..", &st), ENOENT);

	printf("EEXIST:\n");
	put_file("f", "x", 1, 0644);
	VAL(mkdir("d", 0755), 0);
	ERR(open("f", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	ERR(open("d", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	ERR(mkdir("f", 0755), EEXIST);
	ERR(mkdir("d", 0755), EEXIST);
	ERR(link("f", "d"), EEXIST);
	ERR(symlink("x", "f"), EEXIST);
	ERR(symlink("x", "d"), EEXIST);

	printf("ENOTDIR:\n");
	ERR(open("f/x", O_RDONLY), ENOTDIR);
	ERR(open("f/", O_RDONLY), ENOTDIR);
	ERR(open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	ERR(stat("f/x", &st), ENOTDIR);
	ERR(stat("f/", &st), ENOTDIR);
	ERR(mkdir("f/x", 0755), ENOTDIR);
	ERR(rmdir("f"), ENOTDIR);
	ERR(chdir("f"), ENOTDIR);
	ERR(unlink("f/"), ENOTDIR);
	ERR(rename("d", "f"), ENOTDIR);
	ERR(access("f/.", F_OK), ENOTDIR);
	ERR(stat("f/..", &st), ENOTDIR);

	printf("EISDIR:\n");
	ERR(open("d", O_WRONLY), EISDIR);
	ERR(open("d", O_RDWR), EISDIR);
	ERR(open("d", O_WRONLY | O_CREAT, 0644), EISDIR);
	ERR(open("d", O_RDONLY | O_CREAT, 0644), EISDIR);
	ERR(open("d/", O_WRONLY | O_CREAT, 0644), EISDIR);
	ERR(open("new/", O_WRONLY | O_CREAT, 0644), EISDIR);
	ERR(unlink("d"), EISDIR);
	ERR(rename("f", "d"), EISDIR);
	ERR(truncate("d", 0), EISDIR);
	int dfd = VAL(open("d", O_RDONLY), 3);
	ERR(read(dfd, buf, sizeof(buf)), EISDIR);
	ERR(write(dfd, buf, 1), EBADF);
	VAL(close(dfd), 0);
	return contract_end();
}
