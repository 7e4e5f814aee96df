/*
 * cpio newc reader: archives are written here header by header, then read
 * from an exactly-sized heap copy so that AddressSanitizer flags any read
 * past the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cpio.h"

#define ARCHIVE_MAX 8192
#define HDR_LEN 110
#define S_IFDIR 0040000
#define S_IFREG 0100000

/* Field offsets in the header, after the 6-byte magic. */
#define H_FILESIZE (6 + 6 * 8)
#define H_NAMESIZE (6 + 11 * 8)
/* build_standard()'s second header ("./etc"), after "." padded to 112. */
#define SECOND_HDR 112

struct archive {
	uint8_t buf[ARCHIVE_MAX];
	size_t len;
	size_t trailer_end; /* just past the trailer's name */
};

struct newc_fields {
	const char *magic;
	uint32_t ino, mode, nlink, mtime;
	uint32_t filesize; /* what the header says */
	uint32_t namesize; /* what the header says */
};

static void pad4(struct archive *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* Write a header and `name_bytes` of name, then `data_len` bytes of data. */
static size_t put_entry_raw(struct archive *a, const struct newc_fields *f, const void *name,
			    size_t name_bytes, const void *data, size_t data_len)
{
	char hdr[HDR_LEN + 1];
	size_t at = a->len;

	snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 f->magic, f->ino, f->mode, 0u, 0u, f->nlink, f->mtime, f->filesize, 0u, 0u, 0u, 0u,
		 f->namesize, 0u);
	assert_int_equal(strlen(hdr), HDR_LEN);
	assert_true(a->len + HDR_LEN + name_bytes + data_len + 8 <= ARCHIVE_MAX);
	memcpy(a->buf + a->len, hdr, HDR_LEN);
	a->len += HDR_LEN;
	memcpy(a->buf + a->len, name, name_bytes);
	a->len += name_bytes;
	pad4(a);
	if (data_len)
		memcpy(a->buf + a->len, data, data_len);
	a->len += data_len;
	pad4(a);
	return at;
}

static size_t put_file(struct archive *a, const char *name, uint32_t mode, const void *data,
		       size_t size)
{
	static uint32_t ino = 100;
	struct newc_fields f = {
		.magic = "070701",
		.ino = ino++,
		.mode = mode,
		.nlink = (mode & S_IFDIR) ? 2 : 1,
		.mtime = 1700000000,
		.filesize = (uint32_t)size,
		.namesize = (uint32_t)strlen(name) + 1,
	};

	return put_entry_raw(a, &f, name, strlen(name) + 1, data, size);
}

static void put_trailer(struct archive *a)
{
	size_t at = put_file(a, "TRAILER!!!", 0, NULL, 0);

	a->trailer_end = at + HDR_LEN + sizeof("TRAILER!!!");
	/* Like GNU cpio, pad the archive to a 512-byte block. */
	while (a->len % 512)
		a->buf[a->len++] = 0;
}

static void set_hex(struct archive *a, size_t at, uint32_t v)
{
	char s[9];

	snprintf(s, sizeof(s), "%08X", v);
	memcpy(a->buf + at, s, 8);
}

static const char motd[] = "hello, world\n";
static const uint8_t init_bin[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

/* A directory tree as `find . | cpio -o -H newc` would write it. */
static void build_standard(struct archive *a)
{
	memset(a, 0, sizeof(*a));
	put_file(a, ".", S_IFDIR | 0755, NULL, 0);
	put_file(a, "./etc", S_IFDIR | 0755, NULL, 0);
	put_file(a, "./etc/motd", S_IFREG | 0644, motd, sizeof(motd) - 1);
	put_file(a, "./bin/init", S_IFREG | 0755, init_bin, sizeof(init_bin));
	put_file(a, "./a", S_IFREG | 0644, "x", 1);
	put_file(a, "./ab", S_IFREG | 0644, "xy", 2);
	put_file(a, "./abc", S_IFREG | 0644, "xyz", 3);
	put_file(a, "./empty", S_IFREG | 0644, NULL, 0);
	put_trailer(a);
}

static uint8_t *copy_exact(const void *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

/* Walk the whole archive; returns the final cpio_next() result. */
static int walk(const void *buf, size_t len, size_t *count)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int ret;

	*count = 0;
	cpio_iter_init(&it, buf, len);
	while ((ret = cpio_next(&it, &e)) == 1) {
		const uint8_t *b = buf, *d = e.data;

		/* Everything handed out lies inside the buffer. */
		assert_true((const uint8_t *)e.name >= b);
		assert_true((const uint8_t *)e.name + e.name_len < b + len);
		assert_int_equal(e.name[e.name_len], 0);
		assert_int_equal(strlen(e.name), e.name_len);
		assert_true(d >= b && e.size <= (size_t)(b + len - d));
		(*count)++;
	}
	return ret;
}

static void test_iterate(void **state)
{
	static struct archive a;
	static const struct {
		const char *name;
		uint32_t mode;
		const void *data;
		size_t size;
	} want[] = {
		{ ".", S_IFDIR | 0755, NULL, 0 },
		{ "./etc", S_IFDIR | 0755, NULL, 0 },
		{ "./etc/motd", S_IFREG | 0644, motd, sizeof(motd) - 1 },
		{ "./bin/init", S_IFREG | 0755, init_bin, sizeof(init_bin) },
		{ "./a", S_IFREG | 0644, "x", 1 },
		{ "./ab", S_IFREG | 0644, "xy", 2 },
		{ "./abc", S_IFREG | 0644, "xyz", 3 },
		{ "./empty", S_IFREG | 0644, NULL, 0 },
	};
	struct cpio_iter it;
	struct cpio_entry e;
	uint8_t *buf;
	uint32_t first_ino = 0;
	size_t i;

	(void)state;
	build_standard(&a);
	buf = copy_exact(a.buf, a.len);
	cpio_iter_init(&it, buf, a.len);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(cpio_next(&it, &e), 1);
		assert_string_equal(e.name, want[i].name);
		assert_int_equal(e.name_len, strlen(want[i].name));
		assert_int_equal(e.mode, want[i].mode);
		assert_int_equal(e.size, want[i].size);
		if (want[i].size)
			assert_memory_equal(e.data, want[i].data, e.size);
		/* Data starts 4-aligned from the archive start. */
		assert_int_equal(((const uint8_t *)e.data - buf) % 4, 0);
		assert_int_equal(e.mtime, 1700000000);
		assert_int_equal(e.nlink, (e.mode & S_IFDIR) ? 2 : 1);
		if (i == 0)
			first_ino = e.ino;
		assert_int_equal(e.ino, first_ino + i);
	}
	assert_int_equal(cpio_next(&it, &e), 0);
	assert_int_equal(cpio_next(&it, &e), 0); /* stays at the end */
	free(buf);
}

static void test_find(void **state)
{
	static struct archive a;
	struct cpio_entry e;
	uint8_t *buf;

	(void)state;
	build_standard(&a);
	buf = copy_exact(a.buf, a.len);
	assert_int_equal(cpio_find(buf, a.len, "etc/motd", &e), 1);
	assert_memory_equal(e.data, motd, sizeof(motd) - 1);
	assert_int_equal(cpio_find(buf, a.len, "/etc/motd", &e), 1);
	assert_int_equal(cpio_find(buf, a.len, "./etc/motd", &e), 1);
	assert_int_equal(cpio_find(buf, a.len, "/bin/init", &e), 1);
	assert_int_equal(e.size, sizeof(init_bin));
	assert_int_equal(cpio_find(buf, a.len, "etc", &e), 1);
	assert_int_equal(e.mode & 0170000, S_IFDIR);
	assert_int_equal(cpio_find(buf, a.len, "ab", &e), 1);
	assert_int_equal(e.size, 2);
	assert_int_equal(cpio_find(buf, a.len, "empty", &e), 1);
	assert_int_equal(e.size, 0);
	/* Prefixes and extensions of names do not match. */
	assert_int_equal(cpio_find(buf, a.len, "etc/mot", &e), 0);
	assert_int_equal(cpio_find(buf, a.len, "etc/motdx", &e), 0);
	assert_int_equal(cpio_find(buf, a.len, "abcd", &e), 0);
	assert_int_equal(cpio_find(buf, a.len, "TRAILER!!!", &e), 0);
	free(buf);

	/* Names stored without "./", looked up with it. */
	memset(&a, 0, sizeof(a));
	put_file(&a, "sbin", S_IFDIR | 0755, NULL, 0);
	put_file(&a, "sbin/root", S_IFREG | 0755, "RR", 2);
	put_file(&a, "/abs", S_IFREG | 0644, "A", 1);
	put_trailer(&a);
	buf = copy_exact(a.buf, a.len);
	assert_int_equal(cpio_find(buf, a.len, "./sbin/root", &e), 1);
	assert_memory_equal(e.data, "RR", 2);
	assert_int_equal(cpio_find(buf, a.len, "sbin/root", &e), 1);
	assert_int_equal(cpio_find(buf, a.len, "abs", &e), 1);
	assert_int_equal(cpio_find(buf, a.len, "./abs", &e), 1);
	free(buf);
}

static void test_crc_magic_and_lowercase_hex(void **state)
{
	static struct archive a;
	struct newc_fields f = {
		.magic = "070702",
		.mode = S_IFREG | 0644,
		.nlink = 1,
		.filesize = 4,
		.namesize = 5,
	};
	struct cpio_entry e;
	size_t at, i;

	(void)state;
	memset(&a, 0, sizeof(a));
	at = put_entry_raw(&a, &f, "file", 5, "data", 4);
	put_trailer(&a);
	for (i = 6; i < HDR_LEN; i++) {
		if (a.buf[at + i] >= 'A' && a.buf[at + i] <= 'F')
			a.buf[at + i] += 'a' - 'A';
	}
	assert_int_equal(cpio_find(a.buf, a.len, "file", &e), 1);
	assert_int_equal(e.mode, S_IFREG | 0644);
	assert_memory_equal(e.data, "data", 4);
}

static void test_bad_magic(void **state)
{
	static struct archive a;
	static const char *const bad[] = { "070707", "070700", "070703", "17070 ", "\0\0\0\0\0\0" };
	size_t i, count;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		build_standard(&a);
		memcpy(a.buf, bad[i], 6);
		assert_int_equal(walk(a.buf, a.len, &count), CPIO_EBADMAGIC);
		assert_int_equal(count, 0);
	}
	/* On a later entry too, after the good ones are returned. */
	build_standard(&a);
	memcpy(a.buf + SECOND_HDR, "070707", 6);
	assert_int_equal(walk(a.buf, a.len, &count), CPIO_EBADMAGIC);
	assert_int_equal(count, 1);
}

static void test_bad_hex(void **state)
{
	static struct archive a;
	static const uint8_t bad[] = { 'g', 'G', ' ', '-', 'x', 0, 0x80, ':' };
	size_t i, pos, count;

	(void)state;
	/* Every field position of the first header, with several bad digits. */
	for (pos = 6; pos < HDR_LEN; pos++) {
		for (i = 0; i < sizeof(bad); i++) {
			build_standard(&a);
			a.buf[pos] = bad[i];
			assert_int_equal(walk(a.buf, a.len, &count), CPIO_EBADHEX);
		}
	}
}

static void test_huge_sizes(void **state)
{
	static struct archive a;
	static const uint32_t huge[] = { 0xffffffff, 0xfffffffc, 0x80000000, ARCHIVE_MAX };
	size_t i, count;
	uint8_t *buf;

	(void)state;
	for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		build_standard(&a);
		set_hex(&a, H_FILESIZE, huge[i]);
		buf = copy_exact(a.buf, a.len);
		assert_int_equal(walk(buf, a.len, &count), CPIO_ETRUNC);
		free(buf);

		build_standard(&a);
		set_hex(&a, H_NAMESIZE, huge[i]);
		buf = copy_exact(a.buf, a.len);
		assert_int_equal(walk(buf, a.len, &count), CPIO_ETRUNC);
		free(buf);
	}
}

static void test_bad_names(void **state)
{
	static struct archive a;
	struct newc_fields f = { .magic = "070701", .mode = S_IFREG, .nlink = 1 };
	size_t count;

	(void)state;
	/* namesize 0 */
	build_standard(&a);
	set_hex(&a, H_NAMESIZE, 0);
	assert_int_equal(walk(a.buf, a.len, &count), CPIO_EBADNAME);

	/* namesize one short: the last counted byte is not the NUL. */
	memset(&a, 0, sizeof(a));
	f.namesize = 4;
	put_entry_raw(&a, &f, "name", 4, NULL, 0);
	put_trailer(&a);
	assert_int_equal(walk(a.buf, a.len, &count), CPIO_EBADNAME);

	/* namesize one long: an embedded NUL hides a byte. */
	memset(&a, 0, sizeof(a));
	f.namesize = 6;
	put_entry_raw(&a, &f, "name\0", 6, NULL, 0);
	put_trailer(&a);
	assert_int_equal(walk(a.buf, a.len, &count), CPIO_EBADNAME);

	/* A trailer look-alike is not the trailer. */
	memset(&a, 0, sizeof(a));
	put_file(&a, "TRAILER!!", S_IFREG, NULL, 0);
	put_file(&a, "TRAILER!!!!", S_IFREG, NULL, 0);
	put_trailer(&a);
	assert_int_equal(walk(a.buf, a.len, &count), 0);
	assert_int_equal(count, 2);
}

static void test_missing_trailer(void **state)
{
	static struct archive a;
	size_t count;
	uint8_t *buf;

	(void)state;
	memset(&a, 0, sizeof(a));
	put_file(&a, "a", S_IFREG, "1234", 4);
	put_file(&a, "b", S_IFREG, "5", 1);
	buf = copy_exact(a.buf, a.len);
	assert_int_equal(walk(buf, a.len, &count), CPIO_ETRUNC);
	assert_int_equal(count, 2);
	free(buf);

	/* Zero padding after the last entry is not a trailer either. */
	memset(a.buf + a.len, 0, 512);
	a.len += 512;
	assert_int_equal(walk(a.buf, a.len, &count), CPIO_EBADMAGIC);

	/* An empty buffer is an archive cut short. */
	assert_int_equal(walk(a.buf, 0, &count), CPIO_ETRUNC);
}

static void test_error_is_sticky(void **state)
{
	static struct archive a;
	struct cpio_iter it;
	struct cpio_entry e;

	(void)state;
	build_standard(&a);
	a.buf[SECOND_HDR + H_FILESIZE] = 'z';
	cpio_iter_init(&it, a.buf, a.len);
	assert_int_equal(cpio_next(&it, &e), 1);
	assert_int_equal(cpio_next(&it, &e), CPIO_EBADHEX);
	assert_int_equal(cpio_next(&it, &e), CPIO_EBADHEX);
	/* cpio_find reports the error when it comes before the entry. */
	assert_int_equal(cpio_find(a.buf, a.len, "etc/motd", &e), CPIO_EBADHEX);
	assert_int_equal(cpio_find(a.buf, a.len, ".", &e), 1);
}

/* Archives one after another, as a Linux initramfs may be: the later
 * ones' entries follow, and a later copy of a name replaces the earlier. */
static void test_concatenated(void **state)
{
	static struct archive a;
	struct cpio_entry e;
	size_t count, first_end;
	uint8_t *buf;

	(void)state;
	build_standard(&a);
	first_end = a.len;
	put_file(&a, "./etc/motd", S_IFREG | 0644, "second\n", 7);
	put_file(&a, "new", S_IFREG | 0644, "N", 1);
	put_trailer(&a);
	buf = copy_exact(a.buf, a.len);
	assert_int_equal(walk(buf, a.len, &count), 0);
	assert_int_equal(count, 10);
	struct cpio_iter it;
	cpio_iter_init(&it, buf, a.len);
	while (cpio_next(&it, &e) == 1)
		;
	assert_int_equal(it.archives, 2);
	assert_int_equal(it.end, a.trailer_end + (4 - a.trailer_end % 4) % 4);
	assert_int_equal(cpio_find(buf, a.len, "etc/motd", &e), 1);
	assert_memory_equal(e.data, "second\n", 7);
	assert_int_equal(cpio_find(buf, a.len, "new", &e), 1);
	assert_int_equal(cpio_find(buf, a.len, "bin/init", &e), 1);
	free(buf);
	/* Cut anywhere: the first archive whole, then a clean end or a
	 * truncated second one; never a read past the copy. */
	for (size_t len = first_end; len <= a.len; len++) {
		buf = copy_exact(a.buf, len);
		int ret = walk(buf, len, &count);
		assert_true(ret == 0 || ret == CPIO_ETRUNC);
		if (len < first_end + 6)
			assert_int_equal(ret, 0);
		free(buf);
	}

	/* After a trailer: junk, or the magic off a multiple of 4, ends it. */
	build_standard(&a);
	memcpy(a.buf + a.len, "hello", 5);
	buf = copy_exact(a.buf, a.len + 5);
	assert_int_equal(walk(buf, a.len + 5, &count), 0);
	assert_int_equal(count, 8);
	free(buf);
	memcpy(a.buf + a.len,
	       "\0"
	       "070701",
	       7); /* at an odd offset */
	buf = copy_exact(a.buf, a.len + 120);
	assert_int_equal(walk(buf, a.len + 120, &count), 0);
	assert_int_equal(count, 8);
	free(buf);

	/* Many empty archives in a row: a loop, not a recursion. */
	memset(&a, 0, sizeof(a));
	while (a.len + 128 < ARCHIVE_MAX)
		put_file(&a, "TRAILER!!!", 0, NULL, 0);
	buf = copy_exact(a.buf, a.len);
	assert_int_equal(walk(buf, a.len, &count), 0);
	assert_int_equal(count, 0);
	free(buf);
}

static void test_truncated_every_length(void **state)
{
	static struct archive a;
	size_t len, count, shift;

	(void)state;
	build_standard(&a);
	for (shift = 0; shift < 4; shift++) {
		for (len = 0; len <= a.len; len++) {
			uint8_t *p = malloc(len + shift + 1);
			int ret;

			assert_non_null(p);
			/* An odd base must not matter: alignment is relative. */
			memcpy(p + shift, a.buf, len);
			ret = walk(p + shift, len, &count);
			if (len < a.trailer_end)
				assert_int_equal(ret, CPIO_ETRUNC);
			else
				assert_int_equal(ret, 0);
			free(p);
		}
	}
}

/* xorshift64: fixed seed, so a failure reproduces. */
static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_random_corruption(void **state)
{
	static struct archive good, a;
	static const char digits[] = "0123456789abcdefFFxX";
	int iter, ok = 0;

	(void)state;
	build_standard(&good);
	for (iter = 0; iter < 100000; iter++) {
		int n = 1 + (int)(rng() % 4), k, ret;
		size_t len = good.len, count;
		uint8_t *buf;

		a = good;
		for (k = 0; k < n; k++) {
			size_t at = rng() % good.trailer_end;

			/* Mostly hex digits, so the headers still parse. */
			if (rng() % 4)
				a.buf[at] = (uint8_t)digits[rng() % 20];
			else
				a.buf[at] = (uint8_t)rng();
		}
		if (rng() % 8 == 0)
			len = rng() % (good.len + 1);
		buf = copy_exact(a.buf, len);
		ret = walk(buf, len, &count);
		free(buf);
		assert_true(ret <= 0 && ret >= CPIO_EBADNAME);
		ok += ret == 0;
	}
	assert_true(ok > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iterate),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_crc_magic_and_lowercase_hex),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_hex),
		cmocka_unit_test(test_huge_sizes),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_missing_trailer),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_error_is_sticky),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
