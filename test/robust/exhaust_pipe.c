/* A pipe writer whose reader goes away while it is blocked on a full
 * pipe: with SIGPIPE ignored its write ends with EPIPE (nothing of it
 * was written), with the default action it dies of SIGPIPE; a writer
 * that finds no reader gets the same at once. Host and tern. */
#include "robust.h"
#include <poll.h>

/* A reader process that holds p[0] until told (on go[0]), then sleeps
 * 200 ms and exits: the writer is blocked by then. */
static pid_t reader(int p[2], int go[2])
{
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		close(go[1]);
		(void)!read(go[0], &c, 1);
		robust_sleep_ms(200);
		_exit(0);
	}
	close(p[0]);
	close(go[0]);
	return pid;
}

int main(void)
{
	int p[2], go[2], st;
	contract_begin("exhaust_pipe");

	/* Ignored: EPIPE for the blocked write. */
	TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	VAL(pipe(p), 0);
	VAL(pipe(go), 0);
	pid_t r = reader(p, go);
	VAL(robust_fill_pipe(p[1]), 65536);
	VAL(write(go[1], "g", 1), 1);
	ERR(write(p[1], "x", 1), EPIPE);
	ERR(write(p[1], "x", 1), EPIPE);
	TRUE(waitpid(r, &st, 0) == r);
	VAL(close(p[1]), 0);
	VAL(close(go[1]), 0);

	/* Default action: the blocked writer dies of SIGPIPE. */
	VAL(pipe(p), 0);
	VAL(pipe(go), 0);
	r = reader(p, go);
	pid_t w = fork();
	if (w == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (robust_fill_pipe(p[1]) != 65536)
			_exit(2);
		(void)!write(go[1], "g", 1);
		(void)!write(p[1], "x", 1);
		_exit(1); /* not reached */
	}
	close(p[1]);
	close(go[1]);
	TRUE(waitpid(w, &st, 0) == w);
	VAL(WIFSIGNALED(st) ? WTERMSIG(st) : -WEXITSTATUS(st), SIGPIPE);
	TRUE(waitpid(r, &st, 0) == r);

	/* Many writers blocked on one full pipe: all end when the reader
	 * closes, with EPIPE each (ignored). */
	VAL(pipe(p), 0);
	VAL(robust_fill_pipe(p[1]), 65536);
	pid_t ws[8];
	for (int i = 0; i < 8; i++) {
		ws[i] = fork();
		if (ws[i] == 0) {
			close(p[0]);
			_exit(write(p[1], "y", 1) < 0 && errno == EPIPE ? 0 : 1);
		}
	}
	robust_sleep_ms(200);
	VAL(close(p[0]), 0);
	int ok = 0;
	for (int i = 0; i < 8; i++)
		if (waitpid(ws[i], &st, 0) == ws[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	VAL(ok, 8);
	VAL(close(p[1]), 0);
	ERR(wait(NULL), ECHILD);
	return contract_end();
}
