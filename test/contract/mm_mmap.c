/* Anonymous mmap: zero fill, MAP_FIXED replacing part of a mapping,
 * MAP_FIXED_NOREPLACE, munmap of a middle page, MAP_SHARED, big
 * mappings, and the errors. */
#include "contract.h"
#include <sys/mman.h>

#define PG 4096

static int all(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static int readable(const void *p)
{
	/* A write to a pipe reads the buffer: EFAULT when it is not mapped. */
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	long r = write(fds[1], p, 1);
	close(fds[0]);
	close(fds[1]);
	return r == 1;
}

int main(void)
{
	contract_begin("mm_mmap");

	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(p != MAP_FAILED && (uintptr_t)p % PG == 0);
	TRUE(all(p, 3 * PG, 0));
	memset(p, 'a', 3 * PG);

	/* MAP_FIXED over the middle page: a fresh zero page there only. */
	char *q = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	TRUE(q == p + PG);
	TRUE(all(p, PG, 'a') && all(p + PG, PG, 0) && all(p + 2 * PG, PG, 'a'));
	/* MAP_FIXED_NOREPLACE refuses a used range... */
	q = mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	TRUE(q == MAP_FAILED && errno == EEXIST);
	q = mmap(p, 3 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	TRUE(q == MAP_FAILED && errno == EEXIST);
	/* ...and takes a free one. */
	VAL(munmap(p + PG, PG), 0);
	TRUE(!readable(p + PG) && readable(p) && readable(p + 2 * PG));
	TRUE(all(p, PG, 'a') && all(p + 2 * PG, PG, 'a'));
	q = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	TRUE(q == p + PG);
	TRUE(all(q, PG, 0));
	/* munmap of a range with holes, or of nothing mapped, is fine. */
	VAL(munmap(p, 3 * PG), 0);
	VAL(munmap(p, 3 * PG), 0);
	TRUE(!readable(p) && !readable(p + 2 * PG));

	/* A hint is only a hint; without MAP_FIXED a busy hint moves. */
	char *a = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *b = mmap(a, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(a != MAP_FAILED && b != MAP_FAILED && a != b);
	VAL(munmap(a, PG), 0);
	VAL(munmap(b, PG), 0);

	/* Shared anonymous memory, MAP_POPULATE, MAP_NORESERVE, MAP_STACK. */
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TRUE(s != MAP_FAILED && all(s, 2 * PG, 0));
	s[PG] = 1;
	VAL(munmap(s, 2 * PG), 0);
	s = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE | MAP_STACK, -1, 0);
	TRUE(s != MAP_FAILED && all(s, 4 * PG, 0));
	VAL(munmap(s, 4 * PG), 0);

	/* 64 MiB, every page touched; a length that is not page-sized. */
	size_t n = 64 << 20;
	char *big = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(big != MAP_FAILED);
	int zero = 1;
	for (size_t i = 0; i < n; i += PG) {
		zero &= big[i] == 0 && big[i + PG - 1] == 0;
		big[i] = 1;
	}
	TRUE(zero);
	VAL(munmap(big, n), 0);
	char *odd = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(odd != MAP_FAILED);
	odd[PG - 1] = 1; /* the whole page is there */
	VAL(munmap(odd, 100), 0);
	TRUE(!readable(odd));

	/* Errors. */
	errno = 0;
	TRUE(mmap(NULL, (size_t)1 << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
		     MAP_FAILED &&
	     errno == ENOMEM);
	ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 77, 0), EBADF);
	int dfd = VAL(open(".", O_RDONLY | O_DIRECTORY), 3);
	ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV);
	VAL(close(dfd), 0);
	int pp[2];
	VAL(pipe(pp), 0);
	ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pp[0], 0), ENODEV);
	VAL(close(pp[0]), 0);
	VAL(close(pp[1]), 0);
	ERR(syscall(SYS_munmap, 0x10000001, PG), EINVAL);
	return contract_end();
}
