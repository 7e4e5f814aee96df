/* fork and copy-on-write: after fork the parent's and the child's
 * memory diverge page by page: .data, .bss, the heap, the stack and a
 * 64 MiB anonymous mapping in which every page is written by both sides
 * (checked by checksums of every page's first and last word), while a
 * MAP_SHARED mapping stays shared. The child's pid, getppid and the
 * return values of fork. Pipes order the two sides. */
#include "contract.h"
#include <sys/mman.h>

#define BIG (64ul << 20)
#define PAGE 4096ul
#define NPAGES (BIG / PAGE)

static long data_word = 1;
static long bss_word;

static void fill(unsigned char *p, uint64_t mul, uint64_t add)
{
	for (size_t i = 0; i < NPAGES; i++) {
		uint64_t *w = (uint64_t *)(p + i * PAGE);
		w[0] = i * mul + add;
		w[PAGE / 8 - 1] = ~(i * mul + add);
	}
}

/* 1 when every page holds what fill(mul, add) wrote. */
static int holds(const unsigned char *p, uint64_t mul, uint64_t add)
{
	uint64_t sum = 0, want = 0;
	for (size_t i = 0; i < NPAGES; i++) {
		const uint64_t *w = (const uint64_t *)(p + i * PAGE);
		sum += w[0] * 31 + (w[PAGE / 8 - 1] ^ 0x5555);
		want += (i * mul + add) * 31 + (~(i * mul + add) ^ 0x5555);
	}
	return sum == want;
}

static void put(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		contract_fail(__LINE__, "write: %s", errno_name(errno));
}

static char get(int fd)
{
	char c = 0;
	if (read(fd, &c, 1) != 1)
		contract_fail(__LINE__, "read: %s", errno_name(errno));
	return c;
}

int main(void)
{
	int to_child[2], to_parent[2];
	long stack_word = 10;
	contract_begin("fork_cow");

	unsigned char *big =
		mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long *heap = malloc(64 * 1024);
	TRUE(big != MAP_FAILED && shared != MAP_FAILED && heap != NULL);
	if (big == MAP_FAILED || shared == MAP_FAILED || !heap)
		return contract_end();
	fill(big, 3, 1);
	*shared = 100;
	heap[0] = 20;
	heap[8191] = 21;
	bss_word = 30;
	TRUE(holds(big, 3, 1));
	VAL(pipe(to_child), 0);
	VAL(pipe(to_parent), 0);

	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		printf("child: fork() = 0\n");
		TRUE(getpid() != parent);
		TRUE(getppid() == parent);
		TRUE(holds(big, 3, 1));
		TRUE(data_word == 1 && bss_word == 30 && stack_word == 10);
		TRUE(heap[0] == 20 && heap[8191] == 21 && *shared == 100);
		fill(big, 7, 2);
		data_word = 2;
		bss_word = 31;
		stack_word = 11;
		heap[0] = 22;
		heap[8191] = 23;
		*shared = 101;
		printf("child: wrote every page\n");
		put(to_parent[1], 'w');
		get(to_child[0]); /* the parent wrote its own */
		printf("child: after the parent's writes\n");
		TRUE(holds(big, 7, 2));
		TRUE(data_word == 2 && bss_word == 31 && stack_word == 11);
		TRUE(heap[0] == 22 && heap[8191] == 23);
		TRUE(*shared == 102); /* the parent's write, shared */
		child_end();
	}
	if (pid < 0) {
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
		return contract_end();
	}
	get(to_parent[0]); /* nothing printed before: the child prints */
	printf("parent: after the child's writes\n");
	TRUE(holds(big, 3, 1));
	TRUE(data_word == 1 && bss_word == 30 && stack_word == 10);
	TRUE(heap[0] == 20 && heap[8191] == 21);
	TRUE(*shared == 101); /* the child's write, shared */
	fill(big, 11, 5);
	data_word = 3;
	bss_word = 32;
	stack_word = 12;
	heap[0] = 24;
	*shared = 102;
	printf("parent: wrote every page\n");
	put(to_child[1], 'p');
	WAIT(pid, 0, 0);
	TRUE(holds(big, 11, 5));
	TRUE(data_word == 3 && bss_word == 32 && stack_word == 12 && heap[0] == 24);

	/* A second child sees the parent's memory as it is now, and its
	 * exit leaves the parent's pages intact. */
	pid = fork();
	if (pid == 0) {
		TRUE(holds(big, 11, 5) && data_word == 3);
		for (size_t i = 0; i < NPAGES; i += 16) /* some pages: kept short */
			((uint64_t *)(big + i * PAGE))[0] = 0;
		child_end();
	}
	WAIT(pid, 0, 0);
	TRUE(holds(big, 11, 5));
	VAL(munmap(big, BIG), 0);
	return contract_end();
}
