/* The Linux side of the server-fault tests (robust.fault_*; the fault
 * itself is injected by root: `tern.fault=NAME:MS`). argv[1]:
 *   tty      read the console (a call the console driver holds when it
 *            dies), then write: the restarted driver serves both (the
 *            read is restarted against it and gets the typed "x")
 *   pipe     wait in a pipe read that vfs holds, forever: vfs dies and
 *            the machine must stop with a failure status, not hang
 *   sleep    sleep, then exit 0 (mm and proc die meanwhile) */
#include "robust.h"

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "sleep";
	char c = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "tty")) {
		printf("fault_client: reading the console\n");
		long r = read(0, &c, 1);
		printf("read across the console's restart: %ld %s\n", r,
		       r < 0 ? errno_name(errno) : (c == 'x' ? "x" : "?"));
		for (int i = 0; i < 3; i++)
			printf("write %d after the restart: %ld\n", i, write(1, "line\n", 5));
		return r == 1 && c == 'x' ? 0 : 1;
	}
	if (!strcmp(mode, "pipe")) {
		int p[2];
		if (pipe(p))
			return 2;
		printf("fault_client: waiting in a pipe read\n");
		long r = read(p[0], &c, 1);
		printf("pipe read returned %ld\n", r);
		return 3;
	}
	printf("fault_client: sleeping\n");
	robust_sleep_ms(5000);
	printf("fault_client: slept\n");
	return 4;
}
