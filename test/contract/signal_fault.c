/* Faults as signals: SIGSEGV on a PROT_NONE page (SEGV_ACCERR, si_addr
 * the byte touched) and on an unmapped one (SEGV_MAPERR), recovered with
 * siglongjmp and, once, by a handler that fixes the protection and
 * returns (the access is retried); SIGFPE FPE_INTDIV on a division by
 * zero (si_addr the instruction); SIGILL ILL_ILLOPN on ud2; SIGTRAP on
 * int3 (SI_KERNEL, as Linux's do_int3_user); the sigcontext's trapno and
 * err for the page fault; a handler that moves rip past a ud2 and sets
 * rcx, r11 and rbx in the ucontext finds them after rt_sigreturn. */
#include "contract.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf env;
static volatile int got_sig, got_code, fixes;
static void *volatile got_addr;
static volatile long got_trapno, got_err;
static char *page;

static void catcher(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	got_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
	got_err = uc->uc_mcontext.gregs[REG_ERR];
	siglongjmp(env, 1);
}

static void fixer(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)ucv;
	fixes++;
	got_addr = si->si_addr;
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

/* Skips the ud2 and sets rcx and r11, which rt_sigreturn must restore
 * like every other register. */
static void skipper(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	uc->uc_mcontext.gregs[REG_RCX] = 0x1111222233334444;
	uc->uc_mcontext.gregs[REG_R11] = 0x5555666677778888;
	uc->uc_mcontext.gregs[REG_RBX] = 0x0123456789abcdef;
}

__attribute__((noinline)) static int divide(volatile int a, volatile int b)
{
	return a / b;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = catcher, .sa_flags = SA_SIGINFO };
	contract_begin("signal_fault");
	sigemptyset(&sa.sa_mask);
	OK(sigaction(SIGSEGV, &sa, NULL));
	OK(sigaction(SIGFPE, &sa, NULL));
	OK(sigaction(SIGILL, &sa, NULL));
	OK(sigaction(SIGTRAP, &sa, NULL));

	page = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(page != MAP_FAILED);
	if (sigsetjmp(env, 1) == 0) {
		page[100] = 1;
		contract_fail(__LINE__, "no SIGSEGV");
	}
	TRUE(got_sig == SIGSEGV && got_code == SEGV_ACCERR);
	TRUE(got_addr == page + 100);
	TRUE(got_trapno == 14);
	TRUE((got_err & 6) == 6); /* a write from user mode */

	/* The mask was restored by siglongjmp: again. */
	OK(munmap(page + 4096, 4096));
	if (sigsetjmp(env, 1) == 0) {
		(void)*(volatile char *)(page + 4096 + 8);
		contract_fail(__LINE__, "no SIGSEGV");
	}
	TRUE(got_sig == SIGSEGV && got_code == SEGV_MAPERR);
	TRUE(got_addr == page + 4096 + 8);
	TRUE(got_trapno == 14 && (got_err & 6) == 4);

	/* A handler that fixes the page and returns: the store is retried. */
	struct sigaction fa = { .sa_sigaction = fixer, .sa_flags = SA_SIGINFO };
	OK(sigaction(SIGSEGV, &fa, NULL));
	page[7] = 42;
	TRUE(fixes == 1);
	TRUE(got_addr == page + 7);
	TRUE(page[7] == 42);

	if (sigsetjmp(env, 1) == 0) {
		divide(1, 0);
		contract_fail(__LINE__, "no SIGFPE");
	}
	TRUE(got_sig == SIGFPE && got_code == FPE_INTDIV);
	TRUE((char *)got_addr >= (char *)divide && (char *)got_addr < (char *)divide + 64);
	TRUE(got_trapno == 0);

	if (sigsetjmp(env, 1) == 0) {
		__asm__ volatile("ud2");
		contract_fail(__LINE__, "no SIGILL");
	}
	TRUE(got_sig == SIGILL && got_code == ILL_ILLOPN && got_trapno == 6);

	if (sigsetjmp(env, 1) == 0) {
		__asm__ volatile("int3");
		contract_fail(__LINE__, "no SIGTRAP");
	}
	TRUE(got_sig == SIGTRAP && got_code == SI_KERNEL && got_trapno == 3);
	/* A handler that moves rip past the fault and sets registers. */
	struct sigaction ka = { .sa_sigaction = skipper, .sa_flags = SA_SIGINFO };
	OK(sigaction(SIGILL, &ka, NULL));
	unsigned long rcx, r11, rbx;
	__asm__ volatile("ud2\n\tmovq %%rcx, %0\n\tmovq %%r11, %1\n\tmovq %%rbx, %2"
			 : "=r"(rcx), "=r"(r11), "=r"(rbx)
			 :
			 : "rcx", "r11", "rbx", "memory");
	TRUE(rcx == 0x1111222233334444ul);
	TRUE(r11 == 0x5555666677778888ul);
	TRUE(rbx == 0x0123456789abcdeful);
	return contract_end();
}
