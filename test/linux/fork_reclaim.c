/* A dead process's memory all comes back: after a warm-up, 400 rounds of
 * fork, a child that writes to the stack, the heap and one page of a
 * region of 2 MiB pages (so the kernel splits a shared 2 MiB page and
 * copies 4 KiB), _exit and wait leave sysinfo's freeram where it was,
 * give or take the allocator's caches (SLACK). A leak of one page a
 * round would be 1.6 MiB. Runs as /init on tern only (no host run: a
 * host's free memory moves with everything else running there). */
#include "contract.h"
#include <sys/mman.h>
#include <sys/sysinfo.h>

#define REGION (4ul << 20)
#define PAGE 4096ul
#define ROUNDS 400
#define SLACK (512ul << 10)

static unsigned long free_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0) {
		contract_fail(__LINE__, "sysinfo: %s", errno_name(errno));
		return 0;
	}
	return si.freeram * si.mem_unit;
}

static void round_trip(volatile unsigned char *region, unsigned i)
{
	pid_t pid = fork();
	if (pid < 0) {
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
		return;
	}
	if (pid == 0) {
		volatile char stack[64];
		char *heap = malloc(100);
		stack[0] = (char)i;
		if (heap)
			heap[0] = stack[0];
		region[(i * 7 % (REGION / PAGE)) * PAGE] = (unsigned char)i;
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || st != 0)
		contract_fail(__LINE__, "round %u: child status %d", i, st);
	/* The parent splits its own side now and then too. */
	if (i % 50 == 0)
		region[(i * 13 % (REGION / PAGE)) * PAGE + 8] = 2;
}

int main(void)
{
	contract_begin("fork_reclaim");
	/* 2 MiB aligned inside a larger mapping, so mm's 2 MiB pages fit. */
	unsigned char *map = mmap(NULL, REGION + (2ul << 20), PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return contract_end();
	volatile unsigned char *region =
		(unsigned char *)(((uintptr_t)map + (2ul << 20) - 1) & ~((2ul << 20) - 1));
	for (unsigned long o = 0; o < REGION; o += PAGE)
		region[o] = 1;
	for (unsigned i = 0; i < 50; i++)
		round_trip(region, i);
	unsigned long before = free_bytes();
	for (unsigned i = 50; i < 50 + ROUNDS; i++)
		round_trip(region, i);
	unsigned long after = free_bytes();
	printf("freeram back after %u forks: %s\n", ROUNDS, after + SLACK >= before ? "yes" : "no");
	if (after + SLACK < before)
		contract_fail(__LINE__, "freeram %lu before, %lu after: %lu KiB lost", before,
			      after, (before - after) >> 10);
	return contract_end();
}
