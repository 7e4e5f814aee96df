/* getcwd, chdir, fchdir: relative moves, the exact lengths, ERANGE,
 * ENOENT for a removed working directory. */
#include "contract.h"

static char start[4096];

static int cwd_is(const char *rel)
{
	char buf[4096], want[4200];
	if (!getcwd(buf, sizeof(buf)))
		return 0;
	if (!*rel)
		snprintf(want, sizeof(want), "%s", start);
	else
		snprintf(want, sizeof(want), "%s/%s", strcmp(start, "/") ? start : "", rel);
	return strcmp(buf, want) == 0;
}

int main(void)
{
	char buf[4096];
	contract_begin("cwd");

	TRUE(getcwd(start, sizeof(start)) == start && start[0] == '/');
	size_t len = strlen(start);
	/* (The length differs between runs: only compared, not printed.) */
	TRUE(syscall(SYS_getcwd, buf, sizeof(buf)) == (long)len + 1); /* counts the NUL */
	TRUE(syscall(SYS_getcwd, buf, len + 1) == (long)len + 1);
	ERR(syscall(SYS_getcwd, buf, len), ERANGE);
	ERR(syscall(SYS_getcwd, buf, 0), ERANGE);
	ERR(syscall(SYS_getcwd, buf, 1), ERANGE);

	VAL(mkdir("cw", 0755), 0);
	VAL(mkdir("cw/in", 0755), 0);
	VAL(chdir("cw"), 0);
	TRUE(cwd_is("cw"));
	VAL(chdir("in"), 0);
	TRUE(cwd_is("cw/in"));
	VAL(chdir("../.."), 0);
	TRUE(cwd_is(""));
	VAL(chdir("cw/in/../in/."), 0);
	TRUE(cwd_is("cw/in"));
	VAL(access("../../hello.txt", R_OK), 0); /* relative paths follow */
	VAL(chdir(start), 0);
	TRUE(cwd_is(""));
	VAL(chdir("dirlink"), 0); /* the link's target is the cwd */
	TRUE(cwd_is("dir"));
	VAL(chdir(".."), 0);

	int d = VAL(open("cw", O_RDONLY | O_DIRECTORY), 3);
	VAL(fchdir(d), 0);
	TRUE(cwd_is("cw"));
	VAL(close(d), 0);
	VAL(chdir(".."), 0);
	d = VAL(open("hello.txt", O_RDONLY), 3);
	ERR(fchdir(d), ENOTDIR);
	VAL(close(d), 0);
	ERR(chdir("hello.txt"), ENOTDIR);
	ERR(chdir("missing"), ENOENT);
	ERR(chdir(""), ENOENT);
	TRUE(cwd_is(""));

	/* Working in a removed directory. */
	VAL(mkdir("gone", 0755), 0);
	VAL(chdir("gone"), 0);
	VAL(rmdir("../gone"), 0);
	ERR(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT);
	ERR(open("x", O_WRONLY | O_CREAT, 0644), ENOENT);
	VAL(chdir(".."), 0);
	TRUE(cwd_is(""));
	VAL(chdir("/"), 0);
	VAL(syscall(SYS_getcwd, buf, sizeof(buf)), 2);
	TRUE(strcmp(buf, "/") == 0);
	VAL(chdir(".."), 0); /* the root's parent is the root */
	TRUE(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	return contract_end();
}
