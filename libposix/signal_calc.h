/*
 * The rules of Linux's signals, pure (no IPC) so that the host tests run
 * exactly this code (unit.test_signal), after kernel/signal.c and
 * arch/x86/kernel/signal.c: the handler table and the process's shared
 * pending set (per process, struct posix_sigstate), each thread's mask,
 * pending set and alternate stack (struct posix_thread, state.h); which
 * actions may be set, what is never blocked, what a signal's generation
 * does (dropped when ignored and not blocked, else pending: Linux's
 * prepare_signal), which thread takes a process-directed signal
 * (complete_signal), the order signals are taken in and what their
 * default actions do (get_signal), what a delivery does to the mask
 * (signal_delivered, SA_RESETHAND), how an interrupted call's restart code
 * becomes -EINTR or a restart (arch_do_signal_or_restart, handle_signal),
 * and where the signal frame goes (get_sigframe).
 *
 * Real-time signals are not queued more than once: a second instance of
 * a pending one is merged (as the standard ones are).
 */
#ifndef LIBPOSIX_SIGNAL_CALC_H
#define LIBPOSIX_SIGNAL_CALC_H

#include <stdbool.h>
#include <stdint.h>

#include "posix/signal.h"
#include "state.h"

struct posix_sigstate {
	struct posix_sigaction action[POSIX_NSIG]; /* [sig - 1] */
	posix_sigset_t pending;			   /* process-directed (kill) */
	struct posix_thread *threads;		   /* the thread table (live ones count) */
	unsigned nthreads;
	unsigned curr_target; /* complete_signal's round robin */
	bool init;	      /* pid 1: SIGNAL_UNKILLABLE, see posix_sig_ignored */
};

/* Signals that can be neither caught, ignored nor blocked. */
#define POSIX_SIG_UNBLOCKABLE (POSIX_SIGBIT(POSIX_SIGKILL) | POSIX_SIGBIT(POSIX_SIGSTOP))
/* SYNCHRONOUS_MASK: taken first. */
#define POSIX_SIG_SYNCHRONOUS                                                                    \
	(POSIX_SIGBIT(POSIX_SIGSEGV) | POSIX_SIGBIT(POSIX_SIGBUS) | POSIX_SIGBIT(POSIX_SIGILL) | \
	 POSIX_SIGBIT(POSIX_SIGTRAP) | POSIX_SIGBIT(POSIX_SIGFPE) | POSIX_SIGBIT(POSIX_SIGSYS))

/* A fresh process's state (all SIG_DFL, nothing blocked or pending), or
 * the state after exec given what the old image passed on: its ignored
 * signals stay ignored, thread `t`'s mask and the pending set are kept. */
void posix_sig_init(struct posix_sigstate *s, struct posix_thread *threads, unsigned nthreads,
		    struct posix_thread *t, bool init, posix_sigset_t ignored,
		    posix_sigset_t blocked, posix_sigset_t pending);
/* The signals whose action is SIG_IGN (what exec keeps). */
posix_sigset_t posix_sig_ignored_set(const struct posix_sigstate *s);

/* rt_sigaction after the copies: 0 or -EINVAL; *old (if old) gets the
 * action before the change. An action that ignores discards the signal
 * from every pending set. */
long posix_sig_action(struct posix_sigstate *s, long sig, const struct posix_sigaction *act,
		      struct posix_sigaction *old);
/* rt_sigprocmask of thread t after the copies: 0 or -EINVAL. set NULL =
 * no change (how then unchecked, as Linux). */
long posix_sig_procmask(struct posix_thread *t, long how, const posix_sigset_t *set,
			posix_sigset_t *old);
/* rt_sigpending: (t's pending | the process's) & t's mask. */
posix_sigset_t posix_sig_pending(const struct posix_sigstate *s, const struct posix_thread *t);
/* on_sig_stack: sp on t's alternate stack (never with SS_AUTODISARM). */
bool posix_sig_on_altstack(const struct posix_thread *t, uint64_t sp);
/* sigaltstack after the copies, sp the caller's stack pointer: 0,
 * -EPERM (on the alternate stack), -EINVAL (flags), -ENOMEM (size). */
long posix_sig_altstack(struct posix_thread *t, const struct posix_stack *ss,
			struct posix_stack *old, uint64_t sp);
/* uc_stack of a signal frame: what t's alternate stack is (then
 * SS_AUTODISARM forgets it, as save_altstack does). */
struct posix_stack posix_sig_save_altstack(struct posix_thread *t);

/* Whether sig (1..64) would be discarded at generation for thread t: not
 * blocked and its action ignores it (SIG_IGN, or SIG_DFL with a default
 * of ignore), or the process is init and the action is SIG_DFL. */
bool posix_sig_ignored(const struct posix_sigstate *s, const struct posix_thread *t, int sig);
/* SIG_DFL of sig: terminates, stops, or (neither) is ignored. */
bool posix_sig_default_kills(int sig);
bool posix_sig_default_stops(int sig);

/* A signal generated for thread `target` (tkill, a fault) or, target
 * NULL, for the process (kill), as prepare_signal and send_signal: a stop
 * signal discards every pending SIGCONT and SIGCONT every pending stop;
 * then 0 (discarded: ignored), 1 (pending now), 2 (was pending already:
 * merged, the first instance's siginfo stays). `leader` is the thread
 * whose mask an ignored check of a process signal looks at (Linux's
 * group leader). */
int posix_sig_generate(struct posix_sigstate *s, struct posix_thread *target,
		       struct posix_thread *leader, int sig);
/* Who should take a pending sig now (complete_signal): for a thread
 * signal, target unless it blocks sig; for a process signal, cur if it is
 * live and does not block it, else the next live thread that does not
 * (round robin). NULL: nobody now (it waits in the pending set). */
struct posix_thread *posix_sig_wants(struct posix_sigstate *s, struct posix_thread *target,
				     struct posix_thread *cur, int sig);

/* What posix_sig_next found for thread t. */
enum posix_sig_act {
	POSIX_ACT_NONE = 0, /* nothing to do now */
	POSIX_ACT_HANDLER,  /* run action[sig - 1]'s handler */
	POSIX_ACT_KILL,	    /* SIG_DFL terminates: end the process with sig */
	POSIX_ACT_STOP,	    /* SIG_DFL stops: the process stops (PROC_STOP) */
};
/*
 * get_signal: take t's next pending, unblocked signal (its own set first,
 * then the process's; synchronous signals first, then the lowest number)
 * and resolve default actions: ignored ones are discarded, the first
 * with a handler, a default of terminate or a default of stop is taken
 * (*shared: from the process's set) and returned.
 */
enum posix_sig_act posix_sig_next(struct posix_sigstate *s, struct posix_thread *t, int *sig,
				  bool *shared);
/* Take one signal of `set` pending for t (its own first, then the
 * process's), for rt_sigtimedwait: the signal, or 0. */
int posix_sig_take(struct posix_sigstate *s, struct posix_thread *t, posix_sigset_t set,
		   bool *shared);
/* After a handler's frame was set up: t's mask gains sa_mask and sig
 * (unless SA_NODEFER); SA_RESETHAND resets the action to SIG_DFL. */
void posix_sig_delivered(struct posix_sigstate *s, struct posix_thread *t, int sig);
/* force_sig_info's rule for a synchronous signal t cannot escape: a
 * blocked or ignored sig is unblocked and its action reset to SIG_DFL;
 * with SIG_DFL even init is no longer spared (SIGNAL_UNKILLABLE). */
void posix_sig_force(struct posix_sigstate *s, struct posix_thread *t, int sig);

/* The way back's treatment of a call's result (arch_do_signal_or_restart,
 * handle_signal): ret as it is, -EINTR, the same call again (rip -= 2,
 * rax = its number) or restart_syscall. handler: a handler runs now
 * (flags its sa_flags), else no handler runs. */
enum posix_restart {
	POSIX_RESTART_NONE = 0,
	POSIX_RESTART_EINTR,
	POSIX_RESTART_AGAIN,
	POSIX_RESTART_BLOCK,
};
#define POSIX_ERESTARTSYS 512
#define POSIX_ERESTARTNOINTR 513
#define POSIX_ERESTARTNOHAND 514
#define POSIX_ERESTART_RESTARTBLOCK 516
enum posix_restart posix_sig_restart(long ret, bool handler, uint64_t flags);

/* get_sigframe: where the rt_sigframe goes for an action with sa_flags
 * `flags` interrupting rsp `sp`, with an XSAVE area of math_size bytes
 * (the area's size plus FP_XSTATE_MAGIC2's 4) above it, 64-aligned
 * (*fpstate). Below the red zone or at the top of the alternate stack
 * (SA_ONSTACK, not on it yet); ~0 when a frame started on the alternate
 * stack would leave it (SIGSEGV then, as Linux). */
uint64_t posix_sig_frame_addr(const struct posix_thread *t, uint64_t flags, uint64_t sp,
			      uint64_t math_size, uint64_t *fpstate);

#endif
