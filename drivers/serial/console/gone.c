/*
 * The calls of the dead (docs/personality.md, "What a dead process
 * held"). A read, poll or stopped write of a process that is killed
 * waits here with its Reply; nobody would ever answer it, and a dead
 * reader would take the next line typed. proc never calls the console
 * (the console calls proc), so a watch thread of ours keeps a call
 * waiting in proc (PROC_GONE_WATCH), which proc answers with the pids
 * that died (or lost their other threads to exec); the thread hands them
 * to the loop (CONSOLE_GONE on our own endpoint, the IRQ thread's badge),
 * which ends their waiting calls with TERN_EINTERRUPTED: the Reply goes
 * back to the pool (its caller gone, the answer goes nowhere), and a
 * caller that still lives (exec's caller's pid, a lost list) makes its
 * call again, as libposix does after any interruption without a signal.
 *
 * Entry points: console_gone_start, CONSOLE_GONE's handler.
 */
#include "console.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

_Static_assert(CONSOLE_GONE_MAX == PROC_GONE_MAX, "one answer is one message");

CONSOLE_HANDLER(console_gone)

static bool listed(const struct console_gone_req *in, uint64_t pid)
{
	if (!pid)
		return false; /* a native client: proc knows nothing of it */
	if (in->flags & PROC_GONE_LOST)
		return true;
	for (uint64_t i = 0; i < in->n; i++)
		if (in->pids[i] == pid)
			return true;
	return false;
}

static int console_gone_handle(struct tern_request *req, const struct console_gone_req *in,
			       struct console_gone_resp *out)
{
	struct console *c = req->server->ctx;
	unsigned kept = 0;

	(void)out;
	if (req->badge != CONSOLE_BADGE_IRQ)
		return POSIX_STATUS(EPERM);
	if (in->n > CONSOLE_GONE_MAX)
		return POSIX_STATUS(EINVAL);
	for (unsigned i = 0; i < c->nreaders; i++) {
		struct console_reader r = c->readers[i];
		if (listed(in, r.pid))
			tern_server_answer(r.reply, TERN_SERVER_EINTERRUPTED, NULL, 0);
		else
			c->readers[kept++] = r;
	}
	c->nreaders = kept;
	kept = 0;
	for (unsigned i = 0; i < c->nwriters; i++) {
		if (listed(in, c->writers[i].pid)) {
			/* never written: Linux's killed writer wrote nothing */
			tern_server_answer(c->writers[i].reply, TERN_SERVER_EINTERRUPTED, NULL, 0);
			continue;
		}
		if (kept != i)
			c->writers[kept] = c->writers[i];
		kept++;
	}
	c->nwriters = kept;
	kept = 0;
	for (unsigned i = 0; i < c->npollers; i++) {
		struct console_poller p = c->pollers[i];
		if (listed(in, p.pid))
			tern_server_answer(p.reply, TERN_SERVER_EINTERRUPTED, NULL, 0);
		else
			c->pollers[kept++] = p;
	}
	c->npollers = kept;
	return TERN_SERVER_OK;
}

/* Calls wait here (a read of the loop's counts: a stale one costs a
 * watch round, and a deferral signals gone_ntfn anyway). */
static bool waiting(const struct console *c)
{
	return __atomic_load_n(&c->nreaders, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&c->nwriters, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&c->npollers, __ATOMIC_RELAXED);
}

void console_gone_wanted(struct console *c)
{
	if (c->gone_ntfn && c->nreaders + c->nwriters + c->npollers == 1)
		tern_signal(c->gone_ntfn); /* the first: the thread may be idle */
}

/* The thread watches only while calls wait: a death with nothing
 * waiting costs proc a ring entry and nothing more. Idle, it keeps its
 * `seq`, so a death between a deferral and the watch is still told. */
static void watch_main(void *arg)
{
	struct console *c = arg;
	uint64_t seq = 0, bits;

	for (;;) {
		if (!waiting(c))
			tern_wait(c->gone_ntfn, &bits);
		struct proc_gone_watch_req q = { .seq = seq };
		struct proc_gone_watch_resp r;
		int st = proc_gone_watch_call(c->proc_ep, &q, &r);
		if (st == -(int)TERN_EINTERRUPTED)
			continue;
		if (st)
			return; /* no proc (a native test), or one without the watch */
		seq = r.seq;
		if (!r.n && !r.flags)
			continue;
		struct console_gone_req g = { .n = r.n, .flags = r.flags };
		for (uint64_t i = 0; i < r.n && i < CONSOLE_GONE_MAX; i++)
			g.pids[i] = r.pids[i];
		struct console_gone_resp gr;
		tern_client_call(c->irq_ep, CONSOLE_GONE, &g, sizeof(g) / 8, &gr, sizeof(gr) / 8);
	}
}

int console_gone_start(struct console *c)
{
	struct tern_thread *t;
	struct tern_thread_args a = { .fn = watch_main, .arg = c, .priority = tern_own_priority() };
	tern_cptr_t ntfn;
	int err = tern_object_create(TERN_CAP_NOTIFICATION, 0, &ntfn);

	if (err)
		return err;
	c->gone_ntfn = ntfn;
	if ((err = tern_thread_create(&a, &t)))
		c->gone_ntfn = 0;
	return err;
}
