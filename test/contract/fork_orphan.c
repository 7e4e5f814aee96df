/* Orphans: a grandchild whose parent exits is reparented to the reaper
 * (Linux: the nearest ancestor that is a child subreaper, else pid 1 of
 * the pid namespace). On the host the reaper may be a session manager's
 * subreaper (systemd --user) or the container's pid 1; as /init on a
 * guest (Linux or tern) this program is pid 1 and the reaper is itself,
 * so it can then wait for the grandchild. What is printed holds in every
 * case: the ppid changed from the dead parent to the reaper; the one
 * that may wait (this program exactly when it is pid 1) reaps it. The
 * grandchild reports its getppid() through a pipe. */
#include "contract.h"
#include <sys/prctl.h>

/* Our ancestors' pids, from /proc/<pid>/status (host runs only). */
static int is_ancestor(pid_t want)
{
	pid_t p = getppid();
	for (int depth = 0; p > 0 && depth < 64; depth++) {
		if (p == want)
			return 1;
		char path[64], line[128];
		snprintf(path, sizeof(path), "/proc/%d/status", (int)p);
		FILE *f = fopen(path, "r");
		pid_t next = 0;
		if (!f)
			return 0;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "PPid: %d", &next) == 1)
				break;
		fclose(f);
		p = next;
	}
	return 0;
}

int main(void)
{
	int go[2], report[2], started[2];
	pid_t mid, grand = 0, ppid_before = 0, ppid_after = 0;
	contract_begin("fork_orphan");
	/* Not a subreaper ourselves (asked on the host only: silent, and
	 * not needed as pid 1, where the reaper is us either way). */
	int reaper_flag = 0;
	if (getpid() != 1 && (prctl(PR_GET_CHILD_SUBREAPER, &reaper_flag) != 0 || reaper_flag != 0))
		contract_fail(__LINE__, "PR_GET_CHILD_SUBREAPER: %s, %d", errno_name(errno),
			      reaper_flag);
	VAL(pipe(go), 0);
	VAL(pipe(report), 0);
	VAL(pipe(started), 0);

	mid = fork();
	if (mid == 0) {
		pid_t g = fork();
		if (g == 0) {
			char c;
			pid_t before = getppid();
			if (write(started[1], "s", 1) != 1)
				_exit(3);
			/* Wait until the middle process is dead and reaped. */
			if (read(go[0], &c, 1) != 1)
				_exit(1);
			pid_t after = getppid();
			pid_t msg[3] = { getpid(), before, after };
			if (write(report[1], msg, sizeof(msg)) != sizeof(msg))
				_exit(2);
			_exit(7);
		}
		char c;
		/* Exit once the grandchild has seen us as its parent. */
		_exit(g > 0 && read(started[0], &c, 1) == 1 ? 0 : 1);
	}
	if (mid < 0) {
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
		return contract_end();
	}
	WAIT(mid, 0, 0);
	VAL(write(go[1], "g", 1), 1);
	pid_t msg[3] = { 0, 0, 0 };
	VAL(read(report[0], msg, sizeof(msg)), sizeof(msg));
	grand = msg[0];
	ppid_before = msg[1];
	ppid_after = msg[2];
	TRUE(ppid_before == mid);
	TRUE(ppid_after != mid);
	int reaper_ok;
	if (getpid() == 1)
		reaper_ok = ppid_after == 1;
	else
		reaper_ok = ppid_after == 1 || is_ancestor(ppid_after);
	printf("the grandchild's ppid changed to the reaper (pid 1, a subreaper above us, or we as "
	       "pid "
	       "1): %s\n",
	       reaper_ok ? "yes" : "no");
	if (!reaper_ok)
		contract_fail(__LINE__, "ppid after %d", (int)ppid_after);
	/* Only its new parent can wait for it. */
	int st = 0, reaped_ok;
	if (getpid() == 1) {
		reaped_ok = waitpid(grand, &st, 0) == grand && st == 0x0700;
	} else {
		reaped_ok = waitpid(grand, &st, 0) == -1 && errno == ECHILD;
		char c;
		/* Its exit closes the pipe. */
		close(report[1]);
		reaped_ok = reaped_ok && read(report[0], &c, 1) == 0;
	}
	printf("the reaper reaps it (exit 7 when we are pid 1; ECHILD for us otherwise): %s\n",
	       reaped_ok ? "yes" : "no");
	if (!reaped_ok)
		contract_fail(__LINE__, "reaping: status %#x", st);
	ERR(waitpid(-1, &st, WNOHANG), ECHILD);
	return contract_end();
}
