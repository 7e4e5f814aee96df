/* Signal delivery to the process itself: a handler runs before kill,
 * tgkill and raise return, with SA_SIGINFO's siginfo (si_code SI_USER or
 * SI_TKILL, si_pid) and a ucontext whose uc_sigmask is the mask before;
 * the mask while it runs (sa_mask and the signal, not with SA_NODEFER),
 * SA_RESETHAND, nested delivery when a handler unblocks, a signal
 * pending while blocked delivered when unblocked (by sigprocmask and by
 * sigsuspend, which then restores its old mask), rt_sigqueueinfo's value
 * and its EPERM, sigtimedwait taking a blocked one, EAGAIN on a zero
 * timeout, sigaltstack's SS_ONSTACK inside a handler on it and its EPERM
 * there, callee-saved and vector registers kept across a handler. */
#include "contract.h"
#include <signal.h>
#include <ucontext.h>

static volatile int hits, last_sig, last_code, last_pid, nested;
static volatile uint64_t mask_in, uc_mask;
static volatile long qvalue;
static volatile int onstack_flags, ss_err;

static uint64_t cur_mask(void)
{
	uint64_t m;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static void info_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	qvalue = si->si_value.sival_int;
	mask_in = cur_mask();
	memcpy((void *)&uc_mask, &uc->uc_sigmask, 8);
}

static void nest_handler(int sig)
{
	(void)sig;
	if (sig == SIGUSR1) {
		nested = 1;
		raise(SIGUSR2); /* blocked by sa_mask: after this handler */
		nested = nested == 1 ? 2 : 0;
	} else {
		nested = nested == 2 ? 3 : -1;
	}
}

static void alt_handler(int sig)
{
	stack_t ss;
	(void)sig;
	sigaltstack(NULL, &ss);
	onstack_flags = ss.ss_flags;
	stack_t n = { .ss_size = SIGSTKSZ, .ss_sp = malloc(SIGSTKSZ) };
	ss_err = sigaltstack(&n, NULL) ? errno : 0;
}

static void plain(int sig)
{
	(void)sig;
	hits++;
}

int main(void)
{
	struct sigaction sa = { 0 };
	sigset_t set;
	contract_begin("signal_deliver");

	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGHUP);
	OK(sigaction(SIGUSR1, &sa, NULL));
	VAL(kill(getpid(), SIGUSR1), 0);
	TRUE(hits == 1);
	TRUE(last_sig == SIGUSR1);
	TRUE(last_code == SI_USER);
	TRUE(last_pid == getpid());
	TRUE(mask_in == ((1ull << (SIGUSR1 - 1)) | (1ull << (SIGHUP - 1))));
	TRUE(uc_mask == 0);
	TRUE(cur_mask() == 0);

	VAL(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1), 0);
	TRUE(hits == 2 && last_code == SI_TKILL);

	/* SA_NODEFER: the signal itself stays unblocked. */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	OK(sigaction(SIGUSR1, &sa, NULL));
	VAL(raise(SIGUSR1), 0);
	TRUE(hits == 3 && mask_in == (1ull << (SIGHUP - 1)));

	/* Blocked: pending until unblocked, then delivered before
	 * sigprocmask returns, uc_sigmask the mask at the time. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	VAL(kill(getpid(), SIGUSR1), 0);
	TRUE(hits == 3);
	OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	TRUE(hits == 4);
	TRUE(uc_mask == 0);

	/* rt_sigqueueinfo: our own value; si_code >= 0 to ourselves is
	 * allowed, SI_QUEUE carries the value. */
	siginfo_t si = { 0 };
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 4242;
	si.si_pid = getpid();
	VAL(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si), 0);
	TRUE(hits == 5 && last_code == SI_QUEUE && qvalue == 4242);
	si.si_code = 0;
	ERR(syscall(SYS_rt_sigqueueinfo, 1 << 30, SIGUSR1, &si), EPERM);

	/* SA_RESETHAND: the second one is the default action... ignored. */
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	OK(sigaction(SIGURG, &sa, NULL));
	VAL(raise(SIGURG), 0);
	TRUE(hits == 6 && last_sig == SIGURG);
	struct sigaction old;
	OK(sigaction(SIGURG, NULL, &old));
	TRUE(old.sa_handler == SIG_DFL);
	VAL(raise(SIGURG), 0);
	TRUE(hits == 6);

	/* Nested: USR2 blocked by sa_mask until USR1's handler returns. */
	struct sigaction na = { .sa_handler = nest_handler };
	sigemptyset(&na.sa_mask);
	sigaddset(&na.sa_mask, SIGUSR2);
	OK(sigaction(SIGUSR1, &na, NULL));
	OK(sigaction(SIGUSR2, &na, NULL));
	VAL(raise(SIGUSR1), 0);
	TRUE(nested == 3);

	/* sigsuspend: blocked USR1 delivered inside, old mask back. */
	struct sigaction pa = { .sa_handler = plain };
	OK(sigaction(SIGUSR1, &pa, NULL));
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	VAL(kill(getpid(), SIGUSR1), 0);
	hits = 0;
	sigset_t empty;
	sigemptyset(&empty);
	ERR(sigsuspend(&empty), EINTR);
	TRUE(hits == 1);
	TRUE(cur_mask() == (1ull << (SIGUSR1 - 1)));

	/* sigtimedwait: takes the blocked one; nothing: EAGAIN. */
	VAL(kill(getpid(), SIGUSR1), 0);
	siginfo_t got;
	struct timespec zero = { 0, 0 };
	VAL(sigtimedwait(&set, &got, &zero), SIGUSR1);
	TRUE(got.si_code == SI_USER && got.si_pid == getpid() && hits == 1);
	ERR(sigtimedwait(&set, &got, &zero), EAGAIN);
	struct timespec tiny = { 0, 1000000 };
	ERR(sigtimedwait(&set, &got, &tiny), EAGAIN);
	OK(sigprocmask(SIG_UNBLOCK, &set, NULL));

	/* The alternate stack: SS_ONSTACK inside, EPERM to change it. */
	stack_t ss = { .ss_size = SIGSTKSZ, .ss_sp = malloc(SIGSTKSZ) };
	OK(sigaltstack(&ss, NULL));
	struct sigaction aa = { .sa_handler = alt_handler, .sa_flags = SA_ONSTACK };
	OK(sigaction(SIGUSR2, &aa, NULL));
	VAL(raise(SIGUSR2), 0);
	TRUE(onstack_flags == SS_ONSTACK);
	TRUE(ss_err == EPERM);

	/* Registers across a handler: a vector value and callee-saved ones. */
	OK(sigaction(SIGUSR1, &pa, NULL));
	double d = 1.25;
	volatile double *dp = &d;
	register long keep __asm__("r12") = 0x1234567;
	__asm__ volatile("" : "+r"(keep));
	double x = *dp * 3.0;
	VAL(kill(getpid(), SIGUSR1), 0);
	__asm__ volatile("" : "+r"(keep));
	TRUE(keep == 0x1234567);
	TRUE(x == 3.75);
	return contract_end();
}
