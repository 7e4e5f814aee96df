/*
 * The bookkeeping of Linux's signals, pure (no IPC) so that the host
 * tests run exactly this code: the handler table (per process), the
 * blocked mask and the pending set (per thread; one thread today, so the
 * process's shared pending set is the same word), the alternate stack,
 * with Linux's rules (kernel/signal.c): which actions may be set, what
 * is never blocked, what a signal's generation does (dropped when
 * ignored and not blocked, kept pending otherwise), what survives exec.
 *
 * Delivery is not here yet: a pending signal that is not blocked is
 * either a default action this code resolves (ignore: discarded;
 * terminate: the caller ends the process) or, with a handler installed
 * or a stop signal, stays pending for the delivery that a later issue
 * adds.
 */
#ifndef LIBPOSIX_SIGNAL_CALC_H
#define LIBPOSIX_SIGNAL_CALC_H

#include <stdbool.h>
#include <stdint.h>

#include "posix/signal.h"

struct posix_sigstate {
	struct posix_sigaction action[POSIX_NSIG]; /* [sig - 1] */
	posix_sigset_t blocked;
	posix_sigset_t pending;
	struct posix_stack altstack; /* sp, the flags as set, size; size 0 = none */
	bool init;		     /* pid 1: SIGNAL_UNKILLABLE, see posix_sig_ignored */
};

/* Signals that can be neither caught, ignored nor blocked. */
#define POSIX_SIG_UNBLOCKABLE (POSIX_SIGBIT(POSIX_SIGKILL) | POSIX_SIGBIT(POSIX_SIGSTOP))

/* A fresh process's state (all SIG_DFL, nothing blocked or pending), or
 * the state after exec given what the old image passed on: its ignored
 * signals stay ignored, its mask and pending set are kept. */
void posix_sig_init(struct posix_sigstate *s, bool init, posix_sigset_t ignored,
		    posix_sigset_t blocked, posix_sigset_t pending);
/* The signals whose action is SIG_IGN (what exec keeps). */
posix_sigset_t posix_sig_ignored_set(const struct posix_sigstate *s);

/* rt_sigaction after the copies: 0 or -EINVAL; *old (if old) gets the
 * action before the change. */
long posix_sig_action(struct posix_sigstate *s, long sig, const struct posix_sigaction *act,
		      struct posix_sigaction *old);
/* rt_sigprocmask after the copies: 0 or -EINVAL. set NULL = no change
 * (how then unchecked, as Linux). */
long posix_sig_procmask(struct posix_sigstate *s, long how, const posix_sigset_t *set,
			posix_sigset_t *old);
/* rt_sigpending: pending & blocked (an unblocked pending signal is
 * being delivered, never reported). */
posix_sigset_t posix_sig_pending(const struct posix_sigstate *s);
/* sigaltstack after the copies, sp the caller's stack pointer: 0,
 * -EPERM (on the alternate stack), -EINVAL (flags), -ENOMEM (size). */
long posix_sig_altstack(struct posix_sigstate *s, const struct posix_stack *ss,
			struct posix_stack *old, uint64_t sp);

/* Whether sig (1..64) would be discarded at generation: not blocked and
 * its action ignores it (SIG_IGN, or SIG_DFL with a default of ignore),
 * or the process is init and the action is SIG_DFL (Linux's init never
 * gets a signal it has no handler for, SIGKILL and SIGSTOP included). */
bool posix_sig_ignored(const struct posix_sigstate *s, int sig);
/* Whether SIG_DFL of sig terminates the process (not ignore, not stop). */
bool posix_sig_default_kills(int sig);

/* A signal generated for the (single-threaded) process: discarded when
 * ignored, else pending (a stop signal discards a pending SIGCONT and
 * SIGCONT the pending stop signals, as prepare_signal does). */
void posix_sig_generate(struct posix_sigstate *s, int sig);
/*
 * What the pending, unblocked signals do now, as Linux's get_signal on
 * the way back to user mode (synchronous ones first, then the lowest
 * number): ignored ones are discarded; the first with a default action
 * of terminate is returned (the caller ends the process with that
 * signal's wait status; it stays pending). 0 when none: what is left
 * pending has a handler or is a stop signal (the delivery issue).
 */
int posix_sig_fatal_pending(struct posix_sigstate *s);

#endif
