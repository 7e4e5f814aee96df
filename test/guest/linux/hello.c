/*
 * The program posix_test execs last, through the script linux/script (a
 * static musl binary run in the guest): checks that argv (the script's
 * rewriting), envp and the auxiliary vector arrived as Linux lays them
 * out, and exits 0 only then (each failure its own code).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	/* exec'ed through linux/script ("#!/linux/hello  one "). */
	if (argc != 4 || strcmp(argv[0], "/linux/hello") || strcmp(argv[1], "one") ||
	    strcmp(argv[2], "/linux/script") || strcmp(argv[3], "two"))
		return 10;
	if (!getenv("K") || strcmp(getenv("K"), "v"))
		return 11;
	if (argv[argc] != NULL || environ[2] != NULL)
		return 12;
	const char *big = getenv("BIG");
	if (!big || strlen(big) != 100000 || big[0] != 'b' || big[99999] != 'b')
		return 20;
	if (getauxval(AT_PAGESZ) != 4096 || getauxval(AT_UID) != 0 || getauxval(AT_SECURE) != 0)
		return 13;
	if (!getauxval(AT_RANDOM) || !getauxval(AT_PHDR) || getauxval(AT_PHENT) != 56)
		return 14;
	if (!getauxval(AT_EXECFN) || strcmp((char *)getauxval(AT_EXECFN), "/linux/script"))
		return 15;
	if (!getauxval(AT_PLATFORM) || strcmp((char *)getauxval(AT_PLATFORM), "x86_64"))
		return 16;
	if (getauxval(AT_ENTRY) == 0 || getauxval(AT_CLKTCK) != 100)
		return 17;
	if (((unsigned long)argv - 8) & 15)
		return 18; /* argc sat at a 16-byte aligned rsp */
	if (getpid() != 1 || getppid() != 0)
		return 19;
	static const char ok[] = "hello: argv, envp and auxv as Linux lays them out\n";
	write(1, ok, sizeof(ok) - 1);
	return 0;
}
