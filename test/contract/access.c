/* access and faccessat for root (uid 0, as init and the harness run):
 * read and write always, execute only if some x bit is set. */
#include "contract.h"

int main(void)
{
	contract_begin("access");

	VAL(getuid(), 0);
	put_file("r", "x", 1, 0644);
	VAL(access("r", F_OK), 0);
	VAL(access("r", R_OK | W_OK), 0);
	ERR(access("r", X_OK), EACCES);
	VAL(chmod("r", 0), 0);
	VAL(access("r", R_OK | W_OK), 0); /* root */
	ERR(access("r", X_OK), EACCES);
	VAL(chmod("r", 0010), 0);
	VAL(access("r", X_OK), 0);
	VAL(access("r", R_OK | W_OK | X_OK), 0);
	VAL(access(".", X_OK), 0); /* directories always, for root */
	VAL(mkdir("nd", 0), 0);
	VAL(access("nd", R_OK | W_OK | X_OK), 0);
	VAL(access("init", X_OK), 0);
	VAL(access("link", R_OK), 0);
	ERR(access("missing", F_OK), ENOENT);
	ERR(access("r/x", F_OK), ENOTDIR);
	ERR(access("", F_OK), ENOENT);
	ERR(access("r", 8), EINVAL);
	ERR(access("r", -1), EINVAL);
	VAL(symlink("missing", "dangling"), 0);
	ERR(access("dangling", F_OK), ENOENT);
	int d = VAL(open("dir", O_RDONLY | O_DIRECTORY), 3);
	VAL(faccessat(d, "a.txt", R_OK, 0), 0);
	ERR(faccessat(d, "missing", R_OK, 0), ENOENT);
	ERR(faccessat(77, "a.txt", R_OK, 0), EBADF);
	VAL(faccessat(77, "/", R_OK, 0), 0);
	VAL(close(d), 0);
	return contract_end();
}
