/* The core-dump bit of a wait status (0x80, WCOREDUMP): a child that
 * sets RLIMIT_CORE to unlimited in a fresh writable directory and dies
 * of SIGSEGV, SIGABRT or SIGQUIT has it; with RLIMIT_CORE 0 the bit is
 * clear; SIGTERM and SIGKILL never dump.
 *
 * Robust to the host's core_pattern: Linux sets the bit only when the
 * dump was written, so it is predictable only when the pattern names a
 * file in the dying process's cwd (no '/', no '|': Linux's default
 * "core", which the guests have; no /proc/sys/kernel/core_pattern reads
 * as that default). With a pipe or an absolute path (systemd-coredump,
 * apport) the bit depends on the helper, so the lines say only whether
 * the status is the one expected, printed the same way either way; the
 * signal and the rest of the word are checked always. The files dumped
 * are removed. */
#include "contract.h"
#include <dirent.h>
#include <sys/resource.h>

static int pattern_known = 1;
static volatile int *volatile bad = (volatile int *)8; /* unmapped */

enum { SEGV, ABRT, QUIT_, TERM, KILL_ };

/* The child says it is ready (its limit set) on `ready`, then dies or
 * blocks reading `hold` until killed. */
static pid_t dying(int how, int unlimited, int ready, int hold)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };
		if (unlimited)
			rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
		else
			getrlimit(RLIMIT_CORE, &rl), rl.rlim_cur = 0;
		if (chdir("coredir") != 0 || setrlimit(RLIMIT_CORE, &rl) != 0)
			_exit(100);
		char c = 'r';
		if (write(ready, &c, 1) != 1)
			_exit(103);
		switch (how) {
		case SEGV:
			*bad = 1;
			break;
		case ABRT:
			abort();
		default:
			if (read(hold, &c, 1) < 0) /* until killed */
				_exit(101);
		}
		_exit(102);
	}
	if (pid < 0)
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
	return pid;
}

static void check(const char *what, int how, int unlimited, int sig, int core)
{
	int ready[2], hold[2], st = 0;
	char c;
	if (pipe(ready) != 0 || pipe(hold) != 0)
		contract_fail(__LINE__, "pipe: %s", errno_name(errno));
	pid_t pid = dying(how, unlimited, ready[1], hold[0]);
	if (read(ready[0], &c, 1) != 1)
		contract_fail(__LINE__, "%s: the child did not start", what);
	if (how == QUIT_)
		kill(pid, SIGQUIT);
	if (how == TERM)
		kill(pid, SIGTERM);
	if (how == KILL_)
		kill(pid, SIGKILL);
	if (waitpid(pid, &st, 0) != pid)
		contract_fail(__LINE__, "waitpid: %s", errno_name(errno));
	close(ready[0]);
	close(ready[1]);
	close(hold[0]);
	close(hold[1]);
	int sig_ok = WIFSIGNALED(st) && WTERMSIG(st) == sig && (st & ~0xff) == 0;
	printf("%s, RLIMIT_CORE %s: killed by %s: %s\n", what, unlimited ? "unlimited" : "0",
	       sig_name(sig), sig_ok ? "yes" : "no");
	if (!sig_ok)
		contract_fail(__LINE__, "%s: status %#x", what, st);
	int bit_ok = pattern_known ? !!WCOREDUMP(st) == core : 1;
	printf("  core bit %s: %s\n", core ? "set" : "clear", bit_ok ? "yes" : "no");
	if (!bit_ok)
		contract_fail(__LINE__, "%s: status %#x", what, st);
}

/* Empty coredir (the dumps: "core" or "core.PID"). */
static void clean(void)
{
	DIR *d = opendir("coredir");
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			char path[300];
			snprintf(path, sizeof(path), "coredir/%s", e->d_name);
			unlink(path);
		}
	closedir(d);
}

int main(void)
{
	char pat[256] = "core";
	contract_begin("wait_core");

	int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, pat, sizeof(pat) - 1);
		pat[n > 0 ? n : 0] = 0;
		close(fd);
	}
	pattern_known = pat[0] != '|' && !strchr(pat, '/');

	clean();
	rmdir("coredir");
	VAL(mkdir("coredir", 0777), 0);
	check("SIGSEGV", SEGV, 1, SIGSEGV, 1);
	check("SIGSEGV", SEGV, 0, SIGSEGV, 0);
	check("abort()", ABRT, 1, SIGABRT, 1);
	check("abort()", ABRT, 0, SIGABRT, 0);
	check("kill SIGQUIT", QUIT_, 1, SIGQUIT, 1);
	check("kill SIGTERM", TERM, 1, SIGTERM, 0);
	check("kill SIGKILL", KILL_, 1, SIGKILL, 0);
	clean();
	VAL(rmdir("coredir"), 0);
	return contract_end();
}
