/*
 * multiboot2_parse(): blocks are built here tag by tag, then parsed from an
 * exactly-sized heap copy so that AddressSanitizer flags any read past `len`.
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

#define MB2_MAX 16384

struct mb2_builder {
	_Alignas(8) uint8_t buf[MB2_MAX];
	size_t len;
};

struct mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

static void put_u32(struct mb2_builder *b, size_t off, uint32_t v)
{
	memcpy(b->buf + off, &v, sizeof(v));
}

static void mb2_begin(struct mb2_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8; /* total_size and reserved, filled by mb2_finish() */
}

static void mb2_pad(struct mb2_builder *b)
{
	while (b->len % 8)
		b->buf[b->len++] = 0;
}

/* Append a tag whose size field says `size`, with `n` payload bytes. */
static size_t mb2_raw_tag(struct mb2_builder *b, uint32_t type, uint32_t size, const void *payload,
			  size_t n)
{
	size_t at = b->len;

	assert_true(b->len + 8 + n + 8 <= MB2_MAX);
	put_u32(b, b->len, type);
	put_u32(b, b->len + 4, size);
	if (n)
		memcpy(b->buf + b->len + 8, payload, n);
	b->len += 8 + n;
	mb2_pad(b);
	return at;
}

static size_t mb2_tag(struct mb2_builder *b, uint32_t type, const void *payload, size_t n)
{
	return mb2_raw_tag(b, type, (uint32_t)(8 + n), payload, n);
}

static void mb2_string(struct mb2_builder *b, uint32_t type, const char *s)
{
	mb2_tag(b, type, s, strlen(s) + 1);
}

static void mb2_module(struct mb2_builder *b, uint32_t start, uint32_t end, const char *name)
{
	uint8_t p[512];
	size_t n = strlen(name) + 1;

	assert_true(8 + n <= sizeof(p));
	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, name, n);
	mb2_tag(b, 3, p, 8 + n);
}

static void mb2_meminfo(struct mb2_builder *b, uint32_t lower, uint32_t upper)
{
	uint32_t p[2] = { lower, upper };

	mb2_tag(b, 4, p, sizeof(p));
}

static void mb2_mmap_sized(struct mb2_builder *b, uint32_t entry_size, const struct mmap_entry *e,
			   size_t n)
{
	static uint8_t p[MB2_MAX];
	size_t i;

	memset(p, 0, sizeof(p));
	memcpy(p, &entry_size, 4);
	/* entry_version 0 */
	for (i = 0; i < n; i++) {
		uint8_t *q = p + 8 + i * entry_size;

		assert_true(8 + (i + 1) * entry_size <= sizeof(p));
		memcpy(q, &e[i].base, 8);
		memcpy(q + 8, &e[i].len, 8);
		memcpy(q + 16, &e[i].type, 4);
	}
	mb2_tag(b, 6, p, 8 + n * entry_size);
}

static void mb2_mmap(struct mb2_builder *b, const struct mmap_entry *e, size_t n)
{
	mb2_mmap_sized(b, 24, e, n);
}

static void mb2_finish_total(struct mb2_builder *b, uint32_t total)
{
	put_u32(b, 0, total);
}

static void mb2_end(struct mb2_builder *b)
{
	mb2_tag(b, 0, NULL, 0);
	mb2_finish_total(b, (uint32_t)b->len);
}

static const struct mmap_entry std_map[] = {
	{ 0x0, 0x9fc00, 1 },	    { 0x9fc00, 0x400, 2 },     { 0x100000, 0x7ee0000, 1 },
	{ 0x7fe0000, 0x10000, 3 },  { 0x7ff0000, 0x10000, 4 }, { 0xfee00000, 0x1000, 5 },
	{ 0xfffc0000, 0x40000, 7 },
};

/* A typical GRUB block: strings, two modules, a map, an unknown tag. */
static void build_standard(struct mb2_builder *b)
{
	uint32_t fb[6] = { 0 };

	mb2_begin(b);
	mb2_string(b, 1, "console=com1 verbose");
	mb2_string(b, 2, "GRUB 2.06");
	mb2_module(b, 0x200000, 0x201000, "/boot/init");
	mb2_module(b, 0x300000, 0x300000, "empty");
	mb2_meminfo(b, 639, 129920);
	mb2_tag(b, 8, fb, sizeof(fb)); /* framebuffer: skipped */
	mb2_mmap(b, std_map, sizeof(std_map) / sizeof(std_map[0]));
	mb2_end(b);
}

/* Parse from a heap copy of exactly `len` bytes at a chosen misalignment. */
static int parse_copy_at(const void *src, size_t len, size_t shift, struct boot_info *out)
{
	uint8_t *p = malloc(len + shift + 1);
	int ret;

	assert_non_null(p);
	memcpy(p + shift, src, len);
	ret = multiboot2_parse(p + shift, len, out);
	free(p);
	return ret;
}

static int parse_copy(const void *src, size_t len, struct boot_info *out)
{
	/* Exact size: one byte past `len` is a redzone. */
	uint8_t *p = malloc(len ? len : 1);
	int ret;

	assert_non_null(p);
	memcpy(p, src, len);
	ret = multiboot2_parse(p, len, out);
	free(p);
	return ret;
}

static void assert_sane(const struct boot_info *bi)
{
	assert_boot_info_sane(bi, 2);
	assert_int_equal(bi->info_start, 0);
	assert_int_equal(bi->info_end, 0);
}

static void test_standard_block(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	static const uint32_t want_type[] = { 1, 2, 1, 3, 4, 5, 2 };
	size_t i;

	(void)state;
	build_standard(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_sane(&bi);
	assert_string_equal(bi.cmdline, "console=com1 verbose");
	assert_string_equal(bi.loader_name, "GRUB 2.06");
	assert_int_equal(bi.n_modules, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x201000);
	assert_string_equal(bi.modules[0].name, "/boot/init");
	assert_int_equal(bi.modules[1].start, 0x300000);
	assert_string_equal(bi.modules[1].name, "empty");
	/* The map wins over basic meminfo. */
	assert_int_equal(bi.n_mem, 7);
	for (i = 0; i < 7; i++) {
		assert_int_equal(bi.mem[i].base, std_map[i].base);
		assert_int_equal(bi.mem[i].length, std_map[i].len);
		assert_int_equal(bi.mem[i].type, want_type[i]);
	}
}

static void test_unaligned_buffer(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	size_t shift;

	(void)state;
	build_standard(&b);
	for (shift = 0; shift < 8; shift++) {
		assert_int_equal(parse_copy_at(b.buf, b.len, shift, &bi), BOOT_OK);
		assert_int_equal(bi.n_mem, 7);
		assert_string_equal(bi.modules[0].name, "/boot/init");
	}
}

static void test_meminfo_fallback(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;

	(void)state;
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 2);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[0].length, 639 * 1024);
	assert_int_equal(bi.mem[0].type, BOOT_MEM_USABLE);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].length, 130048ull * 1024);
	assert_int_equal(bi.mem[1].type, BOOT_MEM_USABLE);
	assert_string_equal(bi.cmdline, "");
	assert_int_equal(bi.n_modules, 0);

	/* Too short for both numbers. */
	mb2_begin(&b);
	mb2_tag(&b, 4, "\x7f\x02\0\0", 4);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
}

static void test_meminfo_ignored_after_mmap(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	static const struct mmap_entry e = { 0x100000, 0x100000, 1 };

	(void)state;
	/* Order must not matter: the map comes first here. */
	mb2_begin(&b);
	mb2_mmap(&b, &e, 1);
	mb2_meminfo(&b, 639, 130048);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 1);
	assert_int_equal(bi.mem[0].base, 0x100000);
}

static void test_no_usable_memory(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	static const struct mmap_entry reserved[] = {
		{ 0, 0x1000, 2 },
		{ 0x1000, 0, 1 },
		{ 0x2000, 0x1000, 5 },
	};

	(void)state;
	mb2_begin(&b);
	mb2_string(&b, 1, "x");
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_ENOMEM);

	mb2_begin(&b);
	mb2_mmap(&b, reserved, 3);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_ENOMEM);

	/* An empty map is still a map: meminfo does not rescue it. */
	mb2_begin(&b);
	mb2_mmap(&b, NULL, 0);
	mb2_meminfo(&b, 639, 130048);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_ENOMEM);
}

static void test_mmap_entry_sizes(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	static const uint32_t bad[] = { 0, 8, 16, 20, 23, 25, 28, 30, 36 };
	size_t i;

	(void)state;
	/* Larger entries from a newer loader: step by entry_size. */
	mb2_begin(&b);
	mb2_mmap_sized(&b, 40, std_map, 3);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 3);
	assert_int_equal(bi.mem[2].base, std_map[2].base);
	assert_int_equal(bi.mem[2].length, std_map[2].len);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mb2_begin(&b);
		mb2_mmap_sized(&b, 40, std_map, 3);
		mb2_end(&b);
		/* Rewrite entry_size in place. */
		put_u32(&b, 8 + 8, bad[i]);
		assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
	}

	/* A map tag too short for its own header. */
	mb2_begin(&b);
	mb2_tag(&b, 6, "\x18\0\0\0", 4);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
}

static void test_mmap_overflow_keeps_first(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	static struct mmap_entry e[200];
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++) {
		e[i].base = 0x100000 * (i + 1);
		e[i].len = 0x1000;
		e[i].type = 1;
	}
	mb2_begin(&b);
	mb2_mmap(&b, e, 200);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, BOOT_MAX_MEM_REGIONS);
	for (i = 0; i < BOOT_MAX_MEM_REGIONS; i++)
		assert_int_equal(bi.mem[i].base, e[i].base);
}

static void test_mmap_wrapping_region_clipped(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	static const struct mmap_entry e[] = {
		{ 0x100000, 0x100000, 1 },
		{ 0xfffffffffffff000ull, 0x2000, 2 },
	};

	(void)state;
	mb2_begin(&b);
	mb2_mmap(&b, e, 2);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_int_equal(bi.n_mem, 2);
	assert_true(bi.mem[1].length <= UINT64_MAX - bi.mem[1].base);
}

static void test_reject_total_size(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	uint32_t t;

	(void)state;
	build_standard(&b);
	/* Too small to hold even the end tag. */
	for (t = 0; t < 16; t++) {
		mb2_finish_total(&b, t);
		assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
	}
	/* Larger than what the caller can read. */
	mb2_finish_total(&b, (uint32_t)b.len + 1);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_ETRUNC);
	mb2_finish_total(&b, 0xffffffff);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_ETRUNC);
	/* Fewer bytes than the fixed header. */
	assert_int_equal(parse_copy(b.buf, 7, &bi), BOOT_ETRUNC);
	assert_int_equal(parse_copy(b.buf, 0, &bi), BOOT_ETRUNC);
}

static void test_reject_small_tag_size(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	uint32_t size;

	(void)state;
	for (size = 0; size < 8; size++) {
		mb2_begin(&b);
		mb2_meminfo(&b, 639, 130048);
		mb2_raw_tag(&b, 21, size, NULL, 0);
		mb2_end(&b);
		assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
	}
}

static void test_reject_tag_past_total(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	size_t at;

	(void)state;
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	at = b.len;
	mb2_string(&b, 1, "cmdline");
	mb2_end(&b);
	/* The tag claims to run past total_size by one byte, and by a lot. */
	put_u32(&b, at + 4, (uint32_t)(b.len - at + 1));
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
	put_u32(&b, at + 4, 0xfffffff8);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);

	/* A block whose total_size cuts its last tag short. */
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_end(&b);
	mb2_finish_total(&b, (uint32_t)b.len - 1);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
}

static void test_reject_missing_end_tag(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;

	(void)state;
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_finish_total(&b, (uint32_t)b.len);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);

	/* Stray bytes after the last tag that are too few for a tag header. */
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	b.len += 4;
	mb2_finish_total(&b, (uint32_t)b.len);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);

	/* An end tag with the wrong size. */
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_raw_tag(&b, 0, 16, "\0\0\0\0\0\0\0\0", 8);
	mb2_finish_total(&b, (uint32_t)b.len);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
}

static void test_strings_unterminated(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	uint32_t type;

	(void)state;
	for (type = 1; type <= 2; type++) {
		mb2_begin(&b);
		mb2_meminfo(&b, 639, 130048);
		mb2_tag(&b, type, "abcdefgh", 8); /* no NUL */
		mb2_end(&b);
		assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);

		/* An empty tag has no room for a NUL either. */
		mb2_begin(&b);
		mb2_meminfo(&b, 639, 130048);
		mb2_tag(&b, type, NULL, 0);
		mb2_end(&b);
		assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
	}
}

static void test_strings_truncated(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	char longstr[1000];
	static char longcmd[BOOT_CMDLINE_MAX + 500];

	(void)state;
	memset(longstr, 'a', sizeof(longstr) - 1);
	longstr[sizeof(longstr) - 1] = 0;
	memset(longcmd, 'a', sizeof(longcmd) - 1);
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_string(&b, 1, longcmd);
	mb2_string(&b, 2, longstr);
	mb2_module(&b, 0x1000, 0x2000, longstr + 500);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_int_equal(strlen(bi.loader_name), BOOT_MODNAME_MAX - 1);
	assert_int_equal(strlen(bi.modules[0].name), BOOT_MODNAME_MAX - 1);

	/* A NUL before the end of the tag ends the string there. */
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_tag(&b, 1, "ab\0cd\0", 6);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_string_equal(bi.cmdline, "ab");
}

static void test_modules(void **state)
{
	static struct mb2_builder b;
	static struct boot_info bi;
	uint8_t p[9];
	uint32_t i;

	(void)state;
	/* end < start */
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_module(&b, 0x2000, 0x1fff, "m");
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);

	/* Name without NUL. */
	memset(p, 'x', sizeof(p));
	memset(p, 0, 8);
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_tag(&b, 3, p, sizeof(p));
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);

	/* Too short for start and end, or for a name. */
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_tag(&b, 3, p, 4);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	mb2_tag(&b, 3, p, 8);
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);

	/* More modules than slots: keep the first, still validate the rest. */
	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	for (i = 0; i < BOOT_MAX_MODULES + 4; i++)
		mb2_module(&b, 0x1000 * i, 0x1000 * i + 10, "mod");
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_OK);
	assert_int_equal(bi.n_modules, BOOT_MAX_MODULES);
	for (i = 0; i < BOOT_MAX_MODULES; i++)
		assert_int_equal(bi.modules[i].start, 0x1000 * i);

	mb2_begin(&b);
	mb2_meminfo(&b, 639, 130048);
	for (i = 0; i < BOOT_MAX_MODULES; i++)
		mb2_module(&b, 0x1000 * i, 0x1000 * i + 10, "mod");
	mb2_module(&b, 0x9000, 0x8000, "bad");
	mb2_end(&b);
	assert_int_equal(parse_copy(b.buf, b.len, &bi), BOOT_EBADTAG);
}

static void test_truncated_every_length(void **state)
{
	static struct mb2_builder b;
	static struct mb2_builder cut;
	static struct boot_info bi;
	size_t len;

	(void)state;
	build_standard(&b);
	for (len = 0; len <= b.len; len++) {
		int ret = parse_copy(b.buf, len, &bi);

		if (len < b.len)
			assert_true(ret < 0);
		else
			assert_int_equal(ret, BOOT_OK);

		/* Same cut, but total_size agrees: the tag walk must notice. */
		cut = b;
		if (len >= 4)
			mb2_finish_total(&cut, (uint32_t)len);
		ret = parse_copy(cut.buf, len, &bi);
		if (len < b.len)
			assert_true(ret < 0);
		else
			assert_int_equal(ret, BOOT_OK);
	}
}

/* xorshift64: fixed seed, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint32_t interesting_u32(void)
{
	static const uint32_t v[] = { 0,  1,  7,	  8,	      15,	  16,
				      23, 24, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff };

	return v[rng() % (sizeof(v) / sizeof(v[0]))];
}

static void test_random_corruption(void **state)
{
	static struct mb2_builder good, b;
	static struct boot_info bi;
	int iter, ok = 0;

	(void)state;
	build_standard(&good);
	for (iter = 0; iter < 200000; iter++) {
		int n = 1 + (int)(rng() % 6), k, ret;
		size_t len = good.len;

		b = good;
		for (k = 0; k < n; k++) {
			size_t at = rng() % good.len;

			switch (rng() % 4) {
			case 0:
				b.buf[at] = (uint8_t)rng();
				break;
			case 1:
				b.buf[at] ^= (uint8_t)(1u << (rng() % 8));
				break;
			default:
				/* Hit the 4-aligned size and type fields. */
				at &= ~(size_t)3;
				put_u32(&b, at, interesting_u32());
				break;
			}
		}
		if (rng() % 8 == 0)
			len = rng() % (good.len + 1);
		ret = parse_copy(b.buf, len, &bi);
		if (ret == BOOT_OK) {
			assert_sane(&bi);
			ok++;
		} else {
			assert_true(ret == BOOT_ETRUNC || ret == BOOT_EBADTAG ||
				    ret == BOOT_ENOMEM);
		}
	}
	/* The mutations must not all be fatal, or this tests nothing. */
	assert_true(ok > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_block),
		cmocka_unit_test(test_unaligned_buffer),
		cmocka_unit_test(test_meminfo_fallback),
		cmocka_unit_test(test_meminfo_ignored_after_mmap),
		cmocka_unit_test(test_no_usable_memory),
		cmocka_unit_test(test_mmap_entry_sizes),
		cmocka_unit_test(test_mmap_overflow_keeps_first),
		cmocka_unit_test(test_mmap_wrapping_region_clipped),
		cmocka_unit_test(test_reject_total_size),
		cmocka_unit_test(test_reject_small_tag_size),
		cmocka_unit_test(test_reject_tag_past_total),
		cmocka_unit_test(test_reject_missing_end_tag),
		cmocka_unit_test(test_strings_unterminated),
		cmocka_unit_test(test_strings_truncated),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
