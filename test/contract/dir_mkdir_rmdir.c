/* mkdir, mkdirat, rmdir, unlinkat(AT_REMOVEDIR): modes, link counts,
 * and the errors Linux gives. */
#include "contract.h"

int main(void)
{
	struct stat st;
	contract_begin("dir_mkdir_rmdir");

	VAL(mkdir("d", 0777), 0); /* umask 022 */
	VAL(stat("d", &st), 0);
	VAL(st.st_mode, S_IFDIR | 0755);
	ERR(mkdir("d", 0755), EEXIST);
	ERR(mkdir("hello.txt", 0755), EEXIST);
	ERR(mkdir("link", 0755), EEXIST); /* a symlink is not followed */
	VAL(mkdir("d/e", 0700), 0);
	VAL(stat("d", &st), 0);
	VAL(st.st_nlink, 3);
	ERR(rmdir("d"), ENOTEMPTY);
	ERR(rmdir("d/e/."), EINVAL);
	ERR(rmdir("d/e/.."), ENOTEMPTY);
	ERR(rmdir("."), EINVAL);
	VAL(rmdir("d/e"), 0);
	VAL(stat("d", &st), 0);
	VAL(st.st_nlink, 2);
	ERR(rmdir("d/e"), ENOENT);
	ERR(rmdir("hello.txt"), ENOTDIR);
	ERR(rmdir("dirlink"), ENOTDIR); /* the link, not its target */
	ERR(mkdir("missing/x", 0755), ENOENT);
	ERR(mkdir("hello.txt/x", 0755), ENOTDIR);
	ERR(mkdir("", 0755), ENOENT);

	/* A trailing slash is fine on directories. */
	VAL(mkdir("t/", 0755), 0);
	VAL(rmdir("t/"), 0);
	VAL(mkdir("t//", 0755), 0);
	VAL(rmdir("t"), 0);

	/* mkdirat and unlinkat relative to a directory fd. */
	int dfd = VAL(open("d", O_RDONLY | O_DIRECTORY), 3);
	VAL(mkdirat(dfd, "in", 0755), 0);
	VAL(access("d/in", F_OK), 0);
	ERR(unlinkat(dfd, "in", 0), EISDIR);
	VAL(unlinkat(dfd, "in", AT_REMOVEDIR), 0);
	ERR(unlinkat(dfd, "in", AT_REMOVEDIR), ENOENT);
	put_file("d/f", "x", 1, 0644);
	ERR(unlinkat(dfd, "f", AT_REMOVEDIR), ENOTDIR);
	ERR(unlinkat(dfd, "f", 0x1), EINVAL);
	VAL(unlinkat(dfd, "f", 0), 0);
	VAL(close(dfd), 0);
	VAL(rmdir("d"), 0);
	ERR(stat("d", &st), ENOENT);
	/* Deep nesting. */
	VAL(mkdir("n", 0755), 0);
	VAL(mkdir("n/n", 0755), 0);
	VAL(mkdir("n/n/n", 0755), 0);
	VAL(stat("n/n/n/../../n/n", &st), 0);
	TRUE(S_ISDIR(st.st_mode));
	return contract_end();
}
