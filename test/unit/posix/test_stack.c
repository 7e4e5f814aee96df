/*
 * The Linux initial stack (servers/proc/stack.c): layout, alignment,
 * auxv order and values, bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "posix/auxv.h"
#include "stack.h"

#define SIZE 65536
#define TOP 0x7ffffffde000ul

static uint8_t buf[SIZE];

static uint64_t word(uint64_t va)
{
	uint64_t w;
	memcpy(&w, buf + (va - (TOP - SIZE)), 8);
	return w;
}

static const char *str(uint64_t va)
{
	return (const char *)buf + (va - (TOP - SIZE));
}

static const char strings[] = "prog\0arg1\0K=v\0PATH=/bin";

static struct stack_image image(void)
{
	struct stack_image img = {
		.strings = strings,
		.strings_len = sizeof(strings),
		.argc = 2,
		.envc = 2,
		.execfn = "/bin/prog",
		.align_gap = 1234,
		.vdso = 0x7fbfffff1000ul,
		.minsigstksz = 2048,
		.hwcap = 0x178bfbff,
		.phdr = 0x400040,
		.phent = 56,
		.phnum = 7,
		.entry = 0x401000,
	};
	for (int i = 0; i < 16; i++)
		img.random[i] = (uint8_t)(i + 1);
	return img;
}

static uint64_t auxv_get(uint64_t sp, uint64_t type, int *index)
{
	uint64_t argc = word(sp), p = sp + 8 + (argc + 1) * 8;
	while (word(p))
		p += 8;
	p += 8;
	for (int i = 0; word(p) != AT_NULL; p += 16, i++)
		if (word(p) == type) {
			if (index)
				*index = i;
			return word(p + 8);
		}
	if (index)
		*index = -1;
	return 0;
}

static void test_layout(void **state)
{
	(void)state;
	struct stack_image img = image();
	uint64_t sp;

	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(stack_build(buf, SIZE, TOP, &img, &sp), 0);
	assert_int_equal(sp % 16, 0);
	assert_int_equal(word(sp), 2);
	assert_string_equal(str(word(sp + 8)), "prog");
	assert_string_equal(str(word(sp + 16)), "arg1");
	assert_int_equal(word(sp + 24), 0);
	assert_string_equal(str(word(sp + 32)), "K=v");
	assert_string_equal(str(word(sp + 40)), "PATH=/bin");
	assert_int_equal(word(sp + 48), 0);
	/* Strings: argv then envp then execfn, then 8 zero bytes at the top. */
	assert_int_equal(word(sp + 16), word(sp + 8) + 5);
	uint64_t execfn = auxv_get(sp, AT_EXECFN, NULL);
	assert_string_equal(str(execfn), "/bin/prog");
	assert_int_equal(execfn + strlen("/bin/prog") + 1, TOP - 8);
	assert_int_equal(word(TOP - 8), 0);
	assert_int_equal(word(sp + 40) + strlen("PATH=/bin") + 1, execfn);
	/* AT_RANDOM's 16 bytes and AT_PLATFORM above the vectors. */
	uint64_t rnd = auxv_get(sp, AT_RANDOM, NULL);
	assert_int_equal(buf[rnd - (TOP - SIZE)], 1);
	assert_int_equal(buf[rnd + 15 - (TOP - SIZE)], 16);
	assert_string_equal(str(auxv_get(sp, AT_PLATFORM, NULL)), "x86_64");
	assert_int_equal(auxv_get(sp, AT_PLATFORM, NULL), rnd + 16);
	assert_true(rnd > sp);
}

static void test_auxv(void **state)
{
	(void)state;
	struct stack_image img = image();
	uint64_t sp;
	int i;

	assert_int_equal(stack_build(buf, SIZE, TOP, &img, &sp), 0);
	/* ARCH_DLINFO first, then create_elf_tables' order. */
	assert_int_equal(auxv_get(sp, AT_SYSINFO_EHDR, &i), 0x7fbfffff1000ul);
	assert_int_equal(i, 0);
	assert_int_equal(auxv_get(sp, AT_MINSIGSTKSZ, &i), 2048);
	assert_int_equal(i, 1);
	assert_int_equal(auxv_get(sp, AT_HWCAP, &i), 0x178bfbff);
	assert_int_equal(i, 2);
	assert_int_equal(auxv_get(sp, AT_PAGESZ, &i), 4096);
	assert_int_equal(i, 3);
	assert_int_equal(auxv_get(sp, AT_CLKTCK, NULL), 100);
	assert_int_equal(auxv_get(sp, AT_PHDR, NULL), 0x400040);
	assert_int_equal(auxv_get(sp, AT_PHENT, NULL), 56);
	assert_int_equal(auxv_get(sp, AT_PHNUM, NULL), 7);
	assert_int_equal(auxv_get(sp, AT_ENTRY, NULL), 0x401000);
	assert_int_equal(auxv_get(sp, AT_BASE, &i), 0);
	assert_true(i > 0);
	auxv_get(sp, AT_SECURE, &i);
	assert_true(i > 0);
	auxv_get(sp, AT_PLATFORM, &i);
	int execfn_i;
	auxv_get(sp, AT_EXECFN, &execfn_i);
	assert_int_equal(i, execfn_i + 1);
	/* Without a vDSO there is no AT_SYSINFO_EHDR. */
	img.vdso = 0;
	assert_int_equal(stack_build(buf, SIZE, TOP, &img, &sp), 0);
	auxv_get(sp, AT_SYSINFO_EHDR, &i);
	assert_int_equal(i, -1);
}

static void test_gap_moves_vectors(void **state)
{
	(void)state;
	struct stack_image img = image();
	uint64_t sp0, sp1;

	img.align_gap = 0;
	assert_int_equal(stack_build(buf, SIZE, TOP, &img, &sp0), 0);
	img.align_gap = 4096;
	assert_int_equal(stack_build(buf, SIZE, TOP, &img, &sp1), 0);
	assert_true(sp0 - sp1 >= 4080 && sp0 - sp1 <= 4112);
}

static void test_bounds(void **state)
{
	(void)state;
	struct stack_image img = image();
	uint64_t sp;

	assert_int_equal(stack_build(buf, 64, TOP, &img, &sp), STACK_E2BIG);
	assert_int_equal(stack_build(buf, 200, TOP, &img, &sp), STACK_E2BIG);
	img.argc = 3; /* one string short */
	assert_int_equal(stack_build(buf, SIZE, TOP, &img, &sp), STACK_EINVAL);
	img = image();
	img.argc = 0;
	img.envc = 0;
	assert_int_equal(stack_build(buf, SIZE, TOP, &img, &sp), 0);
	assert_int_equal(word(sp), 0);
	assert_int_equal(word(sp + 8), 0);
	assert_int_equal(word(sp + 16), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_auxv),
		cmocka_unit_test(test_gap_moves_vectors),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
