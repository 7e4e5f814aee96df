/* SIGSEGV from faults (no fork): a read and a write of a PROT_NONE page
 * and a write to a read-only page give SEGV_ACCERR, an unmapped address
 * SEGV_MAPERR, each with si_addr the faulting address exactly (not the
 * page) and si_signo SIGSEGV, si_errno 0; the handler recovers through
 * siglongjmp, which restores the signal mask saved by sigsetjmp; 200
 * rounds in a row; after mprotect makes the page readable the same
 * access works. */
#include "contract.h"
#include <setjmp.h>
#include <sys/mman.h>

static sigjmp_buf env;
static volatile int count;
static struct {
	int signo, code, errno_;
	void *addr;
} got;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	count++;
	got.signo = si->si_signo;
	got.code = si->si_code;
	got.errno_ = si->si_errno;
	got.addr = si->si_addr;
	siglongjmp(env, 1);
}

static const char *code_name(int c)
{
	return c == SEGV_ACCERR ? "SEGV_ACCERR" : c == SEGV_MAPERR ? "SEGV_MAPERR" : "?";
}

/* Access p (read when !write); 1 when it faulted. */
static int fault(volatile char *p, int write)
{
	memset(&got, 0, sizeof(got));
	if (sigsetjmp(env, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		return 0;
	}
	return 1;
}

static void check(const char *what, volatile char *p, int write, int code)
{
	int before = count;
	int f = fault(p, write);
	printf("%s: %s, si_signo %s si_code %s si_errno %d si_addr %s\n", what,
	       f ? "SIGSEGV" : "no fault", sig_name(got.signo), code_name(got.code), got.errno_,
	       got.addr == (void *)p ? "= the address" : "wrong");
	if (!f || count != before + 1 || got.signo != SIGSEGV || got.code != code ||
	    got.addr != (void *)p || got.errno_ != 0)
		contract_fail(__LINE__, "%s", what);
}

int main(void)
{
	struct sigaction sa;
	contract_begin("signal_segv");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGSEGV, &sa, NULL), 0);

	char *none = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(none != MAP_FAILED && ro != MAP_FAILED && gone != MAP_FAILED);
	VAL(munmap(gone, 4096), 0);

	check("read of PROT_NONE", none + 4096 + 123, 0, SEGV_ACCERR);
	check("write of PROT_NONE", none + 2 * 4096 + 4095, 1, SEGV_ACCERR);
	check("write of PROT_READ", ro + 7, 1, SEGV_ACCERR);
	check("read of unmapped", gone + 1000, 0, SEGV_MAPERR);
	check("write of unmapped", gone, 1, SEGV_MAPERR);
	check("read of NULL + 16", (volatile char *)16, 0, SEGV_MAPERR);
	check("read of a kernel address", (volatile char *)0xffff800000001000ull, 0, SEGV_MAPERR);

	/* The mask: SIGSEGV is blocked in the handler; siglongjmp with a
	 * saved mask unblocks it again, so the next fault is delivered. */
	int bad = 0;
	for (int i = 0; i < 200; i++) {
		int before = count;
		if (!fault(none + (i % 3) * 4096 + i, i & 1) || count != before + 1 ||
		    got.addr != none + (i % 3) * 4096 + i || got.code != SEGV_ACCERR)
			bad++;
	}
	VAL(bad, 0);
	VAL(count, 207);
	sigset_t m;
	VAL(sigprocmask(SIG_BLOCK, NULL, &m), 0);
	VAL(sigismember(&m, SIGSEGV), 0);

	/* Made readable: no fault, and zero-filled. */
	VAL(mprotect(none, 3 * 4096, PROT_READ), 0);
	VAL(fault(none + 4096 + 123, 0), 0);
	VAL(none[4096 + 123], 0);
	check("write of the now PROT_READ page", none + 5, 1, SEGV_ACCERR);
	VAL(mprotect(none, 3 * 4096, PROT_READ | PROT_WRITE), 0);
	VAL(fault(none + 5, 1), 0);
	VAL(none[5], 1);
	return contract_end();
}
