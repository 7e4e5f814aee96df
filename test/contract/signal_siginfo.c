/* What an SA_SIGINFO handler is given (no fork: every signal is sent
 * to ourselves and delivered before the sending call returns, as Linux
 * delivers on the way back to user mode): si_signo, si_code (SI_USER
 * from kill, SI_TKILL from tgkill/tkill/raise, SI_QUEUE from sigqueue
 * with its si_value, a caller's own negative code through
 * rt_sigqueueinfo), si_pid == getpid(), si_uid == getuid(); the
 * ucontext's uc_sigmask is the mask from before the handler while the
 * handler runs with that mask + sa_mask + the signal; a change the
 * handler makes to uc_sigmask is the mask after it returns. */
#include "contract.h"
#include <ucontext.h>

#define BIT(s) (1ull << ((s)-1))

static struct {
	int count, signo, code, errno_, value;
	pid_t pid;
	uid_t uid;
	void *ptr;
	uint64_t uc_mask, mask_inside;
} got;
static uint64_t add_to_uc_mask;

static uint64_t mask_now(void)
{
	uint64_t m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uint64_t m;
	got.count++;
	got.signo = si->si_signo;
	got.code = si->si_code;
	got.errno_ = si->si_errno;
	got.pid = si->si_pid;
	got.uid = si->si_uid;
	got.value = si->si_value.sival_int;
	got.ptr = si->si_value.sival_ptr;
	memcpy(&m, &uc->uc_sigmask, 8); /* the kernel's 8-byte mask */
	got.uc_mask = m;
	got.mask_inside = mask_now();
	if (sig != si->si_signo)
		got.signo = -1;
	if (add_to_uc_mask) {
		m |= add_to_uc_mask;
		memcpy(&uc->uc_sigmask, &m, 8);
	}
}

static const char *code_name(int c)
{
	switch (c) {
	case SI_USER:
		return "SI_USER";
	case SI_TKILL:
		return "SI_TKILL";
	case SI_QUEUE:
		return "SI_QUEUE";
	case SI_KERNEL:
		return "SI_KERNEL";
	case -10:
		return "-10";
	}
	return "?";
}

static void show(const char *how)
{
	printf("%s: handler ran %d time(s): si_signo %s si_code %s si_errno %d si_pid %s si_uid "
	       "%s\n",
	       how, got.count, sig_name(got.signo), code_name(got.code), got.errno_,
	       got.pid == getpid() ? "= getpid()" : "other",
	       got.uid == getuid() ? "= getuid()" : "other");
}

int main(void)
{
	struct sigaction sa;
	union sigval v;
	contract_begin("signal_siginfo");

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	VAL(sigaction(SIGUSR1, &sa, NULL), 0);
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGUSR2, &sa, NULL), 0);
	VAL(sigaction(SIGRTMIN + 2, &sa, NULL), 0);

	/* kill: SI_USER. The mask before: SIGHUP blocked. */
	uint64_t m = BIT(SIGHUP);
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	memset(&got, 0, sizeof(got));
	VAL(kill(getpid(), SIGUSR1), 0);
	show("kill(getpid(), SIGUSR1)");
	TRUE(got.count == 1 && got.signo == SIGUSR1 && got.code == SI_USER);
	TRUE(got.pid == getpid() && got.uid == getuid());
	TRUE(got.uc_mask == BIT(SIGHUP));
	TRUE(got.mask_inside == (BIT(SIGHUP) | BIT(SIGUSR1) | BIT(SIGUSR2)));
	TRUE(mask_now() == BIT(SIGHUP));

	/* tgkill, tkill and raise: SI_TKILL. */
	memset(&got, 0, sizeof(got));
	VAL(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2), 0);
	show("tgkill(getpid(), gettid(), SIGUSR2)");
	TRUE(got.count == 1 && got.signo == SIGUSR2 && got.code == SI_TKILL && got.pid == getpid());
	TRUE(got.mask_inside == (BIT(SIGHUP) | BIT(SIGUSR2)));
	memset(&got, 0, sizeof(got));
	VAL(syscall(SYS_tkill, gettid(), SIGUSR2), 0);
	show("tkill(gettid(), SIGUSR2)");
	TRUE(got.count == 1 && got.code == SI_TKILL);
	memset(&got, 0, sizeof(got));
	VAL(raise(SIGUSR1), 0);
	show("raise(SIGUSR1)");
	TRUE(got.count == 1 && got.code == SI_TKILL);
	TRUE(got.uc_mask == BIT(SIGHUP)); /* raise's own masking is undone before */

	/* sigqueue: SI_QUEUE and the value. */
	memset(&got, 0, sizeof(got));
	v.sival_int = 0x1234;
	VAL(sigqueue(getpid(), SIGUSR1, v), 0);
	show("sigqueue(getpid(), SIGUSR1, 0x1234)");
	TRUE(got.count == 1 && got.code == SI_QUEUE && got.value == 0x1234);
	memset(&got, 0, sizeof(got));
	v.sival_ptr = &got;
	VAL(sigqueue(getpid(), SIGRTMIN + 2, v), 0);
	show("sigqueue(getpid(), SIGRTMIN + 2, &got)");
	TRUE(got.count == 1 && got.signo == SIGRTMIN + 2 && got.code == SI_QUEUE &&
	     got.ptr == &got);

	/* rt_sigqueueinfo to ourselves: the caller's siginfo as given. */
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR2;
	si.si_code = -10;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = 77;
	memset(&got, 0, sizeof(got));
	VAL(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si), 0);
	show("rt_sigqueueinfo(getpid(), SIGUSR2, code -10)");
	TRUE(got.count == 1 && got.code == -10 && got.value == 77);
	memset(&got, 0, sizeof(got));
	VAL(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR2, &si), 0);
	show("rt_tgsigqueueinfo(getpid(), gettid(), SIGUSR2, code -10)");
	TRUE(got.count == 1 && got.code == -10 && got.value == 77);
	VAL(syscall(SYS_rt_sigqueueinfo, getpid(), 0, &si), 0); /* a check, as kill's 0 */
	ERR(syscall(SYS_rt_sigqueueinfo, getpid(), 65, &si), EINVAL);

	/* Blocked: delivered when unblocked, with the siginfo of the send. */
	memset(&got, 0, sizeof(got));
	m = BIT(SIGHUP) | BIT(SIGUSR1);
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	v.sival_int = 99;
	VAL(sigqueue(getpid(), SIGUSR1, v), 0);
	VAL(got.count, 0);
	m = BIT(SIGHUP);
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	show("sigqueue while blocked, then unblocked");
	TRUE(got.count == 1 && got.code == SI_QUEUE && got.value == 99);
	TRUE(got.uc_mask == BIT(SIGHUP)); /* the mask after the sigprocmask */

	/* The handler changes uc_sigmask: that is the mask after it. */
	memset(&got, 0, sizeof(got));
	add_to_uc_mask = BIT(SIGINT) | BIT(SIGKILL) | BIT(SIGSTOP);
	VAL(kill(getpid(), SIGUSR1), 0);
	add_to_uc_mask = 0;
	TRUE(got.count == 1);
	TRUE(mask_now() == (BIT(SIGHUP) | BIT(SIGINT))); /* never SIGKILL, SIGSTOP */
	m = 0;
	VAL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
	return contract_end();
}
