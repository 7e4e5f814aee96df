/*
 * Linux exec's errnos for bad images (common/elf.c, elf_exec_check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/elf.h"

static uint8_t img[8192];

/* A minimal valid ET_EXEC: one R+X PT_LOAD of the whole file at 0x400000. */
static void good(void)
{
	static const unsigned char ident[7] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph = { 0 };

	memset(img, 0, sizeof(img));
	memcpy(eh.e_ident, ident, sizeof(ident));
	eh.e_type = ELF_ET_EXEC;
	eh.e_machine = ELF_EM_X86_64;
	eh.e_version = 1;
	eh.e_entry = 0x400100;
	eh.e_phoff = 64;
	eh.e_ehsize = 64;
	eh.e_phentsize = 56;
	eh.e_phnum = 1;
	ph.p_type = ELF_PT_LOAD;
	ph.p_flags = ELF_PF_R | ELF_PF_X;
	ph.p_vaddr = 0x400000;
	ph.p_filesz = ph.p_memsz = sizeof(img);
	ph.p_align = 4096;
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + 64, &ph, sizeof(ph));
}

static Elf64_Ehdr *eh(void)
{
	return (Elf64_Ehdr *)img;
}

static Elf64_Phdr *ph(void)
{
	return (Elf64_Phdr *)(img + 64);
}

static int check(size_t size)
{
	struct elf_info info;
	return elf_exec_check(img, size, &info);
}

static void test_errnos(void **state)
{
	(void)state;
	good();
	assert_int_equal(check(sizeof(img)), 0);
	assert_int_equal(check(40), 8); /* truncated header: ENOEXEC */
	good();
	img[4] = 1; /* ELFCLASS32 */
	assert_int_equal(check(sizeof(img)), 8);
	good();
	eh()->e_machine = 3;
	assert_int_equal(check(sizeof(img)), 8);
	good();
	eh()->e_type = 1; /* ET_REL */
	assert_int_equal(check(sizeof(img)), 8);
	good();
	eh()->e_phentsize = 32;
	assert_int_equal(check(sizeof(img)), 8);
	good();
	eh()->e_phnum = 0;
	assert_int_equal(check(sizeof(img)), 8);
	good();
	eh()->e_phoff = sizeof(img) - 8; /* table beyond the file: load_elf_phdrs fails */
	assert_int_equal(check(sizeof(img)), 8);
	good();
	eh()->e_phnum = 74; /* more than a page of program headers */
	assert_int_equal(check(sizeof(img)), 8);
	good();
	ph()->p_memsz = 1ull << 47;
	assert_int_equal(check(sizeof(img)), 22);
	good();
	ph()->p_vaddr = 0xfffffffffffff000ull;
	assert_int_equal(check(sizeof(img)), 22);
	good();
	ph()->p_filesz = ph()->p_memsz + 1;
	assert_int_equal(check(sizeof(img)), 22);
	good();
	ph()->p_offset = 8; /* not congruent with p_vaddr */
	ph()->p_filesz = ph()->p_memsz = 100;
	assert_int_equal(check(sizeof(img)), 22);
	good();
	eh()->e_entry = 0x1000;
	assert_int_equal(check(sizeof(img)), 8);
	/* PT_INTERP: its path is checked, then the caller opens it. */
	good();
	ph()->p_type = ELF_PT_INTERP;
	ph()->p_offset = 200;
	ph()->p_filesz = 8;
	memcpy(img + 200, "/ld.so\0", 8);
	struct elf_info info;
	assert_int_equal(elf_exec_check(img, sizeof(img), &info), ELF_EXEC_INTERP);
	assert_int_equal(info.interp_offset, 200);
	assert_int_equal(info.interp_size, 8);
	img[207] = 'x'; /* not NUL-terminated */
	assert_int_equal(check(sizeof(img)), 8);
	ph()->p_filesz = 1; /* too short */
	assert_int_equal(check(sizeof(img)), 8);
	ph()->p_filesz = 4097; /* longer than PATH_MAX */
	assert_int_equal(check(sizeof(img)), 8);
	ph()->p_offset = sizeof(img) - 4;
	ph()->p_filesz = 8; /* beyond the file: a short read */
	assert_int_equal(check(sizeof(img)), 5);
	/* The interpreter itself. */
	good();
	assert_int_equal(elf_exec_check_interp(img, sizeof(img)), 0);
	assert_int_equal(elf_exec_check_interp(img, 40), 5);
	eh()->e_machine = 183;
	assert_int_equal(elf_exec_check_interp(img, sizeof(img)), 80);
	img[1] = 'X';
	assert_int_equal(elf_exec_check_interp(img, sizeof(img)), 80);
	memcpy(img, "#!/bin/sh\n", 10);
	assert_int_equal(check(sizeof(img)), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errnos),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
