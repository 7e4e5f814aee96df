/* reboot(2) as /init: Ctrl-Alt-Del off and on answer 0, then the command
 * named by argv[1] ("restart", "halt", else power off) ends the machine:
 * nothing after it runs (ctest linux.reboot_*: QEMU must exit 0 and the
 * log say Linux's line). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "poweroff";
	int cmd = RB_POWER_OFF;

	if (strcmp(what, "restart") == 0)
		cmd = RB_AUTOBOOT;
	else if (strcmp(what, "halt") == 0)
		cmd = RB_HALT_SYSTEM;
	printf("cad off = %d\n", reboot(RB_DISABLE_CAD));
	printf("cad on = %d\n", reboot(RB_ENABLE_CAD));
	printf("reboot: %s\n", what);
	fflush(stdout);
	sync();
	reboot(cmd);
	printf("reboot returned: %s\n", strerror(errno));
	return 1;
}
