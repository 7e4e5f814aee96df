/* sigaltstack's bookkeeping (no delivery: never on the stack) and
 * kill/tkill/tgkill to ourselves: signal 0 asks whether we exist, an
 * ignored signal is discarded, the EINVAL and ESRCH cases. */
#include "contract.h"
#include <signal.h>

static char stack_mem[16384];

static long altstack(const stack_t *ss, stack_t *old)
{
	return syscall(SYS_sigaltstack, ss, old);
}

int main(void)
{
	stack_t ss, old;
	pid_t me;
	contract_begin("signal_altstack_kill");

	memset(&old, 0x5a, sizeof(old));
	VAL(altstack(NULL, &old), 0);
	TRUE(old.ss_sp == NULL && old.ss_size == 0 && old.ss_flags == SS_DISABLE);

	ss = (stack_t){ .ss_sp = stack_mem, .ss_size = 2047, .ss_flags = 0 };
	ERR(altstack(&ss, NULL), ENOMEM);
	ss.ss_flags = 4;
	ERR(altstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_ONSTACK | SS_DISABLE;
	ERR(altstack(&ss, NULL), EINVAL);
	ss.ss_flags = 0;
	ss.ss_size = 2048; /* MINSIGSTKSZ */
	VAL(altstack(&ss, NULL), 0);
	VAL(altstack(NULL, &old), 0);
	TRUE(old.ss_sp == stack_mem && old.ss_size == 2048 && old.ss_flags == 0);
	ss.ss_size = sizeof(stack_mem);
	ss.ss_flags = SS_ONSTACK; /* accepted as 0, never reported */
	VAL(altstack(&ss, &old), 0);
	TRUE(old.ss_size == 2048);
	VAL(altstack(NULL, &old), 0);
	TRUE(old.ss_size == sizeof(stack_mem) && old.ss_flags == 0);
	ss.ss_flags = SS_AUTODISARM;
	VAL(altstack(&ss, NULL), 0);
	VAL(altstack(NULL, &old), 0);
	TRUE(old.ss_flags == (int)SS_AUTODISARM);
	/* SS_DISABLE: sp and size go, whatever was passed. */
	ss = (stack_t){ .ss_sp = (void *)16, .ss_size = 1, .ss_flags = SS_DISABLE };
	VAL(altstack(&ss, NULL), 0);
	VAL(altstack(NULL, &old), 0);
	TRUE(old.ss_sp == NULL && old.ss_size == 0 && old.ss_flags == SS_DISABLE);
	/* With SS_DISABLE recorded, a zero-size enable is a change: ENOMEM. */
	ss = (stack_t){ 0 };
	ERR(altstack(&ss, NULL), ENOMEM);
	ERR(altstack((stack_t *)1, NULL), EFAULT);
	ERR(altstack(NULL, (stack_t *)1), EFAULT);
	VAL(sigaltstack(NULL, &old), 0);
	TRUE(old.ss_flags == SS_DISABLE);

	/* kill, tkill, tgkill to ourselves. */
	me = getpid();
	VAL(kill(me, 0), 0);
	VAL(kill(0, 0), 0);
	ERR(kill(me, 65), EINVAL);
	ERR(kill(me, -1), EINVAL);
	ERR(kill(0x3ffffff0, 0), ESRCH);
	ERR(kill(0x3ffffff0, 65), ESRCH); /* no such process comes first */
	ERR(kill(-2147483647 - 1, 0), ESRCH);
	VAL(syscall(SYS_tkill, me, 0), 0);
	ERR(syscall(SYS_tkill, 0, 0), EINVAL);
	ERR(syscall(SYS_tkill, -1, 0), EINVAL);
	ERR(syscall(SYS_tkill, me, 65), EINVAL);
	ERR(syscall(SYS_tkill, 0x3ffffff0, 0), ESRCH);
	VAL(syscall(SYS_tgkill, me, me, 0), 0);
	ERR(syscall(SYS_tgkill, 0, me, 0), EINVAL);
	ERR(syscall(SYS_tgkill, me, 0, 0), EINVAL);
	ERR(syscall(SYS_tgkill, me, me, 65), EINVAL);
	ERR(syscall(SYS_tgkill, 0x3ffffff0, me, 0), ESRCH);
	ERR(syscall(SYS_tgkill, me, 0x3ffffff0, 0), ESRCH);

	/* Ignored signals (SIG_IGN, or a default of ignore) are discarded. */
	TRUE(signal(SIGTERM, SIG_IGN) != SIG_ERR);
	TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	VAL(kill(me, SIGTERM), 0);
	VAL(raise(SIGPIPE), 0);
	VAL(syscall(SYS_tgkill, me, me, SIGTERM), 0);
	VAL(syscall(SYS_tkill, me, SIGTERM), 0);
	VAL(kill(me, SIGCHLD), 0);
	VAL(kill(me, SIGURG), 0);
	VAL(kill(me, SIGWINCH), 0);
	VAL(kill(me, SIGCONT), 0);
	sigset_t s;
	VAL(sigpending(&s), 0);
	TRUE(sigisemptyset(&s));
	return contract_end();
}
