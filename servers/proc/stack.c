/*
 * The Linux initial stack (stack.h). Everything is written downwards from
 * the top with bounds checks against the buffer, so a hostile argument
 * list can only make it fail with STACK_E2BIG.
 */
#include "stack.h"

#include "posix/auxv.h"

#define PLATFORM "x86_64"

struct cursor {
	uint8_t *buf;
	uint64_t base; /* the vaddr of buf[0] */
	uint64_t sp;   /* the next free byte is below sp */
};

static int push_bytes(struct cursor *c, const void *src, size_t n)
{
	if (n > c->sp - c->base)
		return STACK_E2BIG;
	c->sp -= n;
	__builtin_memcpy(c->buf + (c->sp - c->base), src, n);
	return 0;
}

static void put_word(struct cursor *c, uint64_t vaddr, uint64_t w)
{
	__builtin_memcpy(c->buf + (vaddr - c->base), &w, 8);
}

/* The length of the string at s (NUL excluded), or -1 beyond end. */
static long str_len(const char *s, const char *end)
{
	for (const char *p = s; p < end; p++)
		if (*p == 0)
			return p - s;
	return -1;
}

static unsigned auxv_fill(const struct stack_image *img, uint64_t u_platform, uint64_t u_random,
			  uint64_t u_execfn, uint64_t aux[][2])
{
	unsigned n = 0;
#define AUX(t, v)                \
	do {                     \
		aux[n][0] = (t); \
		aux[n][1] = (v); \
		n++;             \
	} while (0)
	/* ARCH_DLINFO first, then create_elf_tables's order. */
	if (img->vdso)
		AUX(AT_SYSINFO_EHDR, img->vdso);
	AUX(AT_MINSIGSTKSZ, img->minsigstksz);
	AUX(AT_HWCAP, img->hwcap);
	AUX(AT_PAGESZ, 4096);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, img->phdr);
	AUX(AT_PHENT, img->phent);
	AUX(AT_PHNUM, img->phnum);
	AUX(AT_BASE, img->base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, u_random);
	AUX(AT_HWCAP2, img->hwcap2);
	AUX(AT_EXECFN, u_execfn);
	AUX(AT_PLATFORM, u_platform);
	AUX(AT_NULL, 0);
#undef AUX
	return n;
}

int stack_build(void *buf, size_t size, uint64_t top, const struct stack_image *img, uint64_t *rsp)
{
	struct cursor c = { .buf = buf, .base = top - size, .sp = top };
	const char *end = img->strings + img->strings_len;
	uint64_t aux[STACK_AUXV_MAX][2], zero = 0;
	uint64_t nstr = img->argc + img->envc;
	long execfn_len;
	int err;

	if (img->argc > img->strings_len || img->envc > img->strings_len - img->argc)
		return STACK_EINVAL;
	execfn_len = str_len(img->execfn, img->execfn + 4096);
	if (execfn_len < 0)
		return STACK_EINVAL;
	/* The strings: the zero word, execfn, then envp and argv in one block. */
	err = push_bytes(&c, &zero, 8);
	if (!err)
		err = push_bytes(&c, img->execfn, (size_t)execfn_len + 1);
	uint64_t u_execfn = c.sp;
	if (!err)
		err = push_bytes(&c, img->strings, img->strings_len);
	if (err)
		return err;
	uint64_t u_strings = c.sp;
	/* arch_align_stack: a random gap, then 16-byte alignment. */
	if (img->align_gap % 8192 > c.sp - c.base)
		return STACK_E2BIG;
	c.sp = (c.sp - img->align_gap % 8192) & ~15ul;
	if (c.sp < c.base)
		return STACK_E2BIG;
	err = push_bytes(&c, PLATFORM, sizeof(PLATFORM));
	uint64_t u_platform = c.sp;
	if (!err)
		err = push_bytes(&c, img->random, 16);
	if (err)
		return err;
	uint64_t u_random = c.sp;

	unsigned naux = auxv_fill(img, u_platform, u_random, u_execfn, aux);
	uint64_t items = 1 + (nstr + 2) + naux * 2;
	if (items > (c.sp - c.base) / 8)
		return STACK_E2BIG;
	uint64_t sp = (c.sp - items * 8) & ~15ul;
	if (sp < c.base)
		return STACK_E2BIG;

	/* argc, the pointers, auxv. */
	uint64_t p = sp;
	put_word(&c, p, img->argc);
	p += 8;
	const char *s = img->strings;
	for (uint64_t i = 0; i < nstr; i++) {
		long len = str_len(s, end);
		if (len < 0)
			return STACK_EINVAL;
		put_word(&c, p, u_strings + (uint64_t)(s - img->strings));
		p += 8;
		s += len + 1;
		if (i + 1 == img->argc) {
			put_word(&c, p, 0);
			p += 8;
		}
	}
	if (img->argc == 0) {
		put_word(&c, p, 0);
		p += 8;
	}
	put_word(&c, p, 0); /* envp's NULL */
	p += 8;
	for (unsigned i = 0; i < naux; i++) {
		put_word(&c, p, aux[i][0]);
		put_word(&c, p + 8, aux[i][1]);
		p += 16;
	}
	*rsp = sp;
	return 0;
}
