/*
 * libposix's signal rules (signal_calc.c), the code libposix runs: what
 * a process that is not init does with its default actions, the rules
 * the contract tests check on Linux, and delivery's: which thread takes
 * a signal, the order, the mask a handler runs with, SA_RESETHAND,
 * restart codes, where the frame goes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "posix/errno.h"
#include "signal_calc.h"

#define BIT(s) POSIX_SIGBIT(s)

/* Four thread slots; th[0] the caller, live. */
static struct posix_thread th[4];
#define T0 (&th[0])

static void fresh(struct posix_sigstate *s, bool init)
{
	memset(th, 0, sizeof(th));
	for (unsigned i = 0; i < 4; i++)
		th[i].index = i;
	th[0].live = 1;
	posix_sig_init(s, th, 4, T0, init, 0, 0, 0);
}

/* A process-directed signal, as kill. */
static int gen(struct posix_sigstate *s, int sig)
{
	return posix_sig_generate(s, NULL, T0, sig);
}

/* What get_signal does for th[0] now: the signal whose default action
 * kills (taken), 0 for none, -sig for a handler (taken). */
static int next(struct posix_sigstate *s)
{
	int sig = 0;
	bool shared;
	enum posix_sig_act a = posix_sig_next(s, T0, &sig, &shared);
	return a == POSIX_ACT_KILL ? sig : a == POSIX_ACT_HANDLER ? -sig : 0;
}

static void set_handler(struct posix_sigstate *s, int sig, uint64_t h)
{
	struct posix_sigaction a = { .handler = h };
	assert_int_equal(posix_sig_action(s, sig, &a, NULL), 0);
}

/* Not init: a default-terminate signal, unblocked, is fatal. */
static void default_terminate(void **state)
{
	(void)state;
	struct posix_sigstate s;
	const int kills[] = { POSIX_SIGHUP,
			      POSIX_SIGINT,
			      POSIX_SIGPIPE,
			      POSIX_SIGTERM,
			      POSIX_SIGKILL,
			      POSIX_SIGSEGV,
			      POSIX_SIGUSR1,
			      POSIX_SIGALRM,
			      32,
			      64 };
	for (size_t i = 0; i < sizeof(kills) / sizeof(kills[0]); i++) {
		fresh(&s, false);
		gen(&s, kills[i]);
		assert_int_equal(next(&s), kills[i]);
	}
	/* Default ignore: discarded at generation. */
	const int ign[] = { POSIX_SIGCHLD, POSIX_SIGURG, POSIX_SIGWINCH, POSIX_SIGCONT };
	for (size_t i = 0; i < 4; i++) {
		fresh(&s, false);
		gen(&s, ign[i]);
		assert_int_equal(s.pending, 0);
		assert_int_equal(next(&s), 0);
	}
	/* Stop signals: pending, then taken as a stop. */
	fresh(&s, false);
	gen(&s, POSIX_SIGTSTP);
	assert_int_equal(s.pending, BIT(POSIX_SIGTSTP));
	int sig;
	bool shared;
	assert_int_equal(posix_sig_next(&s, T0, &sig, &shared), POSIX_ACT_STOP);
	assert_int_equal(sig, POSIX_SIGTSTP);
	assert_int_equal(s.pending, 0);
	/* SIGCONT discards pending stops, a stop a pending SIGCONT. */
	th[0].blocked = BIT(POSIX_SIGCONT);
	gen(&s, POSIX_SIGCONT);
	assert_int_equal(s.pending, BIT(POSIX_SIGCONT));
	gen(&s, POSIX_SIGSTOP);
	assert_int_equal(s.pending, BIT(POSIX_SIGSTOP));
	gen(&s, POSIX_SIGCONT);
	assert_int_equal(s.pending, BIT(POSIX_SIGCONT));
}

/* Blocked: pending, fatal once unblocked; a handler keeps it pending. */
static void blocked_then_unblocked(void **state)
{
	(void)state;
	struct posix_sigstate s;
	posix_sigset_t set = BIT(POSIX_SIGPIPE) | BIT(POSIX_SIGTERM);

	fresh(&s, false);
	assert_int_equal(posix_sig_procmask(T0, POSIX_SIG_BLOCK, &set, NULL), 0);
	gen(&s, POSIX_SIGPIPE);
	gen(&s, POSIX_SIGTERM);
	assert_int_equal(next(&s), 0);
	assert_int_equal(posix_sig_pending(&s, T0), set);
	set = BIT(POSIX_SIGTERM);
	assert_int_equal(posix_sig_procmask(T0, POSIX_SIG_UNBLOCK, &set, NULL), 0);
	assert_int_equal(next(&s), POSIX_SIGTERM);

	/* A handler: taken for delivery (and no longer pending). */
	fresh(&s, false);
	set_handler(&s, POSIX_SIGPIPE, 0x401000);
	gen(&s, POSIX_SIGPIPE);
	assert_int_equal(s.pending, BIT(POSIX_SIGPIPE));
	assert_int_equal(posix_sig_pending(&s, T0), 0); /* not blocked: not reported */
	assert_int_equal(next(&s), -POSIX_SIGPIPE);
	assert_int_equal(s.pending, 0);
	/* Back to the default before it was taken: fatal. */
	gen(&s, POSIX_SIGPIPE);
	set_handler(&s, POSIX_SIGPIPE, POSIX_SIG_DFL);
	assert_int_equal(next(&s), POSIX_SIGPIPE);
	/* SIG_IGN discards it. */
	set_handler(&s, POSIX_SIGPIPE, 0x401000);
	gen(&s, POSIX_SIGPIPE);
	set_handler(&s, POSIX_SIGPIPE, POSIX_SIG_IGN);
	assert_int_equal(s.pending, 0);
	assert_int_equal(next(&s), 0);
}

/* Synchronous signals first, then the lowest number. */
static void order(void **state)
{
	(void)state;
	struct posix_sigstate s;
	posix_sigset_t all = ~0ull;

	fresh(&s, false);
	posix_sig_procmask(T0, POSIX_SIG_SETMASK, &all, NULL);
	gen(&s, POSIX_SIGHUP);
	gen(&s, POSIX_SIGSEGV);
	gen(&s, POSIX_SIGCHLD); /* ignored by default: discarded */
	posix_sig_procmask(T0, POSIX_SIG_SETMASK, &(posix_sigset_t){ 0 }, NULL);
	assert_int_equal(next(&s), POSIX_SIGSEGV);
	s.pending &= ~BIT(POSIX_SIGSEGV);
	assert_int_equal(next(&s), POSIX_SIGHUP);
	s.pending &= ~BIT(POSIX_SIGHUP);
	assert_int_equal(next(&s), 0);
	assert_int_equal(s.pending, 0); /* SIGCHLD discarded on the way */
}

/* init: SIG_DFL signals never reach it, SIGKILL and SIGSTOP included. */
static void init_unkillable(void **state)
{
	(void)state;
	struct posix_sigstate s;
	posix_sigset_t set = BIT(POSIX_SIGTERM);

	fresh(&s, true);
	for (int sig = 1; sig <= 64; sig++) {
		gen(&s, sig);
		assert_int_equal(next(&s), 0);
	}
	assert_int_equal(s.pending, 0);
	posix_sig_procmask(T0, POSIX_SIG_BLOCK, &set, NULL);
	gen(&s, POSIX_SIGTERM);
	assert_int_equal(posix_sig_pending(&s, T0), set);
	posix_sig_procmask(T0, POSIX_SIG_UNBLOCK, &set, NULL);
	assert_int_equal(next(&s), 0);
	assert_int_equal(s.pending, 0);
	/* A handler makes it pending for delivery, even for init. */
	set_handler(&s, POSIX_SIGTERM, 0x401000);
	gen(&s, POSIX_SIGTERM);
	assert_int_equal(s.pending, set);
}

static void actions(void **state)
{
	(void)state;
	struct posix_sigstate s;
	struct posix_sigaction a = { 0x401000, POSIX_SA_RESTART | 0x200 | POSIX_SA_UNSUPPORTED,
				     0x402000, ~0ull },
			       o;

	fresh(&s, false);
	assert_int_equal(posix_sig_action(&s, 0, NULL, &o), -EINVAL);
	assert_int_equal(posix_sig_action(&s, 65, NULL, &o), -EINVAL);
	assert_int_equal(posix_sig_action(&s, -1, NULL, &o), -EINVAL);
	assert_int_equal(posix_sig_action(&s, POSIX_SIGKILL, &a, NULL), -EINVAL);
	assert_int_equal(posix_sig_action(&s, POSIX_SIGSTOP, &a, NULL), -EINVAL);
	assert_int_equal(posix_sig_action(&s, POSIX_SIGKILL, NULL, &o), 0);
	assert_int_equal(posix_sig_action(&s, 64, &a, NULL), 0);
	assert_int_equal(posix_sig_action(&s, 64, NULL, &o), 0);
	assert_int_equal(o.handler, 0x401000);
	assert_int_equal(o.flags, POSIX_SA_RESTART);
	assert_int_equal(o.restorer, 0x402000);
	assert_int_equal(o.mask, ~POSIX_SIG_UNBLOCKABLE);
}

static void masks(void **state)
{
	(void)state;
	struct posix_sigstate s;
	posix_sigset_t set = ~0ull, old;

	fresh(&s, false);
	assert_int_equal(posix_sig_procmask(T0, 3, &set, NULL), -EINVAL);
	assert_int_equal(posix_sig_procmask(T0, 3, NULL, &old), 0);
	assert_int_equal(posix_sig_procmask(T0, POSIX_SIG_BLOCK, &set, &old), 0);
	assert_int_equal(old, 0);
	assert_int_equal(th[0].blocked, ~POSIX_SIG_UNBLOCKABLE);
	/* SIGKILL is fatal even with everything "blocked". */
	gen(&s, POSIX_SIGKILL);
	assert_int_equal(next(&s), POSIX_SIGKILL);
}

static void altstack(void **state)
{
	(void)state;
	struct posix_sigstate s;
	struct posix_stack ss = { .sp = 0x10000, .size = 0x2000 }, o;

	fresh(&s, false);
	assert_int_equal(posix_sig_altstack(T0, NULL, &o, 0x7ff0), 0);
	assert_int_equal(o.flags, POSIX_SS_DISABLE);
	ss.size = 2047;
	assert_int_equal(posix_sig_altstack(T0, &ss, NULL, 0x7ff0), -ENOMEM);
	ss.size = 0x2000;
	ss.flags = 3;
	assert_int_equal(posix_sig_altstack(T0, &ss, NULL, 0x7ff0), -EINVAL);
	ss.flags = 0;
	assert_int_equal(posix_sig_altstack(T0, &ss, NULL, 0x7ff0), 0);
	/* On it (once delivery can put us there): EPERM, ONSTACK reported. */
	assert_int_equal(posix_sig_altstack(T0, NULL, &o, 0x11000), 0);
	assert_int_equal(o.flags, POSIX_SS_ONSTACK);
	assert_int_equal(posix_sig_altstack(T0, &ss, NULL, 0x12000), -EPERM);
	assert_int_equal(posix_sig_altstack(T0, &ss, NULL, 0x10000), 0); /* just below */
	assert_int_equal(posix_sig_altstack(T0, NULL, &o, 0x12001), 0);
	assert_int_equal(o.flags, 0);
}

/* exec: SIG_IGN kept, handlers reset, mask and pending kept. */
static void exec_state(void **state)
{
	(void)state;
	struct posix_sigstate s, n;
	struct posix_sigaction a = { POSIX_SIG_IGN, POSIX_SA_RESTART, 0x1, 0x6 }, o;
	posix_sigset_t set = BIT(POSIX_SIGHUP);

	fresh(&s, false);
	posix_sig_action(&s, POSIX_SIGUSR2, &a, NULL);
	a.handler = 0x401000;
	posix_sig_action(&s, POSIX_SIGUSR1, &a, NULL);
	posix_sig_procmask(T0, POSIX_SIG_BLOCK, &set, NULL);
	gen(&s, POSIX_SIGHUP);
	assert_int_equal(posix_sig_ignored_set(&s), BIT(POSIX_SIGUSR2));
	/* What an exec request carries, SIGKILL bits from a hostile one too. */
	posix_sig_init(&n, th, 4, T0, false, posix_sig_ignored_set(&s) | BIT(POSIX_SIGKILL),
		       th[0].blocked | BIT(POSIX_SIGSTOP), s.pending);
	posix_sig_action(&n, POSIX_SIGUSR1, NULL, &o);
	assert_int_equal(o.handler, POSIX_SIG_DFL);
	posix_sig_action(&n, POSIX_SIGUSR2, NULL, &o);
	assert_int_equal(o.handler, POSIX_SIG_IGN);
	assert_int_equal(o.flags, 0);
	assert_int_equal(o.mask, 0);
	posix_sig_action(&n, POSIX_SIGKILL, NULL, &o);
	assert_int_equal(o.handler, POSIX_SIG_DFL);
	assert_int_equal(th[0].blocked, set);
	assert_int_equal(posix_sig_pending(&n, T0), set);
}

/* complete_signal: the caller unless it blocks the signal, then another
 * live thread that does not; a thread signal only its target. */
static void thread_choice(void **state)
{
	(void)state;
	struct posix_sigstate s;

	fresh(&s, false);
	th[2].live = 1;
	assert_ptr_equal(posix_sig_wants(&s, NULL, T0, POSIX_SIGUSR1), T0);
	th[0].blocked = BIT(POSIX_SIGUSR1);
	assert_ptr_equal(posix_sig_wants(&s, NULL, T0, POSIX_SIGUSR1), &th[2]);
	th[2].blocked = BIT(POSIX_SIGUSR1);
	assert_null(posix_sig_wants(&s, NULL, T0, POSIX_SIGUSR1));
	assert_null(posix_sig_wants(&s, &th[2], T0, POSIX_SIGUSR1));
	assert_ptr_equal(posix_sig_wants(&s, &th[2], T0, POSIX_SIGUSR2), &th[2]);
	/* th[1] is not live: never chosen; the round robin goes on from
	 * the last thread chosen. */
	th[0].blocked = th[2].blocked = 0;
	assert_ptr_equal(posix_sig_wants(&s, NULL, &th[1], POSIX_SIGUSR1), &th[2]);
}

/* dequeue_signal: the thread's own set first, then the process's; in
 * each, synchronous first, then the lowest; a merged second instance. */
static void take_order(void **state)
{
	(void)state;
	struct posix_sigstate s;
	int sig;
	bool shared;

	fresh(&s, false);
	for (int i = 1; i <= 64; i++)
		if (i != POSIX_SIGKILL && i != POSIX_SIGSTOP)
			set_handler(&s, i, 0x401000);
	assert_int_equal(gen(&s, POSIX_SIGHUP), 1);
	assert_int_equal(gen(&s, POSIX_SIGHUP), 2);
	gen(&s, POSIX_SIGSEGV);
	assert_int_equal(posix_sig_generate(&s, T0, T0, 40), 1);
	assert_int_equal(posix_sig_next(&s, T0, &sig, &shared), POSIX_ACT_HANDLER);
	assert_int_equal(sig, 40);
	assert_false(shared);
	assert_int_equal(posix_sig_next(&s, T0, &sig, &shared), POSIX_ACT_HANDLER);
	assert_int_equal(sig, POSIX_SIGSEGV);
	assert_true(shared);
	assert_int_equal(next(&s), -POSIX_SIGHUP);
	assert_int_equal(next(&s), 0);
	/* A default stop is taken as a stop (proc's PROC_STOP). */
	set_handler(&s, POSIX_SIGTSTP, POSIX_SIG_DFL);
	gen(&s, POSIX_SIGTSTP);
	gen(&s, POSIX_SIGUSR2);
	assert_int_equal(next(&s), -POSIX_SIGUSR2);
	assert_int_equal(posix_sig_next(&s, T0, &sig, &shared), POSIX_ACT_STOP);
	assert_int_equal(sig, POSIX_SIGTSTP);
	assert_int_equal(next(&s), 0);
	/* rt_sigtimedwait's take: only the set. */
	gen(&s, POSIX_SIGUSR1);
	assert_int_equal(posix_sig_take(&s, T0, BIT(POSIX_SIGUSR2), &shared), 0);
	assert_int_equal(posix_sig_take(&s, T0, BIT(POSIX_SIGUSR1), &shared), POSIX_SIGUSR1);
}

/* signal_delivered and SA_RESETHAND, force_sig_info. */
static void delivered(void **state)
{
	(void)state;
	struct posix_sigstate s;
	struct posix_sigaction a = { .handler = 0x401000,
				     .mask = BIT(POSIX_SIGHUP) | BIT(POSIX_SIGKILL) };

	fresh(&s, false);
	posix_sig_action(&s, POSIX_SIGUSR1, &a, NULL);
	posix_sig_delivered(&s, T0, POSIX_SIGUSR1);
	assert_int_equal(th[0].blocked, BIT(POSIX_SIGHUP) | BIT(POSIX_SIGUSR1));
	a.flags = POSIX_SA_NODEFER | POSIX_SA_RESETHAND;
	posix_sig_action(&s, POSIX_SIGUSR2, &a, NULL);
	th[0].blocked = 0;
	posix_sig_delivered(&s, T0, POSIX_SIGUSR2);
	assert_int_equal(th[0].blocked, BIT(POSIX_SIGHUP));
	assert_int_equal(s.action[POSIX_SIGUSR2 - 1].handler, POSIX_SIG_DFL);
	/* A forced SIGSEGV: unblocked and back to SIG_DFL when blocked or
	 * ignored; a handler that is not blocked stays. */
	a = (struct posix_sigaction){ .handler = 0x401000 };
	posix_sig_action(&s, POSIX_SIGSEGV, &a, NULL);
	posix_sig_force(&s, T0, POSIX_SIGSEGV);
	assert_int_equal(s.action[POSIX_SIGSEGV - 1].handler, 0x401000);
	th[0].blocked = BIT(POSIX_SIGSEGV);
	posix_sig_force(&s, T0, POSIX_SIGSEGV);
	assert_int_equal(th[0].blocked, 0);
	assert_int_equal(s.action[POSIX_SIGSEGV - 1].handler, POSIX_SIG_DFL);
	a.handler = POSIX_SIG_IGN;
	posix_sig_action(&s, POSIX_SIGSEGV, &a, NULL);
	posix_sig_force(&s, T0, POSIX_SIGSEGV);
	assert_int_equal(s.action[POSIX_SIGSEGV - 1].handler, POSIX_SIG_DFL);
	/* init is not spared a forced default: it dies of it. */
	fresh(&s, true);
	posix_sig_force(&s, T0, POSIX_SIGSEGV);
	posix_sig_generate(&s, T0, T0, POSIX_SIGSEGV);
	assert_int_equal(next(&s), POSIX_SIGSEGV);
}

/* handle_signal and arch_do_signal_or_restart. */
static void restart(void **state)
{
	(void)state;
	assert_int_equal(posix_sig_restart(-512, true, 0), POSIX_RESTART_EINTR);
	assert_int_equal(posix_sig_restart(-512, true, POSIX_SA_RESTART), POSIX_RESTART_AGAIN);
	assert_int_equal(posix_sig_restart(-512, false, 0), POSIX_RESTART_AGAIN);
	assert_int_equal(posix_sig_restart(-513, true, 0), POSIX_RESTART_AGAIN);
	assert_int_equal(posix_sig_restart(-513, false, 0), POSIX_RESTART_AGAIN);
	assert_int_equal(posix_sig_restart(-514, true, POSIX_SA_RESTART), POSIX_RESTART_EINTR);
	assert_int_equal(posix_sig_restart(-514, false, 0), POSIX_RESTART_AGAIN);
	assert_int_equal(posix_sig_restart(-516, true, POSIX_SA_RESTART), POSIX_RESTART_EINTR);
	assert_int_equal(posix_sig_restart(-516, false, 0), POSIX_RESTART_BLOCK);
	assert_int_equal(posix_sig_restart(-4, true, 0), POSIX_RESTART_NONE);
	assert_int_equal(posix_sig_restart(0, false, 0), POSIX_RESTART_NONE);
	assert_int_equal(posix_sig_restart(-515, true, 0), POSIX_RESTART_NONE);
}

/* get_sigframe: below the red zone, the XSAVE area 64-aligned above the
 * frame, the frame 16-aligned minus 8; the alternate stack's top with
 * SA_ONSTACK; a frame leaving the alternate stack ~0. */
static void frame_place(void **state)
{
	(void)state;
	struct posix_sigstate s;
	uint64_t fp, f;

	fresh(&s, false);
	f = posix_sig_frame_addr(T0, 0, 0x7fff1234, 836, &fp);
	assert_int_equal(fp, (0x7fff1234 - 128 - 836) & ~63ull);
	assert_int_equal(f, ((fp - 440) & ~15ull) - 8);
	assert_int_equal((f + 8) % 16, 0);
	/* SA_ONSTACK without a stack: the normal one. */
	assert_int_equal(posix_sig_frame_addr(T0, POSIX_SA_ONSTACK, 0x7fff1234, 836, &fp), f);
	th[0].altstack = (struct posix_stack){ .sp = 0x100000, .size = 0x2000 };
	f = posix_sig_frame_addr(T0, POSIX_SA_ONSTACK, 0x7fff1234, 836, &fp);
	assert_int_equal(fp, (0x102000 - 836) & ~63ull);
	/* Already on it: below the red zone there, not at its top. */
	f = posix_sig_frame_addr(T0, POSIX_SA_ONSTACK, 0x101800, 836, &fp);
	assert_int_equal(fp, (0x101800 - 128 - 836) & ~63ull);
	/* No room left on it: ~0. */
	assert_int_equal(posix_sig_frame_addr(T0, POSIX_SA_ONSTACK, 0x100400, 836, &fp), ~0ull);
	/* SS_AUTODISARM: never "on it", the top again, and saving the
	 * stack in a frame forgets it. */
	th[0].altstack.flags = (int32_t)POSIX_SS_AUTODISARM;
	posix_sig_frame_addr(T0, POSIX_SA_ONSTACK, 0x101800, 836, &fp);
	assert_int_equal(fp, (0x102000 - 836) & ~63ull);
	struct posix_stack st = posix_sig_save_altstack(T0);
	assert_int_equal(st.sp, 0x100000);
	assert_int_equal(th[0].altstack.size, 0);
	st = posix_sig_save_altstack(T0);
	assert_int_equal(st.flags, POSIX_SS_DISABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_terminate),
		cmocka_unit_test(blocked_then_unblocked),
		cmocka_unit_test(order),
		cmocka_unit_test(init_unkillable),
		cmocka_unit_test(actions),
		cmocka_unit_test(masks),
		cmocka_unit_test(altstack),
		cmocka_unit_test(exec_state),
		cmocka_unit_test(thread_choice),
		cmocka_unit_test(take_order),
		cmocka_unit_test(delivered),
		cmocka_unit_test(restart),
		cmocka_unit_test(frame_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
