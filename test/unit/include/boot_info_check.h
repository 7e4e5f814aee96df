/*
 * The invariants every parsed struct boot_info must satisfy, whatever the
 * loader handed over: bounded tables, terminated strings, regions that do
 * not wrap, known memory types, some usable memory. Include after
 * <cmocka.h>.
 */
#ifndef BOOT_INFO_CHECK_H
#define BOOT_INFO_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <kernel/boot_info.h>

static inline void assert_boot_info_sane(const struct boot_info *bi, unsigned loader)
{
	bool usable = false;

	assert_int_equal(bi->loader, loader);
	assert_true(bi->n_mem <= BOOT_MAX_MEM_REGIONS);
	assert_true(bi->n_modules <= BOOT_MAX_MODULES);
	assert_non_null(memchr(bi->cmdline, 0, sizeof(bi->cmdline)));
	assert_non_null(memchr(bi->loader_name, 0, sizeof(bi->loader_name)));
	for (size_t i = 0; i < bi->n_modules; i++) {
		assert_true(bi->modules[i].start <= bi->modules[i].end);
		assert_non_null(memchr(bi->modules[i].name, 0, sizeof(bi->modules[i].name)));
	}
	for (size_t i = 0; i < bi->n_mem; i++) {
		assert_true(bi->mem[i].length > 0);
		assert_true(bi->mem[i].length <= UINT64_MAX - bi->mem[i].base);
		assert_true(bi->mem[i].type >= BOOT_MEM_USABLE && bi->mem[i].type <= BOOT_MEM_BAD);
		usable |= bi->mem[i].type == BOOT_MEM_USABLE;
	}
	assert_true(usable);
}

#endif
