/* Signals to one process never change another's calls. A server's
 * interrupt Notification has 64 bits, so on tern processes whose pids
 * are 64 apart share a bit (tern_server_intr_bit): a signal to one ends
 * the waits of both in that server, and libposix must make the other's
 * call go on as if nothing happened (docs/personality.md, "Interrupted
 * calls and timers").
 *
 * A writer W makes big blocking writes to a pipe that a reader drains
 * slowly, so its writes wait in vfs with part of their bytes in; a
 * process S whose pid is W's plus a multiple of 64 waits in a pipe read
 * of its own and is sent SIGUSR1 over and over (its handler has no
 * SA_RESTART: its read ends EINTR each time). A thread of W's own (a
 * second thread of the writer, signalled with tgkill the same way) is
 * the same case inside one process. Linux: a blocking pipe write with
 * no signal of its own writes everything, so each write returns its
 * full count and the reader gets every byte, in order. Host and tern. */
#include "robust.h"
#include <pthread.h>

#define WRITES 12
#define WRITE_LEN 100000
#define READ_LEN 4096

static volatile sig_atomic_t hits;
static void on_usr1(int s)
{
	(void)s;
	hits++;
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

/* The slow reader: checks the bytes, reports the total through `out`. */
static void reader(int in, int out)
{
	static unsigned char buf[READ_LEN];
	size_t total = 0, bad = 0;
	long n;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (long i = 0; i < n; i++)
			if (buf[i] != pattern(total + (size_t)i))
				bad++;
		total += (size_t)n;
		robust_sleep_ms(1);
	}
	uint64_t r[2] = { total, bad };
	(void)!write(out, r, sizeof(r));
	_exit(0);
}

/* The writer: WRITES blocking writes; exits with how many were short. */
static int write_all(int fd)
{
	static unsigned char buf[WRITES * WRITE_LEN];
	int shorts = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = pattern(i);
	for (int i = 0; i < WRITES; i++) {
		long n = write(fd, buf + (size_t)i * WRITE_LEN, WRITE_LEN);
		if (n != WRITE_LEN) {
			fprintf(stderr, "write %d returned %ld (errno %d)\n", i, n, errno);
			shorts++;
			if (n < 0)
				break;
			/* The rest, so the reader's check stays in step. */
			size_t done = (size_t)n;
			while (done < WRITE_LEN) {
				long m = write(fd, buf + (size_t)i * WRITE_LEN + done,
					       WRITE_LEN - done);
				if (m <= 0)
					break;
				done += (size_t)m;
			}
		}
	}
	return shorts;
}

/* A waiter that is signalled: blocked in a read of a pipe nobody writes,
 * EINTR each time, until its end closes. */
static void waiter(int in)
{
	char c;
	for (;;) {
		long n = read(in, &c, 1);
		if (n == 0)
			_exit(hits > 0 ? 0 : 3);
		if (n < 0 && errno != EINTR)
			_exit(4);
	}
}

static void handle_usr1(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_usr1; /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
}

/* One round: the writer's partner is another process (pid 64 apart). */
static void round_processes(void)
{
	int data[2], res[2], go[2], idle[2], st;
	OK(pipe(data));
	OK(pipe(res));
	OK(pipe(go));
	OK(pipe(idle));
	pid_t r = fork();
	if (r == 0) {
		close(data[1]);
		reader(data[0], res[1]);
	}
	close(data[0]);
	pid_t w = fork();
	if (w == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(100);
		_exit(write_all(data[1]));
	}
	close(data[1]);
	/* S: the first child whose pid shares W's bit. */
	pid_t s = -1;
	for (int tries = 0; tries < 2000 && s < 0; tries++) {
		int sync[2];
		if (pipe(sync))
			break;
		pid_t c = fork();
		if (c == 0) {
			close(sync[0]);
			if (getpid() % 64 != w % 64)
				_exit(0);
			handle_usr1();
			char one = 1;
			(void)!write(sync[1], &one, 1);
			close(sync[1]);
			close(idle[1]);
			waiter(idle[0]);
		}
		close(sync[1]);
		char one = 0;
		if (read(sync[0], &one, 1) == 1)
			s = c;
		else
			waitpid(c, &st, 0);
		close(sync[0]);
	}
	printf("processes: a partner whose pid is the writer's plus k*64: %s\n",
	       s > 0 ? "found" : "none");
	TRUE(s > 0);
	close(idle[0]);
	OK(write(go[1], "g", 1) == 1 ? 0 : -1);
	close(go[1]);
	long signals = 0, t0 = robust_now_ms();
	while (waitpid(w, &st, WNOHANG) == 0) {
		if (s > 0)
			kill(s, SIGUSR1);
		signals++;
		if (signals % 4 == 0)
			robust_sleep_ms(1);
		if (robust_now_ms() - t0 > 120000)
			break;
	}
	printf("processes: writer exited: %s, short writes: %d\n", WIFEXITED(st) ? "yes" : "no",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(idle[1]);
	if (s > 0) {
		TRUE(waitpid(s, &st, 0) == s);
		printf("processes: the partner was interrupted: %s\n",
		       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "no");
	}
	close(res[1]);
	uint64_t got[2] = { 0, 0 };
	VAL(read(res[0], got, sizeof(got)), (long)sizeof(got));
	printf("processes: reader got %llu bytes, %llu wrong\n", (unsigned long long)got[0],
	       (unsigned long long)got[1]);
	TRUE(got[0] == (uint64_t)WRITES * WRITE_LEN && got[1] == 0);
	close(res[0]);
	TRUE(waitpid(r, &st, 0) == r);
	TRUE(signals > 0);
}

/* The same inside one process: its second thread waits and is
 * signalled (tgkill) while the first writes. */
static int thread_idle;
static volatile pid_t thread_tid;
static void *thread_main(void *arg)
{
	char c;
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	for (;;) {
		long n = read(thread_idle, &c, 1);
		if (n == 0)
			return NULL;
	}
}

static void round_threads(void)
{
	int data[2], res[2], st;
	OK(pipe(data));
	OK(pipe(res));
	pid_t r = fork();
	if (r == 0) {
		close(data[1]);
		reader(data[0], res[1]);
	}
	close(data[0]);
	close(res[1]);
	pid_t w = fork();
	if (w == 0) {
		int idle[2];
		pthread_t t;
		if (pipe(idle))
			_exit(101);
		handle_usr1();
		thread_idle = idle[0];
		if (pthread_create(&t, NULL, thread_main, NULL))
			_exit(102);
		while (!thread_tid)
			sched_yield();
		/* A signaller: the child of the writer, tgkill to the thread. */
		pid_t me = getpid(), tid = thread_tid;
		sigset_t block;
		sigemptyset(&block);
		sigaddset(&block, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &block, NULL); /* the writer's thread takes none */
		pid_t k = fork();
		if (k == 0) {
			for (long i = 0;; i++) {
				if (syscall(SYS_tgkill, me, tid, SIGUSR1) && errno == ESRCH)
					_exit(0);
				if (getppid() != me)
					_exit(0);
				if (i % 4 == 0)
					robust_sleep_ms(1);
			}
		}
		int shorts = write_all(data[1]);
		kill(k, SIGKILL);
		waitpid(k, NULL, 0);
		close(idle[1]);
		pthread_join(t, NULL);
		_exit(hits > 0 ? shorts : 50 + shorts);
	}
	close(data[1]);
	TRUE(waitpid(w, &st, 0) == w);
	printf("threads: writer exited: %s, short writes: %d\n", WIFEXITED(st) ? "yes" : "no",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	uint64_t got[2] = { 0, 0 };
	VAL(read(res[0], got, sizeof(got)), (long)sizeof(got));
	printf("threads: reader got %llu bytes, %llu wrong\n", (unsigned long long)got[0],
	       (unsigned long long)got[1]);
	TRUE(got[0] == (uint64_t)WRITES * WRITE_LEN && got[1] == 0);
	close(res[0]);
	TRUE(waitpid(r, &st, 0) == r);
}

int main(void)
{
	contract_begin("intr_shared");
	signal(SIGPIPE, SIG_IGN);
	round_processes();
	round_threads();
	robust_reap_all();
	return contract_end();
}
