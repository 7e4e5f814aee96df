/* The signal calls with each kind of bad pointer (NULL means "none" for
 * them): unmapped, kernel half, non-canonical, straddling the end of a
 * mapping, and read-only for what the call writes: EFAULT every time,
 * and a bad output pointer fails after the change was made. */
#include "contract.h"
#include <signal.h>
#include <sys/mman.h>

struct ksa {
	unsigned long handler, flags, restorer;
	uint64_t mask;
};

int main(void)
{
	contract_begin("signal_efault");
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(two != MAP_FAILED && ro != MAP_FAILED);
	VAL(munmap(two + 4096, 4096), 0);
	struct {
		const char *name;
		void *p;
	} bad[] = {
		{ "unmapped", two + 4096 },
		{ "kernel", (void *)0xffffffff81000000ull },
		{ "noncanonical", (void *)0x0000800000000000ull },
		{ "straddling", two + 4096 - 4 },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *p = bad[i].p;
		printf("-- %s\n", bad[i].name);
		ERR(syscall(SYS_rt_sigaction, SIGUSR1, p, NULL, 8), EFAULT);
		ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, p, 8), EFAULT);
		ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, p, NULL, 8), EFAULT);
		ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, (char *)p + 4, 8), EFAULT);
		ERR(syscall(SYS_rt_sigpending, (char *)p + 4, 8), EFAULT);
		ERR(syscall(SYS_sigaltstack, p, NULL), EFAULT);
		ERR(syscall(SYS_sigaltstack, NULL, (char *)p - 8), EFAULT);
	}
	printf("-- read-only\n");
	struct ksa a = { 1, 0, 0, 0 }, o;
	ERR(syscall(SYS_rt_sigaction, SIGUSR2, &a, ro, 8), EFAULT);
	VAL(syscall(SYS_rt_sigaction, SIGUSR2, NULL, &o, 8), 0);
	TRUE(o.handler == 1); /* set before the old one failed to copy */
	VAL(syscall(SYS_rt_sigaction, SIGUSR2, ro, NULL, 8), 0); /* reading it is fine */
	uint64_t m = 1ull << (SIGUSR1 - 1), got;
	ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, ro, 8), EFAULT);
	VAL(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &got, 8), 0);
	TRUE(got == m);
	ERR(syscall(SYS_rt_sigpending, ro, 8), EFAULT);
	ERR(syscall(SYS_sigaltstack, NULL, ro), EFAULT);
	/* All of it was left as it was: nothing pending, SIGUSR1 blocked. */
	VAL(syscall(SYS_rt_sigpending, &got, 8), 0);
	TRUE(got == 0);
	return contract_end();
}
