/* The other fault signals (no fork), each handled and recovered from:
 * ud2 gives SIGILL ILL_ILLOPN with si_addr the instruction; int3 gives
 * SIGTRAP SI_KERNEL with the ucontext's rip just after it, and the
 * handler returns there; a load from a non-canonical address (with 4-
 * and 5-level paging: QEMU's -cpu max has LA57) is a #GP:
 * SIGSEGV SI_KERNEL with si_addr 0; hlt in user mode the same; a MAP_SHARED
 * file mapping beyond the end of its file gives SIGBUS BUS_ADRERR with
 * si_addr the address (the page holding the file's end reads as the
 * file then zeros). */
#include "contract.h"
#include <setjmp.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf env;
static volatile int count, jump;
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
	if (jump)
		siglongjmp(env, 1);
}

static const char *code_name(int sig, int c)
{
	if (c == SI_KERNEL)
		return "SI_KERNEL";
	if (sig == SIGILL && c == ILL_ILLOPN)
		return "ILL_ILLOPN";
	if (sig == SIGBUS && c == BUS_ADRERR)
		return "BUS_ADRERR";
	return "?";
}

static void show(const char *what, int before, int sig, int code, const char *addr_is, int addr_ok)
{
	int ok = count == before + 1 && got.signo == sig && got.code == code && addr_ok;
	printf("%s: %s si_code %s si_addr %s: %s\n", what,
	       count == before + 1 ? sig_name(got.signo) : "no signal",
	       code_name(got.signo, got.code), addr_is, ok ? "yes" : "no");
	if (!ok)
		contract_fail(__LINE__, "%s", what);
}

extern char ud2_at[], int3_after[];

int main(void)
{
	struct sigaction sa;
	int before;
	contract_begin("signal_faults");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	VAL(sigaction(SIGILL, &sa, NULL), 0);
	VAL(sigaction(SIGTRAP, &sa, NULL), 0);
	VAL(sigaction(SIGSEGV, &sa, NULL), 0);
	VAL(sigaction(SIGBUS, &sa, NULL), 0);

	jump = 1;
	before = count;
	if (sigsetjmp(env, 1) == 0)
		__asm__ volatile(".globl ud2_at\nud2_at: ud2");
	show("ud2", before, SIGILL, ILL_ILLOPN, "= the ud2",
	     got.addr == (void *)ud2_at && got.rip == (uintptr_t)ud2_at);

	/* int3: the handler returns, and we go on after it. */
	jump = 0;
	before = count;
	__asm__ volatile("int3\n.globl int3_after\nint3_after:");
	show("int3", before, SIGTRAP, SI_KERNEL, "0, rip after the int3",
	     got.addr == NULL && got.rip == (uintptr_t)int3_after);
	before = count;
	__asm__ volatile("int3");
	VAL(count, before + 1);

	jump = 1;
	before = count;
	if (sigsetjmp(env, 1) == 0)
		(void)*(volatile char *)0x8000000000000000ull;
	show("load from 0x8000000000000000", before, SIGSEGV, SI_KERNEL, "0", got.addr == NULL);
	before = count;
	if (sigsetjmp(env, 1) == 0)
		__asm__ volatile("hlt");
	show("hlt", before, SIGSEGV, SI_KERNEL, "0", got.addr == NULL);

	/* SIGBUS beyond the end of a file. */
	int fd = OK(open("bus.txt", O_RDWR | O_CREAT | O_TRUNC, 0644));
	VAL(write(fd, "0123456789", 10), 10);
	char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TRUE(m != MAP_FAILED);
	VAL(m[9], '9');
	VAL(m[10], 0);
	VAL(m[4095], 0);
	for (volatile int i = 0; i < 2; i++) {
		before = count;
		volatile char *p = m + 4096 + 100 * i;
		if (sigsetjmp(env, 1) == 0)
			(void)*p;
		show(i ? "read beyond the file, again" : "read beyond the file", before, SIGBUS,
		     BUS_ADRERR, "= the address", got.addr == (void *)p);
	}
	VAL(munmap(m, 2 * 4096), 0);
	VAL(close(fd), 0);
	VAL(unlink("bus.txt"), 0);
	return contract_end();
}
