/* execve of this program (./init) with argv and envp of our choosing,
 * then in the new image: argv, envp, the auxiliary vector (AT_PAGESZ,
 * AT_RANDOM, AT_PHDR/PHENT/PHNUM against our own ELF header, AT_ENTRY,
 * AT_BASE, AT_EXECFN, AT_PLATFORM, the ids, AT_SECURE, AT_CLKTCK, a vDSO
 * at AT_SYSINFO_EHDR) and the stack layout at entry. exec_static_pie.c
 * builds the same as a static PIE, loaded at a base of the kernel's
 * choosing. */
#include "contract.h"
#include <elf.h>
#ifndef TEST_NAME
#define TEST_NAME "exec_args_auxv"
#define WANT_PIE 0
#endif
#include <sys/auxv.h>

extern char **environ;
extern const Elf64_Ehdr __ehdr_start;
extern void _start(void);

static void stage2(int argc, char **argv)
{
	VAL(argc, 5);
	TRUE(strcmp(argv[0], "first") == 0);
	TRUE(strcmp(argv[1], "stage2") == 0);
	TRUE(strcmp(argv[2], "") == 0);
	TRUE(strcmp(argv[3], "with space") == 0);
	TRUE(strlen(argv[4]) == 3000 && argv[4][2999] == 'L');
	TRUE(argv[5] == NULL);
	int n = 0;
	while (environ[n])
		n++;
	VAL(n, 3);
	TRUE(n == 3 && strcmp(environ[0], "A=1") == 0 && strcmp(environ[1], "EMPTY=") == 0 &&
	     strcmp(environ[2], "B=two") == 0);
	/* The kernel's layout: argc, argv, NULL, envp, NULL, auxv. */
	TRUE(environ == argv + argc + 1);
	TRUE((uintptr_t)(argv - 1) % 16 == 0); /* where argc sat: rsp at entry */
	TRUE(((long *)argv)[-1] == argc);
	Elf64_auxv_t *aux = (Elf64_auxv_t *)(environ + n + 1);
	int count = 0, last_null = 0;
	for (; aux[count].a_type != AT_NULL; count++)
		;
	last_null = aux[count].a_type == AT_NULL;
	TRUE(count > 10 && last_null);

	VAL(getauxval(AT_PAGESZ), 4096);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	TRUE(rnd != NULL);
	int nonzero = 0;
	for (int i = 0; i < 16 && rnd; i++)
		nonzero |= rnd[i];
	TRUE(nonzero);
	const Elf64_Ehdr *eh = &__ehdr_start;
	VAL(eh->e_type, WANT_PIE ? ET_DYN : ET_EXEC);
	TRUE(getauxval(AT_PHDR) == (unsigned long)eh + eh->e_phoff);
	/* The load bias: where the segment holding the ELF header was put,
	 * less its link address (0 for a fixed-address program). */
	const Elf64_Phdr *phdrs = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long bias = 1;
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (phdrs[i].p_type == PT_LOAD && phdrs[i].p_offset == 0)
			bias = (unsigned long)eh - phdrs[i].p_vaddr;
	if (WANT_PIE)
		TRUE(bias % 4096 == 0 && bias >= 0x10000);
	else
		VAL(bias, 0);
	VAL(getauxval(AT_PHENT), sizeof(Elf64_Phdr));
	VAL(getauxval(AT_PHNUM), eh->e_phnum);
	TRUE(getauxval(AT_ENTRY) == (unsigned long)_start);
	TRUE(getauxval(AT_ENTRY) == bias + eh->e_entry);
	VAL(getauxval(AT_BASE), 0);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	TRUE(fn && strcmp(fn, "./init") == 0);
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	TRUE(plat && strcmp(plat, "x86_64") == 0);
	TRUE(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid());
	TRUE(getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid());
	VAL(getauxval(AT_SECURE), 0);
	VAL(getauxval(AT_CLKTCK), 100);
	TRUE(getauxval(AT_HWCAP) != 0);
	const unsigned char *vdso = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	TRUE(vdso && memcmp(vdso, ELFMAG, SELFMAG) == 0);
	TRUE(vdso && ((const Elf64_Ehdr *)vdso)->e_type == ET_DYN);
	/* The program headers AT_PHDR names are ours: a PT_LOAD covers the entry. */
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	int covered = 0;
	for (unsigned i = 0; i < getauxval(AT_PHNUM); i++)
		covered |= ph[i].p_type == PT_LOAD && eh->e_entry >= ph[i].p_vaddr &&
			   eh->e_entry < ph[i].p_vaddr + ph[i].p_memsz && (ph[i].p_flags & PF_X);
	TRUE(covered);
}

int main(int argc, char **argv)
{
	static char long_arg[3001];
	contract_begin(TEST_NAME);
	if (argc > 1 && strcmp(argv[1], "stage2") == 0) {
		stage2(argc, argv);
		return contract_end();
	}
	TRUE(strcmp(argv[0], "/init") == 0);
	memset(long_arg, 'L', 3000);
	char *args[] = { "first", "stage2", "", "with space", long_arg, NULL };
	char *env[] = { "A=1", "EMPTY=", "B=two", NULL };
	printf("exec\n");
	execve("./init", args, env);
	contract_fail(__LINE__, "execve: %s", errno_name(errno));
	return contract_end();
}
