/* Pointers into the range tern keeps for libposix (0x7fc000000000, 1 GiB:
 * its text, data, heap, IPC buffers, start page) are to a Linux program
 * unmapped memory: EFAULT for every call, never libposix's own state
 * read or written for it. Found by the syscall fuzzer (test/robust): a
 * read into that range overwrote libposix's signal actions, and a worker
 * died of a signal it handled. */
#include "contract.h"
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>

static const uint64_t addrs[] = {
	0x7fc000000000ul, 0x7fc000001000ul, 0x7fc000020000ul, 0x7fc010000000ul,
	0x7fc020000000ul, 0x7fc030000000ul, 0x7fc03f000000ul, 0x7fc03ffffff8ul,
};

int main(void)
{
	int zero, p[2];
	contract_begin("efault_libposix_region");
	need_dev();
	zero = open("/dev/zero", O_RDONLY);
	TRUE(zero >= 0);
	VAL(pipe(p), 0);
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		void *a = (void *)addrs[i];
		printf("at %#lx:\n", (unsigned long)addrs[i]);
		ERR(read(zero, a, 8), EFAULT);
		ERR(write(p[1], a, 8), EFAULT);
		ERR(syscall(SYS_uname, a), EFAULT);
		ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, a), EFAULT);
		ERR(syscall(SYS_open, a, O_RDONLY), EFAULT);
		ERR(syscall(SYS_stat, "hello.txt", a), EFAULT);
		ERR(syscall(SYS_getcwd, a, 64), EFAULT);
		ERR(syscall(SYS_pipe, a), EFAULT);
		ERR(syscall(SYS_rt_sigaction, SIGUSR1, a, NULL, 8), EFAULT);
		ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, a, 8), EFAULT);
	}
	/* Still ours: the calls work with good pointers afterwards. */
	struct utsname u;
	VAL(uname(&u), 0);
	char b[8];
	VAL(read(zero, b, 8), 8);
	return contract_end();
}
