/* fork(2) of a process that maps a file: the child sees the mapping's
 * contents; a write through a MAP_SHARED mapping in the child reaches the
 * parent's mapping and the file; a write through a MAP_PRIVATE one stays
 * the child's. (A file's object reached mm through libposix's slot, whose
 * delete revoked mm's copy: every such fork failed.) */
#include "contract.h"
#include <sys/mman.h>

int main(void)
{
	char buf[8192];
	int st;
	contract_begin("mmap_file_fork");

	int fd = open("mff.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
	TRUE(fd >= 0);
	memset(buf, 'q', sizeof(buf));
	VAL(write(fd, buf, sizeof(buf)), 8192);
	char *sh = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *pr = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	TRUE(sh != MAP_FAILED && pr != MAP_FAILED);

	pid_t c = fork();
	if (c == 0) {
		if (sh[4096] != 'q' || pr[4096] != 'q')
			_exit(1);
		sh[10] = 'S';
		pr[20] = 'P';
		_exit(0);
	}
	TRUE(c > 0);
	TRUE(waitpid(c, &st, 0) == c);
	VAL(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	VAL(sh[10], 'S');
	VAL(pr[20], 'q');
	char b = 0;
	VAL(pread(fd, &b, 1, 10), 1);
	VAL(b, 'S');
	VAL(pread(fd, &b, 1, 20), 1);
	VAL(b, 'q');

	/* Twice more, with the fd closed and one mapping gone. */
	VAL(close(fd), 0);
	VAL(munmap(pr, 8192), 0);
	for (int i = 0; i < 2; i++) {
		c = fork();
		if (c == 0)
			_exit(sh[10] == 'S' && sh[8191] == 'q' ? 0 : 1);
		TRUE(c > 0);
		TRUE(waitpid(c, &st, 0) == c);
		VAL(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	}
	VAL(munmap(sh, 8192), 0);
	VAL(unlink("mff.tmp"), 0);
	return contract_end();
}
