/*
 * multiboot1_parse(): the info struct and everything it points to are laid
 * out in a fake physical memory. The reader hands out a fresh heap copy of
 * exactly the requested range and frees the previous one, so AddressSanitizer
 * catches both a read past the granted length and a pointer kept across
 * reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot_info_check.h"

#include <kernel/boot_info.h>

#define PHYS_SIZE 0x10000

#define INFO_PA 0x1000
#define CMDLINE_PA 0x2000
#define MODS_PA 0x3000
#define MODNAME_PA 0x3800
#define MMAP_PA 0x4000
#define LOADER_PA 0x5000

#define F_MEM (1u << 0)
#define F_CMDLINE (1u << 2)
#define F_MODS (1u << 3)
#define F_MMAP (1u << 6)
#define F_LOADER (1u << 9)

static uint8_t phys[PHYS_SIZE];
static uint64_t phys_limit = PHYS_SIZE; /* bytes at or past it are unreadable */
static void *window;
static unsigned long nr_reads;

static const void *fake_read(uint64_t pa, size_t len)
{
	nr_reads++;
	free(window);
	window = NULL;
	if (pa > phys_limit || len > phys_limit - pa)
		return NULL;
	window = malloc(len ? len : 1);
	assert_non_null(window);
	memcpy(window, phys + pa, len);
	return window;
}

static void reset_phys(void)
{
	memset(phys, 0, sizeof(phys));
	phys_limit = PHYS_SIZE;
	free(window);
	window = NULL;
}

static int teardown(void **state)
{
	(void)state;
	reset_phys();
	return 0;
}

static void put_u32(uint64_t pa, uint32_t v)
{
	memcpy(phys + pa, &v, 4);
}

static void put_u64(uint64_t pa, uint64_t v)
{
	memcpy(phys + pa, &v, 8);
}

static void put_str(uint64_t pa, const char *s)
{
	memcpy(phys + pa, s, strlen(s) + 1);
}

/* Field offsets in the info struct. */
#define I_FLAGS 0
#define I_MEM_LOWER 4
#define I_MEM_UPPER 8
#define I_CMDLINE 16
#define I_MODS_COUNT 20
#define I_MODS_ADDR 24
#define I_MMAP_LENGTH 44
#define I_MMAP_ADDR 48
#define I_LOADER 64

static void put_module(uint64_t mods_pa, unsigned i, uint32_t start, uint32_t end, uint32_t name_pa)
{
	put_u32(mods_pa + 16 * i, start);
	put_u32(mods_pa + 16 * i + 4, end);
	put_u32(mods_pa + 16 * i + 8, name_pa);
	put_u32(mods_pa + 16 * i + 12, 0);
}

/* An entry whose size field says `size`; returns the next entry's address. */
static uint64_t put_mmap_entry(uint64_t pa, uint32_t size, uint64_t base, uint64_t len,
			       uint32_t type)
{
	put_u32(pa, size);
	put_u64(pa + 4, base);
	put_u64(pa + 12, len);
	put_u32(pa + 20, type);
	return pa + 4 + size;
}

static void set_mmap(uint64_t info, uint64_t map_pa, uint64_t end_pa)
{
	put_u32(info + I_MMAP_ADDR, (uint32_t)map_pa);
	put_u32(info + I_MMAP_LENGTH, (uint32_t)(end_pa - map_pa));
}

/* What QEMU's -kernel loader gives: every field we read. */
static void build_standard(void)
{
	uint64_t e = MMAP_PA;

	reset_phys();
	put_u32(INFO_PA + I_FLAGS, F_MEM | F_CMDLINE | F_MODS | F_MMAP | F_LOADER);
	put_u32(INFO_PA + I_MEM_LOWER, 639);
	put_u32(INFO_PA + I_MEM_UPPER, 130048);
	put_u32(INFO_PA + I_CMDLINE, CMDLINE_PA);
	put_str(CMDLINE_PA, "kernel console=ttyS0");
	put_u32(INFO_PA + I_MODS_COUNT, 2);
	put_u32(INFO_PA + I_MODS_ADDR, MODS_PA);
	put_module(MODS_PA, 0, 0x200000, 0x210000, MODNAME_PA);
	put_module(MODS_PA, 1, 0x210000, 0x210000, MODNAME_PA + 0x100);
	put_str(MODNAME_PA, "initrd.cpio");
	put_str(MODNAME_PA + 0x100, "empty");
	e = put_mmap_entry(e, 20, 0, 0x9fc00, 1);
	e = put_mmap_entry(e, 20, 0x9fc00, 0x400, 2);
	e = put_mmap_entry(e, 20, 0x100000, 0x7ee0000, 1);
	e = put_mmap_entry(e, 20, 0x7fe0000, 0x20000, 3);
	e = put_mmap_entry(e, 20, 0xfffc0000, 0x40000, 4);
	e = put_mmap_entry(e, 20, 0xfee00000, 0x1000, 5);
	e = put_mmap_entry(e, 20, 0xfed00000, 0x1000, 9);
	set_mmap(INFO_PA, MMAP_PA, e);
	put_u32(INFO_PA + I_LOADER, LOADER_PA);
	put_str(LOADER_PA, "qemu");
}

static void assert_sane(const struct boot_info *bi)
{
	assert_boot_info_sane(bi, 1);
}

static void test_standard_info(void **state)
{
	static struct boot_info bi;
	static const uint32_t want_type[] = { 1, 2, 1, 3, 4, 5, 2 };
	size_t i;

	(void)state;
	build_standard();
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_sane(&bi);
	assert_string_equal(bi.cmdline, "kernel console=ttyS0");
	assert_string_equal(bi.loader_name, "qemu");
	assert_int_equal(bi.n_modules, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x210000);
	assert_string_equal(bi.modules[0].name, "initrd.cpio");
	assert_string_equal(bi.modules[1].name, "empty");
	/* The map wins over mem_lower/mem_upper. */
	assert_int_equal(bi.n_mem, 7);
	for (i = 0; i < 7; i++)
		assert_int_equal(bi.mem[i].type, want_type[i]);
	assert_int_equal(bi.mem[2].base, 0x100000);
	assert_int_equal(bi.mem[2].length, 0x7ee0000);
	assert_int_equal(bi.info_start, 0);
	assert_int_equal(bi.info_end, 0);
}

static void test_mem_fallback(void **state)
{
	static struct boot_info bi;

	(void)state;
	reset_phys();
	/* Only the 12 bytes the flags need are readable. */
	put_u32(PHYS_SIZE - 12 + I_FLAGS, F_MEM);
	put_u32(PHYS_SIZE - 12 + I_MEM_LOWER, 639);
	put_u32(PHYS_SIZE - 12 + I_MEM_UPPER, 130048);
	assert_int_equal(multiboot1_parse(PHYS_SIZE - 12, fake_read, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 2);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[0].length, 639 * 1024);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].length, 130048ull * 1024);
	assert_int_equal(bi.mem[1].type, BOOT_MEM_USABLE);
	assert_string_equal(bi.cmdline, "");

	/* An empty map falls back too. */
	build_standard();
	put_u32(INFO_PA + I_MMAP_LENGTH, 0);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 2);
	assert_int_equal(bi.mem[1].length, 130048ull * 1024);
}

static void test_no_usable_memory(void **state)
{
	static struct boot_info bi;
	uint64_t e;

	(void)state;
	reset_phys();
	put_u32(INFO_PA, F_CMDLINE);
	put_u32(INFO_PA + I_CMDLINE, CMDLINE_PA);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ENOMEM);

	/* A map of reserved memory only, and no mem_* fields. */
	reset_phys();
	put_u32(INFO_PA, F_MMAP);
	e = put_mmap_entry(MMAP_PA, 20, 0, 0x1000, 2);
	e = put_mmap_entry(e, 20, 0x1000, 0, 1);
	set_mmap(INFO_PA, MMAP_PA, e);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ENOMEM);

	/* mem_lower and mem_upper both zero. */
	reset_phys();
	put_u32(INFO_PA, F_MEM);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ENOMEM);
}

static void test_unreadable_info(void **state)
{
	static struct boot_info bi;

	(void)state;
	build_standard();
	assert_int_equal(multiboot1_parse(PHYS_SIZE, fake_read, &bi), BOOT_ETRUNC);
	assert_int_equal(multiboot1_parse(PHYS_SIZE - 3, fake_read, &bi), BOOT_ETRUNC);
	assert_int_equal(multiboot1_parse(UINT64_MAX - 1, fake_read, &bi), BOOT_ETRUNC);
	/* Flags ask for the loader name, but the struct ends before it. */
	reset_phys();
	put_u32(PHYS_SIZE - 64, F_MEM | F_LOADER);
	put_u32(PHYS_SIZE - 64 + I_MEM_UPPER, 1024);
	assert_int_equal(multiboot1_parse(PHYS_SIZE - 64, fake_read, &bi), BOOT_ETRUNC);
}

static void test_strings(void **state)
{
	static struct boot_info bi;
	char longstr[1000];
	static char longcmd[BOOT_CMDLINE_MAX + 500];

	(void)state;
	build_standard();
	memset(longstr, 'c', sizeof(longstr) - 1);
	longstr[sizeof(longstr) - 1] = 0;
	memset(longcmd, 'c', sizeof(longcmd) - 1);
	put_str(0x8000, longcmd);
	put_u32(INFO_PA + I_CMDLINE, 0x8000);
	put_str(LOADER_PA, longstr);
	put_str(MODNAME_PA, longstr);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_int_equal(strlen(bi.loader_name), BOOT_MODNAME_MAX - 1);
	assert_int_equal(strlen(bi.modules[0].name), BOOT_MODNAME_MAX - 1);

	/* A pointer out of readable memory. */
	build_standard();
	put_u32(INFO_PA + I_CMDLINE, 0xfffffff0);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ETRUNC);
	build_standard();
	put_u32(INFO_PA + I_LOADER, PHYS_SIZE);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ETRUNC);

	/* A short string running off the end of readable memory. */
	build_standard();
	memset(phys + PHYS_SIZE - 5, 'z', 5);
	put_u32(INFO_PA + I_CMDLINE, PHYS_SIZE - 5);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ETRUNC);

	/* A string that ends exactly at the end of readable memory. */
	build_standard();
	put_str(PHYS_SIZE - 3, "ab");
	put_u32(INFO_PA + I_CMDLINE, PHYS_SIZE - 3);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_string_equal(bi.cmdline, "ab");
}

static void test_modules(void **state)
{
	static struct boot_info bi;
	unsigned i;

	(void)state;
	build_standard();
	put_module(MODS_PA, 1, 0x300000, 0x2fffff, MODNAME_PA);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_EBADTAG);

	build_standard();
	put_u32(INFO_PA + I_MODS_ADDR, PHYS_SIZE - 16);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi),
			 BOOT_ETRUNC); /* second module unreadable */

	build_standard();
	put_module(MODS_PA, 0, 0x1000, 0x2000, 0xffffffff);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ETRUNC);

	/* A huge count: keep the first BOOT_MAX_MODULES, read no further. */
	build_standard();
	for (i = 0; i < BOOT_MAX_MODULES; i++)
		put_module(MODS_PA, i, 0x1000 * i, 0x1000 * i + 1, MODNAME_PA);
	put_u32(INFO_PA + I_MODS_COUNT, 0xffffffff);
	nr_reads = 0;
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_int_equal(bi.n_modules, BOOT_MAX_MODULES);
	assert_int_equal(bi.modules[BOOT_MAX_MODULES - 1].start, 0x1000 * (BOOT_MAX_MODULES - 1));
	assert_true(nr_reads < 10000);

	/* The modules flag with a zero count. */
	build_standard();
	put_u32(INFO_PA + I_MODS_COUNT, 0);
	put_u32(INFO_PA + I_MODS_ADDR, 0xffffffff);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_int_equal(bi.n_modules, 0);
}

static void test_mmap_entries(void **state)
{
	static struct boot_info bi;
	uint64_t e;
	unsigned i;

	(void)state;
	/* Entries with a larger size field are skipped by size + 4. */
	build_standard();
	e = put_mmap_entry(MMAP_PA, 28, 0, 0x9fc00, 1);
	e = put_mmap_entry(e, 24, 0x100000, 0x100000, 1);
	e = put_mmap_entry(e, 20, 0x200000, 0x1000, 2);
	set_mmap(INFO_PA, MMAP_PA, e);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 3);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[2].base, 0x200000);
	assert_int_equal(bi.mem[2].type, BOOT_MEM_RESERVED);

	/* An entry size under 20. */
	for (i = 0; i < 20; i++) {
		build_standard();
		put_u32(MMAP_PA + 24, i);
		assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_EBADTAG);
	}

	/* The last entry runs past mmap_length. */
	build_standard();
	put_u32(INFO_PA + I_MMAP_LENGTH, 24 * 3 - 1);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ETRUNC);
	build_standard();
	put_u32(MMAP_PA, 0xffffffff);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ETRUNC);

	/* The map itself unreadable. */
	build_standard();
	put_u32(INFO_PA + I_MMAP_ADDR, PHYS_SIZE - 24);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_ETRUNC);

	/* More entries than slots: keep the first ones. */
	build_standard();
	e = MMAP_PA;
	for (i = 0; i < 100; i++)
		e = put_mmap_entry(e, 20, 0x100000ull * (i + 1), 0x1000, 1);
	set_mmap(INFO_PA, MMAP_PA, e);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, BOOT_MAX_MEM_REGIONS);
	assert_int_equal(bi.mem[BOOT_MAX_MEM_REGIONS - 1].base, 0x100000ull * BOOT_MAX_MEM_REGIONS);

	/* A region that would wrap is clipped. */
	build_standard();
	e = put_mmap_entry(MMAP_PA, 20, 0x100000, 0x100000, 1);
	e = put_mmap_entry(e, 20, 0xfffffffffffff000ull, 0x10000, 2);
	set_mmap(INFO_PA, MMAP_PA, e);
	assert_int_equal(multiboot1_parse(INFO_PA, fake_read, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 2);
	assert_true(bi.mem[1].length <= UINT64_MAX - bi.mem[1].base);
}

/*
 * Lay the whole block out contiguously, loader name last, then make memory
 * unreadable from every byte onwards: any cut before the end must fail.
 */
static void test_truncated_every_length(void **state)
{
	static struct boot_info bi;
	uint64_t p = INFO_PA + 68, e, end;
	uint64_t limit;

	(void)state;
	reset_phys();
	put_u32(INFO_PA, F_MEM | F_CMDLINE | F_MODS | F_MMAP | F_LOADER);
	put_u32(INFO_PA + I_MEM_LOWER, 639);
	put_u32(INFO_PA + I_MEM_UPPER, 1024);
	put_u32(INFO_PA + I_MODS_COUNT, 2);
	put_u32(INFO_PA + I_MODS_ADDR, (uint32_t)p);
	put_module(p, 0, 0x200000, 0x200010, (uint32_t)(p + 32));
	put_module(p, 1, 0x200010, 0x200020, (uint32_t)(p + 32));
	p += 32;
	put_str(p, "mod");
	p += 4;
	e = put_mmap_entry(p, 20, 0x100000, 0x100000, 1);
	e = put_mmap_entry(e, 20, 0x200000, 0x100000, 2);
	set_mmap(INFO_PA, p, e);
	p = e;
	put_u32(INFO_PA + I_CMDLINE, (uint32_t)p);
	put_str(p, "cmd");
	p += 4;
	put_u32(INFO_PA + I_LOADER, (uint32_t)p);
	put_str(p, "loader");
	end = p + 7;

	for (limit = 0; limit <= end; limit++) {
		int ret;

		phys_limit = limit;
		ret = multiboot1_parse(INFO_PA, fake_read, &bi);
		if (limit < end)
			assert_int_equal(ret, BOOT_ETRUNC);
		else
			assert_int_equal(ret, BOOT_OK);
	}
	assert_string_equal(bi.loader_name, "loader");
}

/* xorshift64: fixed seed, so a failure reproduces. */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint32_t interesting_u32(void)
{
	static const uint32_t v[] = {
		0,	   1,	       19,	   20,	      24, 0x1000, PHYS_SIZE - 1,
		PHYS_SIZE, 0x7fffffff, 0xfffffffc, 0xffffffff
	};

	return v[rng() % (sizeof(v) / sizeof(v[0]))];
}

static void test_random_corruption(void **state)
{
	static uint8_t good[PHYS_SIZE];
	static struct boot_info bi;
	/* The bytes worth corrupting: info, modules, map. */
	static const uint64_t areas[][2] = {
		{ INFO_PA, 72 },
		{ MODS_PA, 32 },
		{ MMAP_PA, 7 * 24 },
	};
	int iter, ok = 0;

	(void)state;
	build_standard();
	memcpy(good, phys, sizeof(good));
	for (iter = 0; iter < 30000; iter++) {
		int n = 1 + (int)(rng() % 4), k, ret;

		memcpy(phys, good, sizeof(phys));
		phys_limit = PHYS_SIZE;
		for (k = 0; k < n; k++) {
			const uint64_t *a = areas[rng() % 3];
			uint64_t at = a[0] + rng() % a[1];

			switch (rng() % 3) {
			case 0:
				phys[at] = (uint8_t)rng();
				break;
			case 1:
				put_u32(at & ~3ull, (uint32_t)rng());
				break;
			default:
				put_u32(at & ~3ull, interesting_u32());
				break;
			}
		}
		ret = multiboot1_parse(INFO_PA, fake_read, &bi);
		if (ret == BOOT_OK) {
			assert_sane(&bi);
			ok++;
		} else {
			assert_true(ret == BOOT_ETRUNC || ret == BOOT_EBADTAG ||
				    ret == BOOT_ENOMEM);
		}
	}
	assert_true(ok > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_standard_info, teardown),
		cmocka_unit_test_teardown(test_mem_fallback, teardown),
		cmocka_unit_test_teardown(test_no_usable_memory, teardown),
		cmocka_unit_test_teardown(test_unreadable_info, teardown),
		cmocka_unit_test_teardown(test_strings, teardown),
		cmocka_unit_test_teardown(test_modules, teardown),
		cmocka_unit_test_teardown(test_mmap_entries, teardown),
		cmocka_unit_test_teardown(test_truncated_every_length, teardown),
		cmocka_unit_test_teardown(test_random_corruption, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
