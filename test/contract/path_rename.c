/* rename and renameat: files and directories, replacing, and every error
 * Linux gives for the wrong kinds. */
#include "contract.h"

int main(void)
{
	struct stat st;
	char buf[16];
	contract_begin("path_rename");

	put_file("a", "A", 1, 0644);
	put_file("b", "B", 1, 0644);
	VAL(rename("a", "c"), 0);
	ERR(access("a", F_OK), ENOENT);
	/* Over an existing file: atomically replaced. */
	VAL(rename("c", "b"), 0);
	int fd = VAL(open("b", O_RDONLY), 3);
	VAL(read(fd, buf, sizeof(buf)), 1);
	TRUE(buf[0] == 'A');
	VAL(close(fd), 0);
	ERR(rename("missing", "x"), ENOENT);
	ERR(rename("b", "missing/x"), ENOENT);
	VAL(rename("b", "b"), 0); /* the same file: nothing happens */
	VAL(link("b", "b2"), 0);
	VAL(rename("b", "b2"), 0); /* two links of one inode: nothing either */
	VAL(access("b", F_OK), 0);
	VAL(unlink("b2"), 0);

	/* Directories. */
	VAL(mkdir("d1", 0755), 0);
	VAL(mkdir("d2", 0755), 0);
	put_file("d1/f", "F", 1, 0644);
	VAL(rename("d1", "d3"), 0);
	VAL(stat("d3/f", &st), 0);
	VAL(rename("d2", "d3/sub"), 0);
	VAL(stat("d3", &st), 0);
	VAL(st.st_nlink, 3);
	ERR(rename("d3", "d3/sub/x"), EINVAL); /* into itself */
	VAL(mkdir("e", 0755), 0);
	ERR(rename("e", "d3"), ENOTEMPTY);
	VAL(rename("e", "d3/sub"), 0); /* over an empty directory */
	VAL(stat("d3", &st), 0);
	VAL(st.st_nlink, 3);
	ERR(rename("b", "d3"), EISDIR);	     /* a file over a directory */
	ERR(rename("d3/sub", "b"), ENOTDIR); /* a directory over a file */
	ERR(rename("b", "b/x"), ENOTDIR);
	ERR(rename("d3/.", "z"), EBUSY);
	ERR(rename("d3/..", "z"), EBUSY);
	/* Moving a directory moves its "..": the parents' link counts. */
	VAL(mkdir("p", 0755), 0);
	VAL(rename("d3/sub", "p/sub"), 0);
	VAL(stat("d3", &st), 0);
	VAL(st.st_nlink, 2);
	VAL(stat("p", &st), 0);
	VAL(st.st_nlink, 3);
	VAL(stat("p/sub/../sub", &st), 0);

	/* A symlink is renamed as a link. */
	VAL(symlink("b", "sl"), 0);
	VAL(rename("sl", "sl2"), 0);
	VAL(lstat("sl2", &st), 0);
	TRUE(S_ISLNK(st.st_mode));

	/* renameat relative to directory fds. */
	int d = VAL(open("d3", O_RDONLY | O_DIRECTORY), 3);
	int p = VAL(open("p", O_RDONLY | O_DIRECTORY), 4);
	VAL(renameat(d, "f", p, "g"), 0);
	VAL(stat("p/g", &st), 0);
	ERR(renameat(d, "f", p, "g"), ENOENT);
	VAL(close(d), 0);
	VAL(close(p), 0);
	return contract_end();
}
