/* reboot(2)'s checks that end nothing: the magic numbers (EINVAL), an
 * unknown command with good magic (EINVAL). Linux checks CAP_SYS_BOOT
 * first: an unprivileged host run gets EPERM, reported as the EINVAL a
 * privileged one gets (tern has one user, root). The commands that do
 * end the machine are ctest posix.reboot_poweroff. */
#include "contract.h"
#include <sys/reboot.h>

#define MAGIC1 0xfee1dead
#define MAGIC2 672274793

static void bad(int line, const char *what, long m1, long m2, long cmd)
{
	errno = 0;
	long r = syscall(SYS_reboot, m1, m2, cmd, 0);
	int e = errno;
	if (r == -1 && e == EPERM && geteuid() != 0)
		e = EINVAL;
	expect_err(line, what, r, e, EINVAL);
}

int main(void)
{
	contract_begin("reboot_einval");
	bad(__LINE__, "bad magic1", 0xfee1deae, MAGIC2, RB_POWER_OFF);
	bad(__LINE__, "bad magic1 0", 0, MAGIC2, RB_AUTOBOOT);
	bad(__LINE__, "bad magic2", MAGIC1, 672274794, RB_POWER_OFF);
	bad(__LINE__, "bad magic2 0", MAGIC1, 0, RB_HALT_SYSTEM);
	bad(__LINE__, "good magic, unknown cmd", MAGIC1, MAGIC2, 0x12345678);
	bad(__LINE__, "magic2 85072278, unknown cmd", MAGIC1, 85072278, 1);
	bad(__LINE__, "magic2 369367448, unknown cmd", MAGIC1, 369367448, 2);
	bad(__LINE__, "magic2 537993216, unknown cmd", MAGIC1, 537993216, 3);
	return contract_end();
}
