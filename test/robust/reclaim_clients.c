/* When a process dies, whoever waits on something only it would
 * complete is answered as Linux answers (issue 12, docs/testing.md
 * "Robustness"); each death is a SIGKILL from a third process while pid
 * 1 waits:
 *   - a pipe read whose last writer dies: end of file (0);
 *   - a write to a full pipe whose last reader dies: EPIPE (SIGPIPE
 *     ignored), nothing of it written;
 *   - poll of a pipe whose last writer dies: POLLHUP;
 *   - a FIFO writer that died waiting in its open counts for nothing: a
 *     non-blocking reader reads end of file; a reader that died waiting
 *     leaves none: a non-blocking writer's open is ENXIO;
 *   - a shared futex whose waker dies: not woken (Linux wakes nobody
 *     for a dead process without a robust list), the wait times out,
 *     also while a child dies (SIGCHLD, ignored, ends no timed wait);
 *   - a thread blocked writing to a full pipe (its write end
 *     close-on-exec) while another thread of its process execs: the
 *     write dies with the old image (Linux's de_thread), the reader gets
 *     the 64 KiB before it and then end of file.
 * Host and tern, compared. */
#include "robust.h"
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>

#define FIFO "reclaim-cfifo"

/* A child that only waits (pause), after closing the fds not in keep. */
static pid_t idler(int close_a, int close_b)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (close_a >= 0)
			close(close_a);
		if (close_b >= 0)
			close(close_b);
		for (;;)
			pause();
	}
	return pid;
}

/* A third process that kills `victim` after `ms` while pid 1 waits. */
static pid_t killer(pid_t victim, long ms)
{
	pid_t pid = fork();
	if (pid == 0) {
		robust_sleep_ms(ms);
		kill(victim, SIGKILL);
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid, const char *who)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		printf("%s: not reaped\n", who);
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", who, sig_name(WTERMSIG(st)));
	else
		printf("%s: exit %d\n", who, WEXITSTATUS(st));
}

static long drain(int fd)
{
	static char buf[65536 + 4096];
	long n = 0, r;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		n += r;
	return r < 0 ? -1 : n;
}

static int futex_shared;

struct exec_blocker {
	int fd;
};

static void *blocked_writer(void *arg)
{
	struct exec_blocker *b = arg;
	char buf[100] = "a write of the old image: must never arrive";
	(void)!write(b->fd, buf, sizeof(buf));
	return NULL;
}

int main(int argc, char **argv)
{
	int p[2], st;
	char c;
	if (argc > 1 && !strcmp(argv[1], "exec-idle")) {
		for (;;)
			pause();
	}
	contract_begin("reclaim_clients");
	TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);

	/* A pipe read whose last writer dies. */
	VAL(pipe(p), 0);
	pid_t w = idler(p[0], -1);
	VAL(close(p[1]), 0);
	pid_t k = killer(w, 100);
	VAL(read(p[0], &c, 1), 0);
	reap(w, "the writer");
	reap(k, "the killer");
	VAL(close(p[0]), 0);

	/* A write to a full pipe whose last reader dies. */
	VAL(pipe(p), 0);
	pid_t r = idler(p[1], -1);
	VAL(close(p[0]), 0);
	VAL(robust_fill_pipe(p[1]), 65536);
	k = killer(r, 100);
	ERR(write(p[1], "x", 1), EPIPE);
	reap(r, "the reader");
	reap(k, "the killer");
	VAL(close(p[1]), 0);

	/* poll of a pipe whose last writer dies. */
	VAL(pipe(p), 0);
	w = idler(p[0], -1);
	VAL(close(p[1]), 0);
	k = killer(w, 100);
	struct pollfd q = { p[0], POLLIN, 0 };
	VAL(poll(&q, 1, 5000), 1);
	printf("revents: %s%s\n", q.revents & POLLHUP ? "POLLHUP" : "",
	       q.revents & POLLIN ? " POLLIN" : "");
	TRUE(q.revents == POLLHUP);
	reap(w, "the writer");
	reap(k, "the killer");
	VAL(close(p[0]), 0);

	/* FIFO opens that died waiting. */
	unlink(FIFO);
	VAL(mkfifo(FIFO, 0644), 0);
	w = fork();
	if (w == 0) {
		open(FIFO, O_WRONLY); /* waits for a reader */
		_exit(1);
	}
	robust_sleep_ms(100);
	VAL(kill(w, SIGKILL), 0);
	reap(w, "the writer waiting in open");
	int fd = OK(open(FIFO, O_RDONLY | O_NONBLOCK));
	VAL(read(fd, &c, 1), 0); /* no writer: end of file */
	VAL(close(fd), 0);
	r = fork();
	if (r == 0) {
		open(FIFO, O_RDONLY); /* waits for a writer */
		_exit(1);
	}
	robust_sleep_ms(100);
	VAL(kill(r, SIGKILL), 0);
	reap(r, "the reader waiting in open");
	ERR(open(FIFO, O_WRONLY | O_NONBLOCK), ENXIO);
	VAL(unlink(FIFO), 0);

	/* A shared futex whose waker dies: nobody wakes the waiter. The
	 * waker is the killer's child and the killer outlives the wait, so
	 * no SIGCHLD comes to pid 1 meanwhile. */
	int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TRUE(word != MAP_FAILED);
	*word = 0;
	k = fork();
	if (k == 0) {
		pid_t waker = fork();
		if (waker == 0) {
			for (;;)
				pause(); /* would wake *word, and never does */
		}
		robust_sleep_ms(50);
		kill(waker, SIGKILL);
		waitpid(waker, &st, 0);
		robust_sleep_ms(600);
		_exit(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : 1);
	}
	struct timespec ts = { 0, 300 * 1000000 };
	ERR(syscall(SYS_futex, word, FUTEX_WAIT, 0, &ts, NULL, 0), ETIMEDOUT);
	reap(k, "the killer of the waker");
	/* The same wait while a child dies: SIGCHLD, ignored by default,
	 * ends nothing (it was -EINTR here: the timed wait had no restart
	 * block). */
	k = fork();
	if (k == 0) {
		robust_sleep_ms(50);
		_exit(0);
	}
	ERR(syscall(SYS_futex, word, FUTEX_WAIT, 0, &ts, NULL, 0), ETIMEDOUT);
	reap(k, "a child that exits during the wait");
	(void)futex_shared;

	/* A thread's pipe write dies with the image another thread execs. */
	VAL(pipe2(p, O_CLOEXEC), 0);
	VAL(robust_fill_pipe(p[1]), 65536);
	pid_t x = fork();
	if (x == 0) {
		static struct exec_blocker b;
		pthread_t t;
		close(p[0]);
		b.fd = p[1];
		if (pthread_create(&t, NULL, blocked_writer, &b))
			_exit(2);
		robust_sleep_ms(100); /* the thread waits in its write */
		char *args[] = { "./init", "exec-idle", NULL };
		char *envp[] = { NULL };
		execve(args[0], args, envp);
		_exit(3);
	}
	VAL(close(p[1]), 0);
	robust_sleep_ms(300); /* the new image runs */
	VAL(drain(p[0]), 65536);
	VAL(kill(x, SIGKILL), 0);
	reap(x, "the process that exec'ed");
	VAL(close(p[0]), 0);

	ERR(wait(&st), ECHILD);
	return contract_end();
}
