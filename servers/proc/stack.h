/*
 * The initial Linux stack of a new process, laid out exactly as Linux's
 * exec lays it out (fs/exec.c, fs/binfmt_elf.c create_elf_tables), from
 * the top of the stack down:
 *   8 zero bytes at the very top
 *   the AT_EXECFN string, then above it... (lowest first in memory):
 *   argv strings, envp strings, the execfn string, the zero word
 *   a random gap (arch_align_stack: < 8 KiB, then 16-byte aligned)
 *   the AT_PLATFORM string "x86_64"
 *   the 16 AT_RANDOM bytes
 *   (16-byte aligned) argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL
 * Pure: it writes into a buffer that stands for the top of the stack
 * [top - size, top) and reports the initial rsp; the host tests run it.
 */
#ifndef PROC_STACK_H
#define PROC_STACK_H

#include <stddef.h>
#include <stdint.h>

struct stack_image {
	/* argc strings then envc strings, each NUL-terminated, back to back */
	const char *strings;
	size_t strings_len;
	uint64_t argc, envc;
	const char *execfn; /* AT_EXECFN (the path given to execve) */
	uint8_t random[16]; /* AT_RANDOM's bytes */
	uint64_t align_gap; /* arch_align_stack's random part, < 8192 */

	/* auxv values */
	uint64_t vdso; /* AT_SYSINFO_EHDR, 0 = none */
	uint64_t minsigstksz;
	uint64_t hwcap, hwcap2;
	uint64_t phdr, phent, phnum;
	uint64_t base, entry;
};

#define STACK_E2BIG (-1)  /* does not fit in the buffer */
#define STACK_EINVAL (-2) /* the strings do not hold argc + envc NUL-terminated strings */

#define STACK_AUXV_MAX 24 /* pairs, AT_NULL included */

/*
 * Builds the stack into buf, which is mapped at [top - size, top) in the
 * new process (top page aligned). Returns 0 and *rsp, or a STACK_E* code.
 */
int stack_build(void *buf, size_t size, uint64_t top, const struct stack_image *img, uint64_t *rsp);

#endif
