/*
 * libposix's signal bookkeeping (signal_calc.c), the code libposix runs:
 * what a process that is not init does with its default actions (which
 * no contract test can show yet: every Linux process on tern is pid 1
 * until fork lands), and the rules the contract tests check on Linux.
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

static void fresh(struct posix_sigstate *s, bool init)
{
	posix_sig_init(s, init, 0, 0, 0);
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
		posix_sig_generate(&s, kills[i]);
		assert_int_equal(posix_sig_fatal_pending(&s), kills[i]);
	}
	/* Default ignore: discarded at generation. */
	const int ign[] = { POSIX_SIGCHLD, POSIX_SIGURG, POSIX_SIGWINCH, POSIX_SIGCONT };
	for (size_t i = 0; i < 4; i++) {
		fresh(&s, false);
		posix_sig_generate(&s, ign[i]);
		assert_int_equal(s.pending, 0);
		assert_int_equal(posix_sig_fatal_pending(&s), 0);
	}
	/* Stop signals: left pending (job control comes with delivery). */
	fresh(&s, false);
	posix_sig_generate(&s, POSIX_SIGTSTP);
	assert_int_equal(posix_sig_fatal_pending(&s), 0);
	assert_int_equal(s.pending, BIT(POSIX_SIGTSTP));
	/* SIGCONT discards pending stops, a stop a pending SIGCONT. */
	s.blocked = BIT(POSIX_SIGCONT);
	posix_sig_generate(&s, POSIX_SIGCONT);
	assert_int_equal(s.pending, BIT(POSIX_SIGCONT));
	posix_sig_generate(&s, POSIX_SIGSTOP);
	assert_int_equal(s.pending, BIT(POSIX_SIGSTOP));
	posix_sig_generate(&s, POSIX_SIGCONT);
	assert_int_equal(s.pending, BIT(POSIX_SIGCONT));
}

/* Blocked: pending, fatal once unblocked; a handler keeps it pending. */
static void blocked_then_unblocked(void **state)
{
	(void)state;
	struct posix_sigstate s;
	posix_sigset_t set = BIT(POSIX_SIGPIPE) | BIT(POSIX_SIGTERM);

	fresh(&s, false);
	assert_int_equal(posix_sig_procmask(&s, POSIX_SIG_BLOCK, &set, NULL), 0);
	posix_sig_generate(&s, POSIX_SIGPIPE);
	posix_sig_generate(&s, POSIX_SIGTERM);
	assert_int_equal(posix_sig_fatal_pending(&s), 0);
	assert_int_equal(posix_sig_pending(&s), set);
	set = BIT(POSIX_SIGTERM);
	assert_int_equal(posix_sig_procmask(&s, POSIX_SIG_UNBLOCK, &set, NULL), 0);
	assert_int_equal(posix_sig_fatal_pending(&s), POSIX_SIGTERM);

	/* A handler: pending and unblocked, left for delivery. */
	fresh(&s, false);
	set_handler(&s, POSIX_SIGPIPE, 0x401000);
	posix_sig_generate(&s, POSIX_SIGPIPE);
	assert_int_equal(posix_sig_fatal_pending(&s), 0);
	assert_int_equal(s.pending, BIT(POSIX_SIGPIPE));
	assert_int_equal(posix_sig_pending(&s), 0); /* not blocked: not reported */
	/* ... until the action goes back to the default. */
	set_handler(&s, POSIX_SIGPIPE, POSIX_SIG_DFL);
	assert_int_equal(posix_sig_fatal_pending(&s), POSIX_SIGPIPE);
	/* SIG_IGN discards it. */
	set_handler(&s, POSIX_SIGPIPE, POSIX_SIG_IGN);
	assert_int_equal(s.pending, 0);
	assert_int_equal(posix_sig_fatal_pending(&s), 0);
}

/* Synchronous signals first, then the lowest number. */
static void order(void **state)
{
	(void)state;
	struct posix_sigstate s;
	posix_sigset_t all = ~0ull;

	fresh(&s, false);
	posix_sig_procmask(&s, POSIX_SIG_SETMASK, &all, NULL);
	posix_sig_generate(&s, POSIX_SIGHUP);
	posix_sig_generate(&s, POSIX_SIGSEGV);
	posix_sig_generate(&s, POSIX_SIGCHLD); /* ignored by default: discarded */
	posix_sig_procmask(&s, POSIX_SIG_SETMASK, &(posix_sigset_t){ 0 }, NULL);
	assert_int_equal(posix_sig_fatal_pending(&s), POSIX_SIGSEGV);
	s.pending &= ~BIT(POSIX_SIGSEGV);
	assert_int_equal(posix_sig_fatal_pending(&s), POSIX_SIGHUP);
	s.pending &= ~BIT(POSIX_SIGHUP);
	assert_int_equal(posix_sig_fatal_pending(&s), 0);
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
		posix_sig_generate(&s, sig);
		assert_int_equal(posix_sig_fatal_pending(&s), 0);
	}
	assert_int_equal(s.pending, 0);
	posix_sig_procmask(&s, POSIX_SIG_BLOCK, &set, NULL);
	posix_sig_generate(&s, POSIX_SIGTERM);
	assert_int_equal(posix_sig_pending(&s), set);
	posix_sig_procmask(&s, POSIX_SIG_UNBLOCK, &set, NULL);
	assert_int_equal(posix_sig_fatal_pending(&s), 0);
	assert_int_equal(s.pending, 0);
	/* A handler makes it pending for delivery, even for init. */
	set_handler(&s, POSIX_SIGTERM, 0x401000);
	posix_sig_generate(&s, POSIX_SIGTERM);
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
	assert_int_equal(posix_sig_procmask(&s, 3, &set, NULL), -EINVAL);
	assert_int_equal(posix_sig_procmask(&s, 3, NULL, &old), 0);
	assert_int_equal(posix_sig_procmask(&s, POSIX_SIG_BLOCK, &set, &old), 0);
	assert_int_equal(old, 0);
	assert_int_equal(s.blocked, ~POSIX_SIG_UNBLOCKABLE);
	/* SIGKILL is fatal even with everything "blocked". */
	posix_sig_generate(&s, POSIX_SIGKILL);
	assert_int_equal(posix_sig_fatal_pending(&s), POSIX_SIGKILL);
}

static void altstack(void **state)
{
	(void)state;
	struct posix_sigstate s;
	struct posix_stack ss = { .sp = 0x10000, .size = 0x2000 }, o;

	fresh(&s, false);
	assert_int_equal(posix_sig_altstack(&s, NULL, &o, 0x7ff0), 0);
	assert_int_equal(o.flags, POSIX_SS_DISABLE);
	ss.size = 2047;
	assert_int_equal(posix_sig_altstack(&s, &ss, NULL, 0x7ff0), -ENOMEM);
	ss.size = 0x2000;
	ss.flags = 3;
	assert_int_equal(posix_sig_altstack(&s, &ss, NULL, 0x7ff0), -EINVAL);
	ss.flags = 0;
	assert_int_equal(posix_sig_altstack(&s, &ss, NULL, 0x7ff0), 0);
	/* On it (once delivery can put us there): EPERM, ONSTACK reported. */
	assert_int_equal(posix_sig_altstack(&s, NULL, &o, 0x11000), 0);
	assert_int_equal(o.flags, POSIX_SS_ONSTACK);
	assert_int_equal(posix_sig_altstack(&s, &ss, NULL, 0x12000), -EPERM);
	assert_int_equal(posix_sig_altstack(&s, &ss, NULL, 0x10000), 0); /* just below */
	assert_int_equal(posix_sig_altstack(&s, NULL, &o, 0x12001), 0);
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
	posix_sig_procmask(&s, POSIX_SIG_BLOCK, &set, NULL);
	posix_sig_generate(&s, POSIX_SIGHUP);
	assert_int_equal(posix_sig_ignored_set(&s), BIT(POSIX_SIGUSR2));
	/* What an exec request carries, SIGKILL bits from a hostile one too. */
	posix_sig_init(&n, false, posix_sig_ignored_set(&s) | BIT(POSIX_SIGKILL),
		       s.blocked | BIT(POSIX_SIGSTOP), s.pending);
	posix_sig_action(&n, POSIX_SIGUSR1, NULL, &o);
	assert_int_equal(o.handler, POSIX_SIG_DFL);
	posix_sig_action(&n, POSIX_SIGUSR2, NULL, &o);
	assert_int_equal(o.handler, POSIX_SIG_IGN);
	assert_int_equal(o.flags, 0);
	assert_int_equal(o.mask, 0);
	posix_sig_action(&n, POSIX_SIGKILL, NULL, &o);
	assert_int_equal(o.handler, POSIX_SIG_DFL);
	assert_int_equal(n.blocked, set);
	assert_int_equal(posix_sig_pending(&n), set);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
