/* SIGFPE from an integer division by zero (x86's #DE; no fork): si_code
 * FPE_INTDIV, si_addr the faulting instruction (= the ucontext's rip),
 * the 32- and 64-bit divides, signed and unsigned, and INT_MIN / -1
 * (also #DE on x86, FPE_INTDIV), si_addr at the divide instruction; recovery through siglongjmp, several
 * times; a floating-point division by zero does not trap (masked by
 * default: inf). */
#include "contract.h"
#include <limits.h>
#include <setjmp.h>
#include <ucontext.h>

static sigjmp_buf env;
static volatile int count;
static struct {
	int signo, code;
	void *addr;
	uintptr_t rip;
} got;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	count++;
	got.signo = si->si_signo;
	got.code = si->si_code;
	got.addr = si->si_addr;
	got.rip = uc->uc_mcontext.gregs[REG_RIP];
	siglongjmp(env, 1);
}

static volatile int zero32, minus1 = -1, min32 = INT_MIN, seven = 7;
static volatile long zero64, min64 = LONG_MIN, minus1l = -1;
static volatile unsigned uzero;

static void check(const char *what, int which)
{
	int before = count;
	volatile long r = 0;
	memset(&got, 0, sizeof(got));
	if (sigsetjmp(env, 1) == 0) {
		switch (which) {
		case 0:
			r = seven / zero32;
			break;
		case 1:
			r = 7l / zero64;
			break;
		case 2:
			r = 7u / uzero;
			break;
		case 3:
			r = min32 / minus1;
			break;
		case 4:
			r = min64 / minus1l;
			break;
		case 5:
			r = seven % zero32;
			break;
		}
		(void)r;
	}
	/* The divide itself: 0xf7 (/6 or /7), after a REX prefix maybe. */
	const unsigned char *ins = got.addr;
	int at_div = ins && (ins[0] == 0xf7 || ((ins[0] & 0xf0) == 0x40 && ins[1] == 0xf7));
	int ok = at_div && count == before + 1 && got.signo == SIGFPE && got.code == FPE_INTDIV &&
		 (uintptr_t)got.addr == got.rip && got.addr != NULL;
	printf("%s: %s si_code %s si_addr %s, at the divide: %s\n", what,
	       count == before + 1 ? sig_name(got.signo) : "no signal",
	       got.code == FPE_INTDIV ? "FPE_INTDIV" : "?",
	       (uintptr_t)got.addr == got.rip && got.addr ? "= rip" : "wrong",
	       at_div ? "yes" : "no");
	if (!ok)
		contract_fail(__LINE__, "%s", what);
}

int main(void)
{
	struct sigaction sa;
	contract_begin("signal_sigfpe");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGFPE, &sa, NULL), 0);

	check("7 / 0 (int)", 0);
	check("7 / 0 (long)", 1);
	check("7 / 0 (unsigned)", 2);
	check("INT_MIN / -1", 3);
	check("LONG_MIN / -1", 4);
	check("7 % 0", 5);
	for (int i = 0; i < 10; i++)
		check("7 / 0 again", 0);
	VAL(count, 16);
	volatile double dz = 0.0;
	double inf = 1.0 / dz;
	TRUE(inf > 1e308);
	VAL(count, 16);
	return contract_end();
}
