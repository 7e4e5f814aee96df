/* madvise(MADV_DONTNEED) keeps what a shared mapping holds: the next
 * touch sees the shared pages again (shared anonymous memory, a shared
 * file mapping), while private anonymous memory reads zeros. Found by
 * the syscall fuzzer (test/robust): a disposable child's DONTNEED over
 * shared memory gave it fresh zero pages, cut off from its parent's. */
#include "contract.h"
#include <sys/mman.h>

#define PG 4096

int main(void)
{
	int st;
	contract_begin("mm_madvise_shared");

	char *sh = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *pr = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(sh != MAP_FAILED && pr != MAP_FAILED);
	memset(sh, 's', 2 * PG);
	memset(pr, 'p', PG);
	VAL(madvise(sh, 2 * PG, MADV_DONTNEED), 0);
	VAL(madvise(pr, PG, MADV_DONTNEED), 0);
	VAL(sh[0], 's');
	VAL(sh[PG + 7], 's');
	VAL(pr[0], 0);

	/* Still shared with a child after the DONTNEED, both ways. */
	pid_t c = fork();
	if (c == 0) {
		madvise(sh, 2 * PG, MADV_DONTNEED);
		int ok = sh[1] == 's';
		sh[2] = 'c';
		_exit(ok ? 0 : 1);
	}
	TRUE(waitpid(c, &st, 0) == c);
	VAL(st, 0);
	VAL(sh[2], 'c');
	sh[3] = 'P';
	VAL(madvise(sh, PG, MADV_DONTNEED), 0);
	VAL(sh[3], 'P');

	/* A shared file mapping: the file's bytes, through the mapping too. */
	int fd = VAL(open("madv.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644), 3);
	VAL(ftruncate(fd, PG), 0);
	char *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TRUE(f != MAP_FAILED);
	f[10] = 'f';
	VAL(madvise(f, PG, MADV_DONTNEED), 0);
	VAL(f[10], 'f');
	char b = 0;
	VAL(pread(fd, &b, 1, 10), 1);
	VAL(b, 'f');
	VAL(munmap(f, PG), 0);
	VAL(close(fd), 0);
	VAL(unlink("madv.tmp"), 0);
	return contract_end();
}
