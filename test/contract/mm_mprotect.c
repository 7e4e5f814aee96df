/* mprotect and what the kernel sees through it (a read into a read-only
 * page, a write from a PROT_NONE page: EFAULT), madvise(DONTNEED), and
 * the errors. No faults are taken: the checks go through syscalls. */
#include "contract.h"
#include <sys/mman.h>

#define PG 4096

int main(void)
{
	contract_begin("mm_mprotect");

	/* A write to a pipe reads the buffer (/dev/null would not look). */
	int pp[2];
	VAL(pipe(pp), 0);
	int nul = pp[1];
	int src = VAL(open("hello.txt", O_RDONLY), 5);
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(p != MAP_FAILED);
	memset(p, 'x', 4 * PG);

	VAL(mprotect(p + PG, PG, PROT_READ), 0);
	TRUE(p[PG] == 'x');
	ERR(pread(src, p + PG, 5, 0), EFAULT); /* the kernel may not write it */
	VAL(pread(src, p, 5, 0), 5);
	VAL(pread(src, p + 2 * PG, 5, 0), 5);
	VAL(write(nul, p + PG, 10), 10); /* reading is fine */
	VAL(mprotect(p + PG, PG, PROT_NONE), 0);
	ERR(write(nul, p + PG, 10), EFAULT);
	VAL(write(nul, p + 2 * PG, 10), 10);
	VAL(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0);
	p[PG] = 'y'; /* writable again; the data survived */
	TRUE(p[PG + 1] == 'x');
	VAL(mprotect(p, 4 * PG, PROT_READ | PROT_WRITE | PROT_EXEC), 0);
	VAL(mprotect(p, 0, PROT_READ), 0);

	/* madvise(MADV_DONTNEED) on private anonymous memory: zero again. */
	VAL(madvise(p + 3 * PG, PG, MADV_DONTNEED), 0);
	TRUE(p[3 * PG] == 0 && p[4 * PG - 1] == 0 && p[2 * PG + 100] == 'x');
	VAL(madvise(p, PG, MADV_WILLNEED), 0);

	/* munmap a middle page: the kernel sees the hole. */
	VAL(munmap(p + 2 * PG, PG), 0);
	ERR(write(nul, p + 2 * PG, 1), EFAULT);
	VAL(write(nul, p + 3 * PG, 1), 1);
	ERR(mprotect(p, 4 * PG, PROT_READ), ENOMEM); /* the range has a hole */
	ERR(mprotect(p + 2 * PG, PG, PROT_READ), ENOMEM);
	ERR(syscall(SYS_mprotect, p + 1, PG, PROT_READ), EINVAL);
	ERR(mprotect(p, PG, 0x1000000), EINVAL);
	/* The part before the hole was changed all the same (Linux). */
	ERR(pread(src, p, 1, 0), EFAULT);
	VAL(pread(src, p + 3 * PG, 1, 0), 1);
	VAL(munmap(p, 4 * PG), 0);
	ERR(write(nul, p, 1), EFAULT);
	ERR(write(nul, p + 3 * PG, 1), EFAULT);
	VAL(close(nul), 0);
	VAL(close(pp[0]), 0);
	VAL(close(src), 0);
	return contract_end();
}
