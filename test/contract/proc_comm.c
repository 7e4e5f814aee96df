/* /proc/self/comm after exec: the basename of the path execve was given
 * (Linux's bprm->filename), so a symlink's name and not its target's, a
 * script's name and not its interpreter's (BusyBox's pidof matches it). */
#include "contract.h"

static void show_comm(void)
{
	char buf[32] = { 0 };
	int fd = open("/proc/self/comm", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	printf("comm: %s", n > 0 ? buf : "?\n");
}

static void run(const char *path)
{
	int st;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "x", "child", NULL };
		execv(path, argv);
		_exit(127);
	}
	TRUE(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[argc - 1], "child")) {
		show_comm();
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "child")) { /* as a script's interpreter */
		show_comm();
		return 0;
	}
	contract_begin("proc_comm");
	if (access("/proc/self", F_OK)) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	}
	VAL(symlink("init", "comm-link"), 0);
	int fd = open("comm-script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	TRUE(fd >= 0);
	const char *text = "#!./init child\n";
	VAL(write(fd, text, strlen(text)), (long)strlen(text));
	VAL(close(fd), 0);
	run("./init");
	run("./comm-link");
	run("./comm-script");
	VAL(unlink("comm-link"), 0);
	VAL(unlink("comm-script"), 0);
	return contract_end();
}
