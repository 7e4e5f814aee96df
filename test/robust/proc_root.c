/* A root chroot put in /proc (a pid's directory, an inode procfs makes
 * while it is used): ".." there is that root, and a walk of it must take
 * a reference like any other step. It took none, so every "/.." put one
 * the root never had, and the last exit inside freed it twice: vfs died in
 * a free (robust.fuzz at 10^6 calls, seed 1). Tern only (chroot on the
 * host would need a root of its own). */
#include "robust.h"
#include <sys/mount.h>
#include <sys/stat.h>

int main(void)
{
	int st;
	contract_begin("proc_root");
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL); /* EBUSY if /init has it */

	for (int round = 0; round < 20; round++) {
		pid_t sleeper = fork();
		if (sleeper == 0) {
			pause();
			_exit(0);
		}
		TRUE(sleeper > 0);
		char dir[32];
		snprintf(dir, sizeof(dir), "/proc/%d", (int)sleeper);
		pid_t c = fork();
		if (c == 0) {
			struct stat s;
			if (chroot(dir))
				_exit(10);
			for (int i = 0; i < 8; i++)
				if (stat("/..", &s) || stat("/../..", &s))
					_exit(11);
			pid_t g = fork(); /* a second process with the same root */
			if (g == 0) {
				stat("/..", &s);
				_exit(0);
			}
			waitpid(g, NULL, 0);
			_exit(0);
		}
		TRUE(c > 0);
		TRUE(waitpid(c, &st, 0) == c);
		VAL(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
		VAL(kill(sleeper, SIGKILL), 0);
		TRUE(waitpid(sleeper, &st, 0) == sleeper);
	}
	/* vfs still serves */
	int fd = open("/proc_root.tmp", O_RDWR | O_CREAT, 0644);
	TRUE(fd >= 0);
	VAL(close(fd), 0);
	VAL(unlink("/proc_root.tmp"), 0);
	return contract_end();
}
