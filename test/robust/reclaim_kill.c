/* What a dead process held is reclaimed (issue 12, docs/testing.md
 * "Robustness"): a child blocked in a call that waits (a pipe read, a
 * write to a full pipe, a FIFO open, poll of a pipe, a console read, a
 * console poll, a console write held by TCOOFF, wait4, sigsuspend,
 * pause, a futex wait, nanosleep) is killed, ROUNDS times per kind:
 * by SIGKILL from pid 1, or (every fourth round) by exit_group from a
 * second thread of its own while its main thread waits, or (every
 * fourth, another) by the execve of a second thread (Linux's de_thread:
 * the waiting thread dies, the new image is then killed). After each kind
 * the servers still serve that kind of call to a live process (it waits
 * as it should, and is answered), and at the end the free frames
 * (sysinfo's freeram) and vfs's quota (/proc/meminfo) are back within
 * SLACK_KIB of where they were after a warm-up of every kind, and a
 * normal program runs. tern only: the console is stdin only there.
 * argv[1]: ROUNDS (500 by default). */
#include "robust.h"
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <termios.h>

#define SLACK_KIB 1024

enum kind {
	K_PIPE_READ,
	K_PIPE_WRITE,
	K_FIFO_OPEN,
	K_POLL_PIPE,
	K_CONSOLE_READ,
	K_CONSOLE_POLL,
	K_CONSOLE_WRITE,
	K_WAIT4,
	K_SIGSUSPEND,
	K_PAUSE,
	K_FUTEX,
	K_NANOSLEEP,
	K_COUNT
};

static const char *const names[K_COUNT] = {
	"pipe read",	"pipe write",	"FIFO open",	 "poll of a pipe",
	"console read", "console poll", "console write", "wait4",
	"sigsuspend",	"pause",	"futex wait",	 "nanosleep",
};

#define FIFO "reclaim-fifo"

/* How the waiting thread dies: its process is killed; a second thread
 * calls exit_group; a second thread execs (the new image, which says so
 * on the sync pipe, is then killed). */
enum { BY_KILL, BY_EXIT_GROUP, BY_EXEC };

static int fails;

#define CHECK(cond, ...)                                    \
	do {                                                \
		if (!(cond)) {                              \
			printf("FAIL line %d: ", __LINE__); \
			printf(__VA_ARGS__);                \
			printf("\n");                       \
			fails++;                            \
		}                                           \
	} while (0)

static int futex_word;

/* What the child's waiting thread does: the call that waits. */
static void block_in(enum kind k, int fd)
{
	char buf[128] = { 0 };
	switch (k) {
	case K_PIPE_READ:
		(void)!read(fd, buf, 1);
		break;
	case K_PIPE_WRITE:
		(void)!write(fd, buf, 100); /* <= PIPE_BUF: all or nothing */
		break;
	case K_FIFO_OPEN:
		open(FIFO, O_RDONLY);
		break;
	case K_POLL_PIPE: {
		struct pollfd p = { fd, POLLIN, 0 };
		poll(&p, 1, -1);
		break;
	}
	case K_CONSOLE_READ:
		(void)!read(0, buf, 1);
		break;
	case K_CONSOLE_POLL: {
		struct pollfd p = { 0, POLLIN, 0 };
		poll(&p, 1, -1);
		break;
	}
	case K_CONSOLE_WRITE:
		(void)!write(1, "a dead writer's line: must never appear\n", 40);
		break;
	case K_WAIT4:
		wait4(-1, NULL, 0, NULL);
		break;
	case K_SIGSUSPEND: {
		sigset_t none;
		sigemptyset(&none);
		sigsuspend(&none);
		break;
	}
	case K_PAUSE:
		pause();
		break;
	case K_FUTEX:
		syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		break;
	case K_NANOSLEEP: {
		struct timespec ts = { 100000, 0 };
		nanosleep(&ts, NULL);
		break;
	}
	default:
		break;
	}
}

struct blocker {
	enum kind k;
	int fd, sync;
};

static void *blocker_thread(void *arg)
{
	struct blocker *b = arg;
	(void)!write(b->sync, "b", 1);
	block_in(b->k, b->fd);
	return NULL;
}

/* The child: a grandchild for wait4 (its pid sent first), then either
 * the main thread waits, or a second thread waits while the main one
 * ends the group on pid 1's word (`go`). */
static void child(enum kind k, int fd, int sync, int go, int how)
{
	if (k == K_WAIT4) {
		pid_t g = fork();
		if (g == 0) {
			for (;;)
				pause();
		}
		(void)!write(sync, &g, sizeof(g));
	}
	if (how == BY_KILL) {
		(void)!write(sync, "b", 1);
		block_in(k, fd);
		_exit(99); /* only SIGKILL may end it */
	}
	static struct blocker b;
	b = (struct blocker){ k, fd, sync };
	pthread_t t;
	if (pthread_create(&t, NULL, blocker_thread, &b))
		_exit(98);
	char c;
	(void)!read(go, &c, 1);
	if (how == BY_EXEC) {
		char fdnum[16];
		snprintf(fdnum, sizeof(fdnum), "%d", sync);
		char *args[] = { "/init", "exec-idle", fdnum, NULL };
		char *envp[] = { NULL };
		execve(args[0], args, envp);
		_exit(96);
	}
	syscall(SYS_exit_group, 7);
	_exit(97);
}

/* One round: the child waits in kind k, is killed, reaped; the other
 * end is checked as Linux has it. 0 when the round went as it must. */
static int one_round(enum kind k, int how, pid_t *kept)
{
	int p[2] = { -1, -1 }, sync[2], go[2], st, bad = 0;
	if (pipe(sync) || pipe(go))
		return 1;
	int child_fd = -1;
	if (k == K_PIPE_READ || k == K_POLL_PIPE || k == K_PIPE_WRITE) {
		if (pipe(p))
			return 1;
		if (k == K_PIPE_WRITE)
			robust_fill_pipe(p[1]);
		child_fd = k == K_PIPE_WRITE ? p[1] : p[0];
	}
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(sync[0]);
		close(go[1]);
		if (p[0] >= 0)
			close(k == K_PIPE_WRITE ? p[0] : p[1]);
		child(k, child_fd, sync[1], go[0], how);
	}
	close(sync[1]);
	close(go[0]);
	if (k == K_PIPE_WRITE)
		close(p[1]); /* the child holds the only write end */
	pid_t grand = 0;
	if (k == K_WAIT4 && read(sync[0], &grand, sizeof(grand)) != sizeof(grand))
		bad++;
	char c;
	if (read(sync[0], &c, 1) != 1)
		bad++;
	robust_sleep_ms(2); /* into its wait */
	if (how != BY_KILL)
		(void)!write(go[1], "g", 1);
	if (how == BY_EXEC && read(sync[0], &c, 1) != 1) /* the new image runs */
		bad++;
	if (how == BY_EXEC && kept) {
		*kept = pid; /* the new image lives on: its pid does not die */
		close(sync[0]);
		close(go[1]);
		return bad;
	}
	if (how != BY_EXIT_GROUP)
		kill(pid, SIGKILL);
	if (waitpid(pid, &st, 0) != pid)
		bad++;
	else if (how == BY_EXIT_GROUP ? !(WIFEXITED(st) && WEXITSTATUS(st) == 7)
				      : !(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL))
		bad++;
	close(sync[0]);
	close(go[1]);
	if (k == K_PIPE_WRITE) {
		/* Its write never went in: the 64 KiB before it, then EOF. */
		static char buf[65536 + 200];
		long n = 0, r;
		while ((r = read(p[0], buf + n, sizeof(buf) - (size_t)n)) > 0)
			n += r;
		if (n != 65536 || r != 0) {
			printf("round of a pipe write: read %ld bytes then %ld\n", n, r);
			bad++;
		}
	}
	if (k == K_FIFO_OPEN) {
		/* The reader that waited is gone: no reader counts. */
		int fd = open(FIFO, O_WRONLY | O_NONBLOCK);
		if (fd >= 0 || errno != ENXIO) {
			printf("FIFO opened for writing after its waiting reader died: %d %s\n", fd,
			       fd < 0 ? errno_name(errno) : "");
			bad++;
		}
		if (fd >= 0)
			close(fd);
	}
	if (p[0] >= 0)
		close(p[0]);
	if (k != K_PIPE_WRITE && p[1] >= 0)
		close(p[1]);
	if (grand > 0) {
		kill(grand, SIGKILL); /* init's now */
		if (waitpid(grand, &st, 0) != grand)
			bad++;
	}
	return bad;
}

/* A live process is still served in kind k: its call waits (it is alive
 * after 100 ms), then is answered when pid 1 lets it go. */
static int still_served(enum kind k)
{
	int st, ok = 1;
	if (k == K_PIPE_READ || k == K_POLL_PIPE || k == K_PIPE_WRITE || k == K_FIFO_OPEN ||
	    k == K_PAUSE || k == K_SIGSUSPEND || k == K_FUTEX || k == K_NANOSLEEP || k == K_WAIT4)
		return 1; /* the rounds themselves and the other kinds show these */
	pid_t pid = fork();
	if (pid == 0) {
		char buf[8];
		if (k == K_CONSOLE_READ) {
			long r = read(0, buf, 1); /* no input comes: it waits */
			_exit(r < 0 ? 10 + errno : 1);
		}
		if (k == K_CONSOLE_POLL) {
			struct pollfd q = { 0, POLLIN, 0 };
			int r = poll(&q, 1, 300); /* no input: the time runs out */
			_exit(r == 0 ? 0 : r < 0 ? 10 + errno : 2);
		}
		if (k == K_CONSOLE_WRITE) {
			long r = write(1, "", 0);
			r = write(1, "live writer\n", 12); /* waits for TCOON */
			_exit(r == 12 ? 0 : r < 0 ? 10 + errno : 3);
		}
		_exit(0);
	}
	robust_sleep_ms(100);
	pid_t w = waitpid(pid, &st, WNOHANG);
	if (k == K_CONSOLE_POLL) {
		if (w == 0)
			w = waitpid(pid, &st, 0);
		ok = w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		if (!ok)
			printf("console poll after the rounds: status %#x\n", st);
		return ok;
	}
	if (k == K_CONSOLE_WRITE)
		tcflow(1, TCOON); /* before anything is printed */
	if (w != 0) {
		printf("%s after the rounds did not wait: status %#x\n", names[k], st);
		ok = 0;
	}
	if (k == K_CONSOLE_WRITE) {
		if (w == 0)
			ok = waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		return ok;
	}
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	return ok;
}

/* For the console's kinds the images exec made live on, up to more
 * than the console keeps waiting calls of (32 readers and pollers, 4
 * writers): their old threads' calls must be gone though their pid
 * lives (proc's PROC_GONE_WATCH at exec). */
#define KEEP_MAX 40

static void kill_kept(pid_t *kept, int *n)
{
	int st;
	for (int i = 0; i < *n; i++) {
		kill(kept[i], SIGKILL);
		waitpid(kept[i], &st, 0);
	}
	*n = 0;
}

static int run_kind(enum kind k, int rounds, int *bad_rounds)
{
	int bad = 0, served = 1, nkept = 0;
	pid_t kept[KEEP_MAX];
	int console = k == K_CONSOLE_READ || k == K_CONSOLE_POLL || k == K_CONSOLE_WRITE;
	if (k == K_CONSOLE_WRITE)
		tcflow(1, TCOOFF); /* nothing printed until TCOON */
	for (int i = 0; i < rounds; i++) {
		int how = i % 4 == 3 ? BY_EXIT_GROUP : i % 4 == 1 ? BY_EXEC : BY_KILL;
		bad += one_round(k, how, console ? &kept[nkept] : NULL) != 0;
		if (console && how == BY_EXEC && ++nkept == KEEP_MAX) {
			served &= still_served(k); /* TCOON, then TCOOFF again */
			if (k == K_CONSOLE_WRITE)
				tcflow(1, TCOOFF);
			kill_kept(kept, &nkept);
		}
	}
	served &= still_served(k); /* output started again (TCOON) */
	kill_kept(kept, &nkept);
	*bad_rounds = bad;
	return served;
}

static int servers_answer(void)
{
	int ok = 1, p[2];
	char buf[8] = { 0 };
	int fd = open("reclaim-file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	ok &= fd >= 0 && write(fd, "abc", 3) == 3 && pread(fd, buf, 3, 0) == 3;
	close(fd);
	ok &= unlink("reclaim-file") == 0;
	ok &= pipe(p) == 0 && write(p[1], "z", 1) == 1 && read(p[0], buf, 1) == 1;
	close(p[0]);
	close(p[1]);
	ok &= robust_runs("/init", "ok");
	return ok;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "ok"))
		return 0;
	if (argc > 2 && !strcmp(argv[1], "exec-idle")) {
		(void)!write(atoi(argv[2]), "e", 1);
		for (;;)
			pause();
	}
	int rounds = argc > 1 ? atoi(argv[1]) : 500;
	if (rounds < 4)
		rounds = 4;
	contract_begin("reclaim_kill");
	signal(SIGPIPE, SIG_IGN);
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL); /* vfs's quota in /proc/meminfo */
	unlink(FIFO);
	TRUE(mkfifo(FIFO, 0644) == 0);
	/* A warm-up: the servers' heaps and the kernel's caches reach what
	 * a round of each kind needs. */
	for (int k = 0; k < K_COUNT; k++) {
		int bad, console =
				 k == K_CONSOLE_READ || k == K_CONSOLE_POLL || k == K_CONSOLE_WRITE;
		run_kind(k, console ? 4 * KEEP_MAX : 8,
			 &bad); /* the most processes alive at once */
	}
	unsigned long free0 = robust_free_kib(), vfs0 = robust_memfree_kib();
	TRUE(free0 > 0 && vfs0 > 0);
	long t0 = robust_now_ms();
	for (int k = 0; k < K_COUNT; k++) {
		int bad, served = run_kind(k, rounds, &bad);
		printf("%s: %d rounds killed while waiting, %d went wrong; still served: %s\n",
		       names[k], rounds, bad, served ? "yes" : "no");
		CHECK(bad == 0 && served, "%s", names[k]);
	}
	/* More deaths than proc's ring keeps while nothing waits in the
	 * console (its watch idle): the next waiting calls, told the list
	 * was lost, restart once and are served as ever. */
	for (int i = 0; i < 300; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	int lost_ok = still_served(K_CONSOLE_READ) && still_served(K_CONSOLE_POLL);
	printf("console calls after 300 deaths nobody watched: served: %s\n",
	       lost_ok ? "yes" : "no");
	CHECK(lost_ok, "after a lost list");
	long ms = robust_now_ms() - t0;
	TRUE(servers_answer());
	unsigned long free1 = robust_free_kib(), vfs1 = robust_memfree_kib();
	printf("free memory back: %s\n", free1 + SLACK_KIB >= free0 ? "yes" : "no");
	printf("vfs's quota back: %s\n", vfs1 + SLACK_KIB >= vfs0 ? "yes" : "no");
	CHECK(free1 + SLACK_KIB >= free0, "free KiB %lu, after the warm-up %lu", free1, free0);
	CHECK(vfs1 + SLACK_KIB >= vfs0, "vfs MemFree KiB %lu, after the warm-up %lu", vfs1, vfs0);
	ERR(wait(NULL), ECHILD);
	unlink(FIFO);
	fprintf(stderr,
		"reclaim_kill: %d rounds x %d kinds in %ld ms; free KiB %lu -> %lu, vfs MemFree "
		"KiB "
		"%lu -> %lu\n",
		rounds, K_COUNT, ms, free0, free1, vfs0, vfs1);
	if (fails)
		contract_failures += fails;
	return contract_end();
}
