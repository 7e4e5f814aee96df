/*
 * Job control on the console, as /init (pid 1) on tern and on Linux:
 * init starts a "shell" (a child in a session of its own, which takes
 * /dev/console as its controlling tty with TIOCSCTTY: init's children's
 * groups would be orphaned, and Linux discards SIGTSTP and SIGTTIN there).
 * The shell runs each job in a group of its own in the foreground, and
 * the harness types on the serial line (qemu_run.py --input, after each
 * "JOBCTL ... reading"):
 *   ^C  the foreground child reading the terminal dies of SIGINT;
 *   ^Z  the next child stops (SIGTSTP, seen with WUNTRACED); continued in
 *       the background (WCONTINUED), its read of /dev/ttyS0 gets SIGTTIN
 *       and it stops again; SIGKILL ends it.
 * A background job reading /dev/console is never stopped (n_tty's "don't
 * stop on /dev/console"): with O_NONBLOCK it gets EAGAIN.
 * The shell ignores SIGTTOU so that it can take the terminal back.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("JOBCTL %s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("JOBCTL %s: killed by %d\n", what, WTERMSIG(st));
	else if (WIFSTOPPED(st))
		printf("JOBCTL %s: stopped by %d\n", what, WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		printf("JOBCTL %s: continued\n", what);
	else
		printf("JOBCTL %s: status %#x\n", what, st);
}

/* A child in its own group, in the foreground, reading the terminal. */
static pid_t reader(const char *name)
{
	pid_t c = fork();

	if (c == 0) {
		char buf[16];
		setpgid(0, 0);
		while (tcgetpgrp(0) != getpid())
			sched_yield();
		int fd = open("/dev/ttyS0", O_RDWR);
		if (fd < 0)
			printf("JOBCTL open /dev/ttyS0: %s\n", strerror(errno));
		printf("JOBCTL %s reading\n", name);
		ssize_t n = read(fd, buf, sizeof(buf));
		printf("JOBCTL %s read %zd (%s)\n", name, n, n < 0 ? strerror(errno) : "ok");
		_exit(3);
	}
	setpgid(c, c);
	if (tcsetpgrp(0, c))
		printf("JOBCTL tcsetpgrp: %s\n", strerror(errno));
	return c;
}

static int shell(void)
{
	int st;

	signal(SIGTTOU, SIG_IGN);
	if (setsid() < 0)
		printf("JOBCTL setsid: %s\n", strerror(errno));
	if (ioctl(0, TIOCSCTTY, 0))
		printf("JOBCTL TIOCSCTTY: %s\n", strerror(errno));
	printf("JOBCTL foreground is the shell: %d\n", tcgetpgrp(0) == getpid());

	pid_t c = reader("one");
	waitpid(c, &st, 0);
	say("one", st);
	tcsetpgrp(0, getpgrp());

	c = reader("two");
	waitpid(c, &st, WUNTRACED);
	say("two", st);
	tcsetpgrp(0, getpgrp());
	kill(-c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	say("two", st);
	waitpid(c, &st, WUNTRACED); /* its read again, in the background */
	say("two", st);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	say("two", st);

	c = fork();
	if (c == 0) {
		char buf[16];
		setpgid(0, 0); /* a background job */
		fcntl(0, F_SETFL, O_NONBLOCK);
		ssize_t n = read(0, buf, sizeof(buf));
		printf("JOBCTL three: console read %zd (%s)\n", n, n < 0 ? strerror(errno) : "ok");
		_exit(4);
	}
	setpgid(c, c);
	waitpid(c, &st, WUNTRACED);
	say("three", st);
	return 0;
}

int main(void)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	/* init has no controlling tty (Linux's /dev/console is never one). */
	int fg = tcgetpgrp(0);
	printf("JOBCTL init: tcgetpgrp %d (%s)\n", fg, strerror(errno));
	pid_t sh = fork();
	if (sh == 0)
		_exit(shell());
	waitpid(sh, &st, 0);
	say("shell", st);
	printf("JOBCTL done\n");
	return 0;
}
