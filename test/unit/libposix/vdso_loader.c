/*
 * Start a static (non-PIE) Linux binary in this process the way a kernel
 * would, with our vDSO named in AT_SYSINFO_EHDR: its PT_LOAD segments at
 * their addresses, a stack with argc, argv, envp and auxv, then a jump
 * to its entry. The vDSO image (argv[1]) sits one page after a fake
 * clock page, as proc maps them: 1 "ns" per TSC cycle, zero 7 s worth of
 * cycles ago, CLOCK_REALTIME's base 1700000000 s. The program's system
 * calls go to the host kernel; it never comes back here.
 *
 * Usage: vdso_loader VDSO_SO PROGRAM
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "posix/layout.h"
#include "tern/clock.h"

#define PAGE 4096ul
#define STACK_SIZE (1ul << 20)

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc(*size);
	if (!b || fread(b, 1, *size, f) != *size)
		return NULL;
	fclose(f);
	return b;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int prot_of(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

int main(int argc, char **argv)
{
	size_t vsize, psize;
	uint8_t *vdso = argc == 3 ? read_file(argv[1], &vsize) : NULL;
	uint8_t *prog = argc == 3 ? read_file(argv[2], &psize) : NULL;

	if (!vdso || !prog || vsize > POSIX_VDSO_MAX_PAGES * PAGE) {
		fprintf(stderr, "usage: %s VDSO_SO PROGRAM\n", argv[0]);
		return 2;
	}
	/* The clock page, then the vDSO. */
	uint8_t *area = mmap(NULL, (1 + POSIX_VDSO_MAX_PAGES) * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return 2;
	struct tern_clock_page *cp = (void *)area;
	cp->mult = 1ull << 32;
	cp->shift = 32;
	cp->tsc_base = rdtsc() - 7000000000ull;
	cp->realtime_base = 1700000000ull * 1000000000ull;
	memcpy(area + PAGE, vdso, vsize);
	mprotect(area, PAGE, PROT_READ);
	mprotect(area + PAGE, POSIX_VDSO_MAX_PAGES * PAGE, PROT_READ | PROT_EXEC);

	/* The program's segments. */
	const Elf64_Ehdr *eh = (const void *)prog;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_EXEC)
		return 2;
	uint64_t phdr = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const void *)(prog + eh->e_phoff + i * eh->e_phentsize);
		if (ph->p_type != PT_LOAD)
			continue;
		uint64_t start = ph->p_vaddr & ~(PAGE - 1);
		uint64_t end = (ph->p_vaddr + ph->p_memsz + PAGE - 1) & ~(PAGE - 1);
		if (mmap((void *)start, end - start, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)start)
			return 2;
		memcpy((void *)ph->p_vaddr, prog + ph->p_offset, ph->p_filesz);
		if (ph->p_offset == 0)
			phdr = ph->p_vaddr + eh->e_phoff;
		mprotect((void *)start, end - start, prot_of(ph->p_flags));
	}
	/* The stack: argc, argv, envp, auxv, as Linux lays it out. */
	uint8_t *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return 2;
	char *name = (char *)stack + STACK_SIZE - 64;
	strcpy(name, "vdso_musl_prog");
	uint8_t *random = stack + STACK_SIZE - 128;
	for (int i = 0; i < 16; i++)
		random[i] = (uint8_t)(rdtsc() >> (i % 8));
	uint64_t *sp = (uint64_t *)(stack + STACK_SIZE - 4096);
	uint64_t *p = sp;
	*p++ = 1;
	*p++ = (uint64_t)name;
	*p++ = 0;
	*p++ = 0; /* no environment */
	const uint64_t aux[][2] = {
		{ AT_PHDR, phdr },
		{ AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, eh->e_phnum },
		{ AT_PAGESZ, PAGE },
		{ AT_ENTRY, eh->e_entry },
		{ AT_RANDOM, (uint64_t)random },
		{ AT_SYSINFO_EHDR, (uint64_t)(area + PAGE) },
		{ AT_NULL, 0 },
	};
	memcpy(p, aux, sizeof(aux));
	fflush(stdout);
	__asm__ volatile("mov %0, %%rsp\n"
			 "xor %%edx, %%edx\n"
			 "xor %%ebp, %%ebp\n"
			 "jmp *%1\n"
			 :
			 : "r"(sp), "r"(eh->e_entry)
			 : "memory");
	__builtin_unreachable();
}
