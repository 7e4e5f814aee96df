/* What the kernel hands pid 1: argv and the environment, from the
 * command line's words (Linux: init/main.c, unknown_bootoption and
 * everything after "--"). Printed in order, so a difference in either
 * shows in the comparison of the outputs. */
#include <stdio.h>

extern char **environ;

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	for (int i = 0; environ[i]; i++)
		printf("envp[%d] = \"%s\"\n", i, environ[i]);
	printf("CONTRACT init_args: ok\n");
	return 0;
}
