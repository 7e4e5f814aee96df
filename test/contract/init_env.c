/* What pid 1 starts with when the command line has no words for it:
 * argv ["/init"], the environment HOME=/ TERM=linux, fds 0-2 open and
 * nothing else, umask 022, root's ids. */
#include "contract.h"

extern char **environ;

int main(int argc, char **argv)
{
	contract_begin("init_env");

	VAL(argc, 1);
	TRUE(strcmp(argv[0], "/init") == 0);
	int n = 0;
	while (environ[n])
		printf("env: %s\n", environ[n++]);
	VAL(n, 2);
	TRUE(getenv("HOME") && strcmp(getenv("HOME"), "/") == 0);
	TRUE(getenv("TERM") && strcmp(getenv("TERM"), "linux") == 0);
	VAL(fcntl(0, F_GETFD), 0);
	VAL(fcntl(1, F_GETFD), 0);
	VAL(fcntl(2, F_GETFD), 0);
	int open_above = 0;
	for (int fd = 3; fd < 64; fd++)
		open_above += fcntl(fd, F_GETFD) != -1;
	VAL(open_above, 0);
	VAL(umask(022), 022);
	VAL(getuid(), 0);
	VAL(geteuid(), 0);
	VAL(getgid(), 0);
	VAL(getegid(), 0);
	/* stdout works: this line is the proof. */
	VAL(write(1, "written to fd 1\n", 16), 16);
	return contract_end();
}
