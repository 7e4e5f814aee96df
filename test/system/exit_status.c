/* pid 1 exits with the status given as argv[1]: the system says so and
 * QEMU ends, successfully only for 0. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int code = argc > 1 ? atoi(argv[1]) : 0;
	printf("init exits with %d\n", code);
	return code;
}
