/*
 * The client side of proc's signal queues (procsig.h): PROC_SIGFETCH and
 * PROC_STOP (posix/proto_proc.h, servers/proc/signal.c). The continue
 * count of each thread's last fetch goes with its PROC_STOP, so that a
 * SIGCONT between the two cancels the stop.
 */
#include "procsig.h"

#include "call.h"
#include "signals.h"
#include "state.h"

#include "posix/cspace.h"
#include "posix/proto_proc.h"

/* The delivery part's (signals.h): a signal for the process (NULL) or a
 * thread, with its siginfo. */
struct posix_siginfo;
void posix_signal_generate(int sig, const struct posix_siginfo *info,
			   struct posix_thread *target_or_null) __attribute__((weak));

static uint64_t fetch_seq[POSIX_THREADS_MAX];

int posix_proc_stop(struct posix_thread *t, int sig)
{
	struct proc_stop_req q = { .thread = t->index,
				   .sig = (uint64_t)sig,
				   .seq = fetch_seq[t->index] };
	struct proc_stop_resp r;

	if (proc_stop_call(POSIX_SLOT_PROC_EP, &q, &r))
		return 0;
	return r.stopped != 0;
}

void posix_proc_sigfetch(struct posix_thread *t)
{
	/* Bounded: a flood of real-time signals is taken on the next way back. */
	for (unsigned n = 0; n < 2 * POSIX_NSIG; n++) {
		struct proc_sigfetch_req q = { .thread = t->index, .mask = 0 };
		struct proc_sigfetch_resp r;
		if (proc_sigfetch_call(POSIX_SLOT_PROC_EP, &q, &r))
			return;
		fetch_seq[t->index] = r.seq;
		int sig = r.info.si_signo;
		if (sig >= 1 && sig <= POSIX_NSIG && posix_signal_generate)
			posix_signal_generate(sig, &r.info,
					      (r.flags & PROC_SIGFETCH_THREAD) ? t : 0);
		if (r.flags & PROC_SIGFETCH_STOP)
			posix_proc_stop(t, 0);
		if (!(r.flags & PROC_SIGFETCH_MORE))
			return;
	}
}
