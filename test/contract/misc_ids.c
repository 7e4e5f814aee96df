/* Process-local calls: the root user's ids, prctl names, sched_yield,
 * getpriority, sysinfo, times, arch_prctl FS. */
#include "contract.h"
#include <asm/prctl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/times.h>

int main(void)
{
	char name[32];
	contract_begin("misc_ids");

	VAL(getuid(), 0);
	VAL(getgid(), 0);
	VAL(syscall(SYS_setuid, 0), 0);
	VAL(syscall(SYS_setgid, 0), 0);
	uid_t r, e, s;
	VAL(getresuid(&r, &e, &s), 0);
	TRUE(r == 0 && e == 0 && s == 0);
	TRUE(getpid() > 0);
	TRUE(syscall(SYS_gettid) == getpid()); /* one thread */
	TRUE(getppid() >= 0);

	VAL(prctl(PR_SET_NAME, "contract-name-that-is-long"), 0);
	memset(name, 'x', sizeof(name));
	VAL(prctl(PR_GET_NAME, name), 0);
	TRUE(strcmp(name, "contract-name-t") == 0); /* 15 bytes and a NUL */
	VAL(sched_yield(), 0);
	VAL(syscall(SYS_getpriority, PRIO_PROCESS, 0), 20); /* 20 - nice */
	ERR(syscall(SYS_getpriority, 99, 0), EINVAL);

	struct sysinfo si;
	VAL(sysinfo(&si), 0);
	TRUE(si.totalram > 0 && si.mem_unit >= 1 && si.freeram <= si.totalram);
	TRUE(si.procs >= 1);
	struct tms t;
	TRUE(times(&t) != (clock_t)-1);

	unsigned long fs = 0;
	VAL(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), 0);
	TRUE(fs != 0); /* musl's thread pointer */
	unsigned long self = 0;
	__asm__("mov %%fs:0, %0" : "=r"(self));
	TRUE(self == fs); /* musl's TCB points to itself */
	return contract_end();
}
