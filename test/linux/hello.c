/* The hello world of the "same output on Linux and tern" test: a static
 * musl program, packed as /init, run on the host, on Debian's Linux and
 * on tern. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
