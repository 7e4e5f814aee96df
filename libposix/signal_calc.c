/*
 * Pure signal rules (signal_calc.h), after Linux's kernel/signal.c
 * (do_sigaction, sigprocmask, do_sigpending, do_sigaltstack,
 * sig_ignored/prepare_signal, complete_signal, dequeue_signal,
 * get_signal, signal_delivered, force_sig_info) and arch/x86/kernel/
 * signal.c (get_sigframe, arch_do_signal_or_restart, handle_signal).
 */
#include "signal_calc.h"

#include "posix/errno.h"

#define BIT(sig) POSIX_SIGBIT(sig)

/* SIG_KERNEL_IGNORE_MASK and SIG_KERNEL_STOP_MASK. */
#define DEFAULT_IGNORE \
	(BIT(POSIX_SIGCONT) | BIT(POSIX_SIGCHLD) | BIT(POSIX_SIGWINCH) | BIT(POSIX_SIGURG))
#define DEFAULT_STOP \
	(BIT(POSIX_SIGSTOP) | BIT(POSIX_SIGTSTP) | BIT(POSIX_SIGTTIN) | BIT(POSIX_SIGTTOU))

static bool valid(long sig)
{
	return sig >= 1 && sig <= POSIX_NSIG;
}

void posix_sig_init(struct posix_sigstate *s, struct posix_thread *threads, unsigned nthreads,
		    struct posix_thread *t, bool init, posix_sigset_t ignored,
		    posix_sigset_t blocked, posix_sigset_t pending)
{
	/* flush_signal_handlers(t, 0): handlers reset, SIG_IGN kept, flags,
	 * restorer and masks cleared. The alternate stack goes with the
	 * old image (begin_new_exec). */
	*s = (struct posix_sigstate){ .threads = threads, .nthreads = nthreads, .init = init };
	ignored &= ~POSIX_SIG_UNBLOCKABLE;
	for (int sig = 1; sig <= POSIX_NSIG; sig++)
		if (ignored & BIT(sig))
			s->action[sig - 1].handler = POSIX_SIG_IGN;
	t->blocked = blocked & ~POSIX_SIG_UNBLOCKABLE;
	t->pending = 0;
	t->altstack = (struct posix_stack){ 0 };
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

/* Drop `set` from every pending set (flush_sigqueue_mask on the shared
 * queue and each thread's). */
static void discard(struct posix_sigstate *s, posix_sigset_t set)
{
	s->pending &= ~set;
	for (unsigned i = 0; i < s->nthreads; i++)
		s->threads[i].pending &= ~set;
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
		 * discards it, blocked or not, in every thread. */
		if (handler_ignores(k->handler, (int)sig))
			discard(s, BIT(sig));
	}
	return 0;
}

long posix_sig_procmask(struct posix_thread *t, long how, const posix_sigset_t *set,
			posix_sigset_t *old)
{
	posix_sigset_t m;

	if (old)
		*old = t->blocked;
	if (!set)
		return 0;
	m = *set & ~POSIX_SIG_UNBLOCKABLE;
	switch (how) {
	case POSIX_SIG_BLOCK:
		t->blocked |= m;
		break;
	case POSIX_SIG_UNBLOCK:
		t->blocked &= ~m;
		break;
	case POSIX_SIG_SETMASK:
		t->blocked = m;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

posix_sigset_t posix_sig_pending(const struct posix_sigstate *s, const struct posix_thread *t)
{
	return (t->pending | s->pending) & t->blocked;
}

bool posix_sig_on_altstack(const struct posix_thread *t, uint64_t sp)
{
	/* on_sig_stack: sp in (sp, sp + size], the stack growing down; with
	 * SS_AUTODISARM never (the stack is forgotten while in use). */
	if ((uint32_t)t->altstack.flags & POSIX_SS_AUTODISARM)
		return false;
	return t->altstack.size && sp > t->altstack.sp && sp - t->altstack.sp <= t->altstack.size;
}

/* sas_ss_flags. */
static uint32_t altstack_flags(const struct posix_thread *t, uint64_t sp)
{
	if (!t->altstack.size)
		return POSIX_SS_DISABLE;
	return posix_sig_on_altstack(t, sp) ? POSIX_SS_ONSTACK : 0;
}

long posix_sig_altstack(struct posix_thread *t, const struct posix_stack *ss,
			struct posix_stack *old, uint64_t sp)
{
	if (old) {
		*old = (struct posix_stack){ .sp = t->altstack.sp, .size = t->altstack.size };
		old->flags = (int32_t)(altstack_flags(t, sp) |
				       ((uint32_t)t->altstack.flags & POSIX_SS_AUTODISARM));
	}
	if (!ss)
		return 0;
	if (posix_sig_on_altstack(t, sp))
		return -EPERM;
	uint32_t mode = (uint32_t)ss->flags & ~POSIX_SS_AUTODISARM;
	if (mode != POSIX_SS_DISABLE && mode != POSIX_SS_ONSTACK && mode != 0)
		return -EINVAL;
	/* Nothing to change: success before the size is looked at. */
	if (t->altstack.sp == ss->sp && t->altstack.size == ss->size &&
	    t->altstack.flags == ss->flags)
		return 0;
	if (mode == POSIX_SS_DISABLE) {
		t->altstack = (struct posix_stack){ .flags = ss->flags };
		return 0;
	}
	if (ss->size < POSIX_MINSIGSTKSZ)
		return -ENOMEM;
	t->altstack = (struct posix_stack){ .sp = ss->sp, .flags = ss->flags, .size = ss->size };
	return 0;
}

struct posix_stack posix_sig_save_altstack(struct posix_thread *t)
{
	/* sas_ss_flags as stored: SS_DISABLE for a thread that never set
	 * one (Linux's initial value), the flags as set otherwise. */
	struct posix_stack st = { .sp = t->altstack.sp,
				  .flags = t->altstack.flags,
				  .size = t->altstack.size };
	if (!t->altstack.size && !((uint32_t)st.flags & POSIX_SS_DISABLE))
		st.flags = (int32_t)((uint32_t)st.flags | POSIX_SS_DISABLE);
	if ((uint32_t)t->altstack.flags & POSIX_SS_AUTODISARM)
		t->altstack = (struct posix_stack){ 0 }; /* sas_ss_reset */
	return st;
}

bool posix_sig_default_kills(int sig)
{
	return !((DEFAULT_IGNORE | DEFAULT_STOP) & BIT(sig));
}

bool posix_sig_default_stops(int sig)
{
	return (DEFAULT_STOP & BIT(sig)) != 0;
}

bool posix_sig_ignored(const struct posix_sigstate *s, const struct posix_thread *t, int sig)
{
	uint64_t handler = s->action[sig - 1].handler;

	if (t && (t->blocked & BIT(sig)))
		return false; /* the action may change before it is unblocked */
	if (s->init && handler == POSIX_SIG_DFL)
		return true;
	return handler_ignores(handler, sig);
}

int posix_sig_generate(struct posix_sigstate *s, struct posix_thread *target,
		       struct posix_thread *leader, int sig)
{
	if (DEFAULT_STOP & BIT(sig))
		discard(s, BIT(POSIX_SIGCONT));
	else if (sig == POSIX_SIGCONT)
		discard(s, DEFAULT_STOP);
	if (posix_sig_ignored(s, target ? target : leader, sig))
		return 0;
	posix_sigset_t *set = target ? &target->pending : &s->pending;
	if (*set & BIT(sig))
		return 2; /* legacy_queue, and rt signals merged too */
	*set |= BIT(sig);
	return 1;
}

/* live 1 is POSIX_THREAD_RUNNING (thread.h): not one being made or on
 * its way out. */
#define RUNNING 1u

static bool wants(const struct posix_thread *t, int sig)
{
	return t->live == RUNNING && !(t->blocked & BIT(sig));
}

struct posix_thread *posix_sig_wants(struct posix_sigstate *s, struct posix_thread *target,
				     struct posix_thread *cur, int sig)
{
	if (target)
		return wants(target, sig) ? target : NULL;
	if (cur && wants(cur, sig))
		return cur;
	for (unsigned n = 0; n < s->nthreads; n++) {
		unsigned i = (s->curr_target + n) % s->nthreads;
		if (wants(&s->threads[i], sig)) {
			s->curr_target = i;
			return &s->threads[i];
		}
	}
	return NULL;
}

/* next_signal: synchronous signals first, then the lowest number. */
static int next_of(posix_sigset_t set)
{
	posix_sigset_t sync = set & POSIX_SIG_SYNCHRONOUS;

	if (sync)
		set = sync;
	return set ? __builtin_ctzll(set) + 1 : 0;
}

int posix_sig_take(struct posix_sigstate *s, struct posix_thread *t, posix_sigset_t set,
		   bool *shared)
{
	int sig = next_of(t->pending & set);

	*shared = false;
	if (sig) {
		t->pending &= ~BIT(sig);
		return sig;
	}
	sig = next_of(s->pending & set);
	if (sig) {
		s->pending &= ~BIT(sig);
		*shared = true;
	}
	return sig;
}

enum posix_sig_act posix_sig_next(struct posix_sigstate *s, struct posix_thread *t, int *sig,
				  bool *shared)
{
	for (;;) {
		int n = posix_sig_take(s, t, ~t->blocked, shared);
		if (!n)
			return POSIX_ACT_NONE;
		uint64_t handler = s->action[n - 1].handler;
		if (handler_ignores(handler, n) || (handler == POSIX_SIG_DFL && s->init))
			continue;
		*sig = n;
		if (handler != POSIX_SIG_DFL)
			return POSIX_ACT_HANDLER;
		return posix_sig_default_stops(n) ? POSIX_ACT_STOP : POSIX_ACT_KILL;
	}
}

void posix_sig_delivered(struct posix_sigstate *s, struct posix_thread *t, int sig)
{
	struct posix_sigaction *k = &s->action[sig - 1];

	t->blocked |= k->mask;
	if (!(k->flags & POSIX_SA_NODEFER))
		t->blocked |= BIT(sig);
	t->blocked &= ~POSIX_SIG_UNBLOCKABLE;
	if (k->flags & POSIX_SA_RESETHAND)
		k->handler = POSIX_SIG_DFL;
}

void posix_sig_force(struct posix_sigstate *s, struct posix_thread *t, int sig)
{
	struct posix_sigaction *k = &s->action[sig - 1];
	bool blocked = (t->blocked & BIT(sig)) != 0;

	if (k->handler == POSIX_SIG_IGN || blocked) {
		k->handler = POSIX_SIG_DFL;
		if (blocked)
			t->blocked &= ~BIT(sig);
	}
	/* "Don't let a synchronous signal be ignored for init": its default
	 * action ends even init (SIGNAL_UNKILLABLE cleared). */
	if (k->handler == POSIX_SIG_DFL)
		s->init = false;
}

enum posix_restart posix_sig_restart(long ret, bool handler, uint64_t flags)
{
	switch (ret) {
	case -POSIX_ERESTARTNOHAND:
		return handler ? POSIX_RESTART_EINTR : POSIX_RESTART_AGAIN;
	case -POSIX_ERESTARTSYS:
		return handler && !(flags & POSIX_SA_RESTART) ? POSIX_RESTART_EINTR
							      : POSIX_RESTART_AGAIN;
	case -POSIX_ERESTARTNOINTR:
		return POSIX_RESTART_AGAIN;
	case -POSIX_ERESTART_RESTARTBLOCK:
		return handler ? POSIX_RESTART_EINTR : POSIX_RESTART_BLOCK;
	default:
		return POSIX_RESTART_NONE;
	}
}

uint64_t posix_sig_frame_addr(const struct posix_thread *t, uint64_t flags, uint64_t sp,
			      uint64_t math_size, uint64_t *fpstate)
{
	bool onstack = posix_sig_on_altstack(t, sp);

	sp -= 128; /* the red zone */
	if ((flags & POSIX_SA_ONSTACK) && altstack_flags(t, sp) == 0)
		sp = t->altstack.sp + t->altstack.size;
	sp = (sp - math_size) & ~63ull; /* fpu__alloc_mathframe */
	*fpstate = sp;
	sp = ((sp - sizeof(struct posix_rt_sigframe)) & ~15ull) - 8; /* align_sigframe */
	if (onstack && !posix_sig_on_altstack(t, sp))
		return ~0ull;
	return sp;
}
