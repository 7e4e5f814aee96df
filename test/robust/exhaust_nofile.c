/* Opening files until RLIMIT_NOFILE: EMFILE from every call that makes
 * a fd (open, pipe, dup, fcntl F_DUPFD, socketpair is not here), EBADF
 * for dup2 beyond the limit, EINVAL for F_DUPFD at or beyond it (Linux's
 * fs/file.c); one close frees exactly one fd, the lowest; the default
 * soft limit (1024) is reached too; a child inherits the limit; then
 * everything closes and the next fd is 3 again. Host and tern. */
#include "robust.h"
#include <sys/resource.h>

static int fill(void)
{
	int n = 0;
	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	return n;
}

int main(void)
{
	struct rlimit rl, small, dflt;
	int p[2], st;
	contract_begin("exhaust_nofile");
	need_dev();

	/* pid 1 starts with 1024 on Linux; the host's run inherits its
	 * shell's: only the hard limit is kept. */
	VAL(getrlimit(RLIMIT_NOFILE, &rl), 0);
	TRUE(rl.rlim_max >= 1024);
	small = (struct rlimit){ 64, rl.rlim_max };
	dflt = (struct rlimit){ 1024, rl.rlim_max };
	VAL(setrlimit(RLIMIT_NOFILE, &small), 0);
	/* fds 0, 1, 2 are open: 61 more fit. */
	VAL(fill(), 61);
	ERR(open("/dev/null", O_RDONLY), EMFILE);
	ERR(pipe(p), EMFILE);
	ERR(dup(0), EMFILE);
	ERR(fcntl(0, F_DUPFD, 0), EMFILE);
	ERR(fcntl(0, F_DUPFD, 64), EINVAL);
	ERR(dup2(0, 64), EBADF);
	VAL(dup2(0, 63), 63); /* an open fd's slot: replaced, no new fd */
	ERR(openat(AT_FDCWD, "f-new", O_CREAT | O_WRONLY, 0644), EMFILE);
	ERR(access("f-new", F_OK), ENOENT); /* EMFILE before the file is made */
	/* One close, one fd: the lowest. */
	VAL(close(17), 0);
	VAL(open("/dev/null", O_RDONLY), 17);
	ERR(open("/dev/null", O_RDONLY), EMFILE);
	/* A child inherits the full table and the limit. */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit c;
		if (getrlimit(RLIMIT_NOFILE, &c) || c.rlim_cur != 64)
			_exit(2);
		_exit(open("/dev/null", O_RDONLY) < 0 && errno == EMFILE ? 0 : 1);
	}
	TRUE(waitpid(pid, &st, 0) == pid);
	VAL(WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st), 0);
	/* Lowering the limit below open fds keeps them (Linux). */
	struct rlimit lower = { 10, rl.rlim_max };
	VAL(setrlimit(RLIMIT_NOFILE, &lower), 0);
	VAL(fcntl(40, F_GETFD), 0);
	ERR(open("/dev/null", O_RDONLY), EMFILE);
	for (int fd = 3; fd < 64; fd++)
		close(fd);
	VAL(open("/dev/null", O_RDONLY), 3);
	VAL(close(3), 0);
	/* The default soft limit: 1021 more. */
	VAL(setrlimit(RLIMIT_NOFILE, &dflt), 0);
	VAL(fill(), 1021);
	ERR(open("/dev/null", O_RDONLY), EMFILE);
	ERR(pipe(p), EMFILE);
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	VAL(pipe(p), 0);
	VAL(p[0], 3);
	VAL(p[1], 4);
	return contract_end();
}
