/* brk (the raw call: musl's brk() refuses without asking): the initial
 * break is page aligned, grows and shrinks to the exact value asked,
 * new memory is zero, memory given back and taken again is zero again,
 * and a request it cannot meet returns the old break. */
#include "contract.h"

static char *sys_brk(void *p)
{
	return (char *)syscall(SYS_brk, p);
}

static int all(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

int main(void)
{
	contract_begin("mm_brk");

	char *start = sys_brk(0);
	TRUE(start != NULL && (uintptr_t)start % 4096 == 0);
	TRUE(sys_brk(0) == start);
	char *want = start + 3 * 4096 + 100;
	TRUE(sys_brk(want) == want);
	TRUE(sys_brk(0) == want);
	TRUE(all(start, want - start, 0));
	memset(start, 0xaa, want - start);
	/* The rest of the last page is usable too (the mapping is whole pages). */
	want[10] = 1;

	/* Shrink to a page, grow again: the pages given back are zero. */
	TRUE(sys_brk(start + 4096) == start + 4096);
	TRUE(all(start, 4096, (char)0xaa));
	TRUE(sys_brk(start + 3 * 4096) == start + 3 * 4096);
	TRUE(all(start + 4096, 2 * 4096, 0));
	TRUE(all(start, 4096, (char)0xaa));

	/* Below the start, or absurdly high: refused, the break unchanged. */
	char *now = sys_brk(0);
	TRUE(sys_brk(start - 4096 * 1000) == now);
	TRUE(sys_brk((void *)1) == now);
	TRUE(sys_brk((void *)0x7ffffffff000) == now);
	TRUE(sys_brk((void *)-4096l) == now);
	TRUE(sys_brk(0) == now);

	/* A big step: 16 MiB, touched at each page. */
	char *big = now + (16 << 20);
	TRUE(sys_brk(big) == big);
	int zero = 1;
	for (char *p = now; p < big; p += 4096) {
		zero &= *p == 0;
		*p = 1;
	}
	TRUE(zero);
	TRUE(sys_brk(start) == start);
	TRUE(sys_brk(0) == start);
	return contract_end();
}
