/*
 * Pure signal bookkeeping (signal_calc.h), after Linux's kernel/signal.c:
 * do_sigaction, sigprocmask, do_sigpending, do_sigaltstack,
 * sig_ignored/prepare_signal and get_signal's default actions.
 */
#include "signal_calc.h"

#include "posix/errno.h"

#define BIT(sig) POSIX_SIGBIT(sig)

/* SIG_KERNEL_IGNORE_MASK and SIG_KERNEL_STOP_MASK. */
#define DEFAULT_IGNORE \
	(BIT(POSIX_SIGCONT) | BIT(POSIX_SIGCHLD) | BIT(POSIX_SIGWINCH) | BIT(POSIX_SIGURG))
#define DEFAULT_STOP \
	(BIT(POSIX_SIGSTOP) | BIT(POSIX_SIGTSTP) | BIT(POSIX_SIGTTIN) | BIT(POSIX_SIGTTOU))
/* SYNCHRONOUS_MASK: dequeued first. */
#define SYNCHRONOUS                                                                        \
	(BIT(POSIX_SIGSEGV) | BIT(POSIX_SIGBUS) | BIT(POSIX_SIGILL) | BIT(POSIX_SIGTRAP) | \
	 BIT(POSIX_SIGFPE) | BIT(POSIX_SIGSYS))

static bool valid(long sig)
{
	return sig >= 1 && sig <= POSIX_NSIG;
}

void posix_sig_init(struct posix_sigstate *s, bool init, posix_sigset_t ignored,
		    posix_sigset_t blocked, posix_sigset_t pending)
{
	/* flush_signal_handlers(t, 0): handlers reset, SIG_IGN kept, flags,
	 * restorer and masks cleared. The alternate stack goes with the
	 * old image (begin_new_exec). */
	*s = (struct posix_sigstate){ .init = init };
	ignored &= ~POSIX_SIG_UNBLOCKABLE;
	for (int sig = 1; sig <= POSIX_NSIG; sig++)
		if (ignored & BIT(sig))
			s->action[sig - 1].handler = POSIX_SIG_IGN;
	s->blocked = blocked & ~POSIX_SIG_UNBLOCKABLE;
	s->pending = pending;
}

posix_sigset_t posix_sig_ignored_set(const struct posix_sigstate *s)
{
	posix_sigset_t set = 0;

	for (int sig = 1; sig <= POSIX_NSIG; sig++)
		if (s->action[sig - 1].handler == POSIX_SIG_IGN)
			set |= BIT(sig);
	return set;
}

/* sig_handler_ignored: the action discards the signal. */
static bool handler_ignores(uint64_t handler, int sig)
{
	return handler == POSIX_SIG_IGN ||
	       (handler == POSIX_SIG_DFL && (DEFAULT_IGNORE & BIT(sig)));
}

long posix_sig_action(struct posix_sigstate *s, long sig, const struct posix_sigaction *act,
		      struct posix_sigaction *old)
{
	if (!valid(sig) || (act && (POSIX_SIG_UNBLOCKABLE & BIT(sig))))
		return -EINVAL;
	struct posix_sigaction *k = &s->action[sig - 1];
	if (old) {
		*old = *k;
		old->flags &= POSIX_SA_KNOWN;
	}
	if (act) {
		*k = *act;
		k->flags &= POSIX_SA_KNOWN;
		k->mask &= ~POSIX_SIG_UNBLOCKABLE;
		/* POSIX: setting an action that ignores a pending signal
		 * discards it, blocked or not. */
		if (handler_ignores(k->handler, (int)sig))
			s->pending &= ~BIT(sig);
	}
	return 0;
}

long posix_sig_procmask(struct posix_sigstate *s, long how, const posix_sigset_t *set,
			posix_sigset_t *old)
{
	posix_sigset_t m;

	if (old)
		*old = s->blocked;
	if (!set)
		return 0;
	m = *set & ~POSIX_SIG_UNBLOCKABLE;
	switch (how) {
	case POSIX_SIG_BLOCK:
		s->blocked |= m;
		break;
	case POSIX_SIG_UNBLOCK:
		s->blocked &= ~m;
		break;
	case POSIX_SIG_SETMASK:
		s->blocked = m;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

posix_sigset_t posix_sig_pending(const struct posix_sigstate *s)
{
	return s->pending & s->blocked;
}

static bool on_altstack(const struct posix_sigstate *s, uint64_t sp)
{
	/* on_sig_stack: sp in (sp, sp + size], the stack growing down. */
	return s->altstack.size && sp > s->altstack.sp && sp - s->altstack.sp <= s->altstack.size;
}

long posix_sig_altstack(struct posix_sigstate *s, const struct posix_stack *ss,
			struct posix_stack *old, uint64_t sp)
{
	if (old) {
		*old = (struct posix_stack){ .sp = s->altstack.sp, .size = s->altstack.size };
		old->flags = (int32_t)((s->altstack.size == 0 ? POSIX_SS_DISABLE
					: on_altstack(s, sp)  ? POSIX_SS_ONSTACK
							      : 0) |
				       ((uint32_t)s->altstack.flags & POSIX_SS_AUTODISARM));
	}
	if (!ss)
		return 0;
	if (on_altstack(s, sp))
		return -EPERM;
	uint32_t mode = (uint32_t)ss->flags & ~POSIX_SS_AUTODISARM;
	if (mode != POSIX_SS_DISABLE && mode != POSIX_SS_ONSTACK && mode != 0)
		return -EINVAL;
	/* Nothing to change: success before the size is looked at. */
	if (s->altstack.sp == ss->sp && s->altstack.size == ss->size &&
	    s->altstack.flags == ss->flags)
		return 0;
	if (mode == POSIX_SS_DISABLE) {
		s->altstack = (struct posix_stack){ .flags = ss->flags };
		return 0;
	}
	if (ss->size < POSIX_MINSIGSTKSZ)
		return -ENOMEM;
	s->altstack = (struct posix_stack){ .sp = ss->sp, .flags = ss->flags, .size = ss->size };
	return 0;
}

bool posix_sig_default_kills(int sig)
{
	return !((DEFAULT_IGNORE | DEFAULT_STOP) & BIT(sig));
}

bool posix_sig_ignored(const struct posix_sigstate *s, int sig)
{
	uint64_t handler = s->action[sig - 1].handler;

	if (s->blocked & BIT(sig))
		return false; /* the action may change before it is unblocked */
	if (s->init && handler == POSIX_SIG_DFL)
		return true;
	return handler_ignores(handler, sig);
}

void posix_sig_generate(struct posix_sigstate *s, int sig)
{
	if (DEFAULT_STOP & BIT(sig))
		s->pending &= ~BIT(POSIX_SIGCONT);
	else if (sig == POSIX_SIGCONT)
		s->pending &= ~DEFAULT_STOP;
	if (posix_sig_ignored(s, sig))
		return;
	s->pending |= BIT(sig);
}

int posix_sig_fatal_pending(struct posix_sigstate *s)
{
	posix_sigset_t ready = s->pending & ~s->blocked;
	posix_sigset_t order[2] = { ready & SYNCHRONOUS, ready & ~SYNCHRONOUS };

	for (int pass = 0; pass < 2; pass++)
		for (posix_sigset_t left = order[pass]; left; left &= left - 1) {
			int sig = __builtin_ctzll(left) + 1;
			uint64_t handler = s->action[sig - 1].handler;
			if (handler_ignores(handler, sig) ||
			    (handler == POSIX_SIG_DFL && s->init)) {
				s->pending &= ~BIT(sig);
				continue;
			}
			if (handler == POSIX_SIG_DFL && posix_sig_default_kills(sig))
				return sig;
		}
	return 0;
}
