/*
 * DEFLATE/gzip decoder (common/inflate.c).
 *
 * Known answers: the vectors gen_inflate_vectors.py writes with Python's
 * zlib and gzip (levels 0, 1, 6, 9; fixed-Huffman, Huffman-only, RLE and
 * small-window raw streams; full flushes; header flags; several members;
 * zero padding). Robustness: every truncation of several vectors, thousands
 * of random corruptions and random garbage, each from an exactly-sized heap
 * copy into an exactly-sized heap output, so AddressSanitizer flags any
 * access outside the buffers; a gzip success must give the right output.
 * Malformed streams written bit by bit here check each error code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_prng.h"

#include "common/inflate.h"

#ifndef INFLATE_VECTOR_DIR
#error "INFLATE_VECTOR_DIR must name the generated vectors"
#endif

static struct inflate_work work;

struct blob {
	uint8_t *p;
	size_t n;
};

static struct blob load(const char *name, const char *ext)
{
	char path[512];
	struct blob b = { NULL, 0 };

	snprintf(path, sizeof(path), "%s/%s%s", INFLATE_VECTOR_DIR, name, ext);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	b.n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	b.p = malloc(b.n ? b.n : 1);
	assert_non_null(b.p);
	assert_int_equal(fread(b.p, 1, b.n, f), b.n);
	fclose(f);
	return b;
}

/* An exactly-sized copy of p[0, n): reading p[n] is an ASan report. */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	assert_non_null(q);
	if (n)
		memcpy(q, p, n);
	return q;
}

static size_t last_used; /* inflate_raw's *in_used in the last run() */

/* Decode in with the decoder of `kind` into an exactly-sized output. */
static int run(bool gzip, const uint8_t *in, size_t n, size_t cap, uint8_t **out, size_t *out_len)
{
	uint8_t *src = dup_exact(in, n);
	uint8_t *dst = malloc(cap ? cap : 1);
	size_t used = 0;
	int rc;

	assert_non_null(dst);
	*out_len = (size_t)-1;
	if (gzip)
		rc = gzip_inflate(&work, src, n, dst, cap, out_len);
	else
		rc = inflate_raw(&work, src, n, &used, dst, 0, cap, out_len);
	last_used = used;
	free(src);
	*out = dst;
	return rc;
}

struct vector {
	bool gzip;
	char name[64];
};

static struct vector vectors[256];
static size_t n_vectors;

static int load_manifest(void **state)
{
	char path[512], kind[16], name[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/manifest.txt", INFLATE_VECTOR_DIR);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (n_vectors < 256 && fscanf(f, "%15s %63s", kind, name) == 2) {
		vectors[n_vectors].gzip = strcmp(kind, "gzip") == 0;
		strcpy(vectors[n_vectors].name, name);
		n_vectors++;
	}
	fclose(f);
	return n_vectors >= 80 ? 0 : -1;
}

static struct blob load_in(const struct vector *v)
{
	return load(v->name, v->gzip ? ".gz" : ".deflate");
}

static void test_known_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_vectors; i++) {
		const struct vector *v = &vectors[i];
		struct blob in = load_in(v), want = load(v->name, ".out");
		uint8_t *out;
		size_t len;
		int rc = run(v->gzip, in.p, in.n, want.n, &out, &len);

		if (rc != 0)
			fail_msg("%s: %s", v->name, inflate_strerror(rc));
		assert_int_equal(len, want.n);
		assert_memory_equal(out, want.p, want.n);
		if (!v->gzip)
			assert_int_equal(last_used, in.n); /* the stream ends the file */
		free(out);
		/* With room to spare (the match copy may then run ahead). */
		assert_int_equal(run(v->gzip, in.p, in.n, want.n + 64, &out, &len), 0);
		assert_int_equal(len, want.n);
		assert_memory_equal(out, want.p, want.n);
		free(out);
		/* One byte short of room is ENOSPC, not a partial success. */
		if (want.n) {
			assert_int_equal(run(v->gzip, in.p, in.n, want.n - 1, &out, &len),
					 INFLATE_ENOSPC);
			free(out);
		}
		if (v->gzip) {
			uint64_t size = 0;
			assert_int_equal(gzip_scan(&work, in.p, in.n, &size), 0);
			assert_int_equal(size, want.n);
			assert_true(gzip_is_gzip(in.p, in.n));
		}
		free(in.p);
		free(want.p);
	}
}

static void test_isize_hint(void **state)
{
	struct blob in = load("cpio-9", ".gz"), want = load("cpio-9", ".out");

	(void)state;
	assert_int_equal(gzip_isize_hint(in.p, in.n), want.n);
	assert_int_equal(gzip_isize_hint(in.p, 3), 0);
	free(in.p);
	free(want.p);
}

/* Every proper prefix of a single-member stream is an error; of a
 * multi-member one, a success only with a prefix of the output. */
static void check_truncations(const char *name, bool gzip, bool multi)
{
	struct vector v = { .gzip = gzip };
	snprintf(v.name, sizeof(v.name), "%s", name);
	struct blob in = load_in(&v), want = load(name, ".out");

	for (size_t n = 0; n < in.n; n++) {
		uint8_t *out;
		size_t len;
		int rc = run(gzip, in.p, n, want.n, &out, &len);

		if (!multi && rc >= 0)
			fail_msg("%s cut to %zu of %zu bytes: rc %d", name, n, in.n, rc);
		if (rc == 0) {
			assert_true(len <= want.n);
			assert_memory_equal(out, want.p, len);
		} else {
			assert_true(rc < 0 && rc >= GZIP_EJUNK);
		}
		free(out);
	}
	free(in.p);
	free(want.p);
}

static void test_truncation(void **state)
{
	(void)state;
	check_truncations("text-6", true, false);
	check_truncations("cpio-9", true, false);
	check_truncations("cpio-0", true, false);
	check_truncations("one-1", true, false);
	check_truncations("empty-6", true, false);
	check_truncations("flags", true, false);
	check_truncations("runs-1", true, false);
	check_truncations("text-fixed", false, false);
	check_truncations("cpio-huff", false, false);
	check_truncations("random-flush", false, false);
	check_truncations("multi", true, true);
	check_truncations("padded", true, true);
}

static struct prng rng_state = { 0x9e3779b97f4a7c15ull };

static uint64_t rng(void)
{
	return prng_next(&rng_state);
}

/* Random damage: bit flips, byte stores, a zeroed or duplicated range.
 * A gzip success is only allowed with exactly the original output. */
static void check_corruptions(const char *name, bool gzip, int cases)
{
	struct vector v = { .gzip = gzip };
	snprintf(v.name, sizeof(v.name), "%s", name);
	struct blob in = load_in(&v), want = load(name, ".out");
	uint8_t *buf = malloc(in.n);
	int failures = 0;

	assert_non_null(buf);
	for (int c = 0; c < cases; c++) {
		memcpy(buf, in.p, in.n);
		int edits = 1 + (int)(rng() % 4);
		for (int e = 0; e < edits; e++) {
			size_t at = rng() % in.n;
			switch (rng() % 4) {
			case 0:
				buf[at] ^= (uint8_t)(1u << (rng() % 8));
				break;
			case 1:
				buf[at] = (uint8_t)rng();
				break;
			case 2:
				memset(buf + at, 0, (size_t)(rng() % (in.n - at) % 16 + 1));
				break;
			default: {
				size_t from = rng() % in.n, k = rng() % 32;
				if (k > in.n - at)
					k = in.n - at;
				if (k > in.n - from)
					k = in.n - from;
				memmove(buf + at, buf + from, k);
			}
			}
		}
		/* Room for the right output, and a little more than needed. */
		size_t cap = want.n + (c & 1 ? 0 : 64);
		uint8_t *out;
		size_t len;
		int rc = run(gzip, buf, in.n, cap, &out, &len);
		if (rc == 0) {
			if (gzip) {
				assert_int_equal(len, want.n);
				assert_memory_equal(out, want.p, want.n);
			} else {
				assert_true(len <= cap);
			}
		} else {
			assert_true(rc < 0 && rc >= GZIP_EJUNK);
			failures++;
		}
		free(out);
	}
	/* Damage is noticed, mostly (a raw stream has no CRC to notice it). */
	if (gzip && failures <= cases / 2)
		fail_msg("%s: only %d of %d corruptions noticed", name, failures, cases);
	free(buf);
	free(in.p);
	free(want.p);
}

static void test_corruption(void **state)
{
	(void)state;
	check_corruptions("text-6", true, 3000);
	check_corruptions("cpio-9", true, 3000);
	check_corruptions("cpio-1", true, 2000);
	check_corruptions("random-0", true, 500);
	check_corruptions("multipad", true, 300);
	check_corruptions("runs-9", true, 1000);
	check_corruptions("text-fixed", false, 2000);
	check_corruptions("cpio-rle", false, 2000);
}

/* Random bytes as a raw stream and behind a gzip header. */
static void test_garbage(void **state)
{
	uint8_t buf[600];

	(void)state;
	for (int c = 0; c < 20000; c++) {
		size_t n = rng() % sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rng();
		if (c & 1 && n >= 10) {
			memcpy(buf, "\x1f\x8b\x08\x00\0\0\0\0\0\3", 10);
		}
		uint8_t *out;
		size_t len;
		int rc = run(c & 1, buf, n, rng() % 4096, &out, &len);
		assert_true(rc <= 0 && rc >= GZIP_EJUNK);
		free(out);
	}
}

/* --- Streams written bit by bit --------------------------------------- */

struct bitw {
	uint8_t buf[512];
	size_t bits;
};

static void put(struct bitw *w, uint32_t val, unsigned n)
{
	for (unsigned i = 0; i < n; i++, w->bits++) {
		if ((val >> i) & 1)
			w->buf[w->bits / 8] |= (uint8_t)(1u << (w->bits % 8));
	}
}

/* A Huffman code: its bits go most significant first. */
static void put_code(struct bitw *w, uint32_t code, unsigned len)
{
	while (len--)
		put(w, (code >> len) & 1, 1);
}

static void put_fixed_lit(struct bitw *w, unsigned sym)
{
	if (sym < 144)
		put_code(w, 0x30 + sym, 8);
	else if (sym < 256)
		put_code(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		put_code(w, sym - 256, 7);
	else
		put_code(w, 0xc0 + sym - 280, 8);
}

static size_t nbytes(const struct bitw *w)
{
	return (w->bits + 7) / 8;
}

static int raw(const struct bitw *w, size_t cap, size_t *len)
{
	uint8_t *out;
	int rc = run(false, w->buf, nbytes(w), cap, &out, len);
	free(out);
	return rc;
}

static void test_block_errors(void **state)
{
	struct bitw w;
	size_t len;

	(void)state;
	/* BFINAL=1, BTYPE=3. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 3, 2);
	assert_int_equal(raw(&w, 16, &len), INFLATE_EBTYPE);

	/* Stored: LEN 1, NLEN not its complement. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 0, 2);
	put(&w, 0, 5);
	put(&w, 1, 16);
	put(&w, 0xfffd, 16);
	put(&w, 'x', 8);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ESTORED);
	/* ... with the right NLEN: one byte; cut the byte: truncated. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 0, 7);
	put(&w, 1, 16);
	put(&w, 0xfffe, 16);
	put(&w, 'x', 8);
	assert_int_equal(raw(&w, 1, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(raw(&w, 0, &len), INFLATE_ENOSPC);
	w.bits -= 8;
	assert_int_equal(raw(&w, 16, &len), INFLATE_ETRUNC);

	/* Fixed: 'a', then length 3 at distance 1 is fine ("aaaa")... */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_fixed_lit(&w, 'a');
	put_fixed_lit(&w, 257); /* length 3 */
	put_code(&w, 0, 5);	/* distance 1 */
	put_fixed_lit(&w, 256);
	uint8_t *out;
	assert_int_equal(run(false, w.buf, nbytes(&w), 4, &out, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "aaaa", 4);
	free(out);
	assert_int_equal(raw(&w, 3, &len), INFLATE_ENOSPC);
	/* ... at distance 2 it reaches before the start. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_fixed_lit(&w, 'a');
	put_fixed_lit(&w, 257);
	put_code(&w, 1, 5); /* distance 2 */
	put_fixed_lit(&w, 256);
	assert_int_equal(raw(&w, 16, &len), INFLATE_EDIST);
	/* The output before out_start is out of reach too: a match first. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_fixed_lit(&w, 257);
	put_code(&w, 0, 5);
	put_fixed_lit(&w, 256);
	uint8_t prior[8] = "abcdefg";
	size_t used;
	assert_int_equal(inflate_raw(&work, w.buf, nbytes(&w), &used, prior, 1, 8, &len),
			 INFLATE_EDIST);
	/* ... and a stream written after out_start leaves what is before alone. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_fixed_lit(&w, 'z');
	put_fixed_lit(&w, 257);
	put_code(&w, 0, 5);
	put_fixed_lit(&w, 256);
	assert_int_equal(inflate_raw(&work, w.buf, nbytes(&w), &used, prior, 2, 6, &len), 0);
	assert_int_equal(len, 4);
	assert_int_equal(used, nbytes(&w));
	assert_memory_equal(prior, "abzzzzg", 8);
	assert_int_equal(inflate_raw(&work, w.buf, nbytes(&w), &used, prior, 3, 6, &len),
			 INFLATE_ENOSPC);

	/* Fixed: length symbols 286, 287 and distance symbols 30, 31 do not exist. */
	for (unsigned sym = 286; sym <= 287; sym++) {
		memset(&w, 0, sizeof(w));
		put(&w, 1, 1);
		put(&w, 1, 2);
		put_fixed_lit(&w, 'a');
		put_fixed_lit(&w, sym);
		put_code(&w, 0, 5);
		put_fixed_lit(&w, 256);
		assert_int_equal(raw(&w, 16, &len), INFLATE_ESYM);
	}
	for (unsigned d = 30; d <= 31; d++) {
		memset(&w, 0, sizeof(w));
		put(&w, 1, 1);
		put(&w, 1, 2);
		put_fixed_lit(&w, 'a');
		put_fixed_lit(&w, 257);
		put_code(&w, d, 5);
		put_fixed_lit(&w, 256);
		assert_int_equal(raw(&w, 16, &len), INFLATE_ESYM);
	}
	/* A non-final empty block, then nothing: truncated. */
	memset(&w, 0, sizeof(w));
	put(&w, 0, 1);
	put(&w, 1, 2);
	put_fixed_lit(&w, 256);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ETRUNC);
}

/* Dynamic block header: HLIT, HDIST, HCLEN and the code-length code with
 * symbols 0, 16, 17, 18 of two bits each (codes 00, 01, 10, 11). */
static void dyn_header4(struct bitw *w, unsigned hlit, unsigned hdist)
{
	memset(w, 0, sizeof(*w));
	put(w, 1, 1);
	put(w, 2, 2);
	put(w, hlit - 257, 5);
	put(w, hdist - 1, 5);
	put(w, 0, 4); /* four code-length lengths: 16, 17, 18, 0 */
	for (int i = 0; i < 4; i++)
		put(w, 2, 3);
}

/* Code-length code: 1 -> "0", 0 -> "10", 18 -> "11". */
static void dyn_header3(struct bitw *w, unsigned hlit, unsigned hdist)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					   11, 4,  12, 3, 13, 2, 14, 1, 15 };
	memset(w, 0, sizeof(*w));
	put(w, 1, 1);
	put(w, 2, 2);
	put(w, hlit - 257, 5);
	put(w, hdist - 1, 5);
	put(w, 18 - 4, 4);
	for (int i = 0; i < 18; i++) {
		unsigned sym = order[i];
		put(w, sym == 1 ? 1 : (sym == 0 || sym == 18) ? 2 : 0, 3);
	}
}

static void zeros18(struct bitw *w, unsigned n) /* 11..138 zeros, code-length code 3 */
{
	put_code(w, 3, 2);
	put(w, n - 11, 7);
}

static void test_dynamic_errors(void **state)
{
	struct bitw w;
	size_t len;

	(void)state;
	/* HLIT 287 (over 286) and HDIST 31 (over 30). */
	dyn_header4(&w, 287, 1);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ELENS);
	dyn_header4(&w, 257, 31);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ELENS);

	/* Code-length code over-subscribed: 19 codes of one bit. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 5);
	put(&w, 0, 5);
	put(&w, 15, 4);
	for (int i = 0; i < 19; i++)
		put(&w, 1, 3);
	assert_int_equal(raw(&w, 16, &len), INFLATE_EOVERSUB);
	/* ... incomplete: a single code of two bits. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 10);
	put(&w, 0, 4);
	put(&w, 2, 3);
	put(&w, 0, 9);
	assert_int_equal(raw(&w, 16, &len), INFLATE_EINCOMPLETE);

	/* A repeat (16) with nothing before it. */
	dyn_header4(&w, 257, 1);
	put_code(&w, 1, 2);
	put(&w, 0, 2);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ELENS);
	/* Zeros past HLIT + HDIST. */
	dyn_header4(&w, 257, 1);
	zeros18(&w, 138);
	zeros18(&w, 138);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ELENS);
	/* All 258 lengths zero: no end-of-block code. */
	dyn_header4(&w, 257, 1);
	zeros18(&w, 138);
	zeros18(&w, 120);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ENOEOB);

	/* Literal/length code: 258 codes of one bit, over-subscribed. */
	dyn_header3(&w, 257, 1);
	for (int i = 0; i < 258; i++)
		put_code(&w, 0, 1);
	assert_int_equal(raw(&w, 16, &len), INFLATE_EOVERSUB);

	/* Only the end-of-block code, of one bit, and no distance code: the
	 * incomplete codes RFC 1951 and zlib allow. An empty block. */
	dyn_header3(&w, 257, 1);
	zeros18(&w, 138);
	zeros18(&w, 118);
	put_code(&w, 0, 1); /* lens[256] = 1 */
	put_code(&w, 2, 2); /* the distance length: 0 */
	put_code(&w, 0, 1); /* end of block */
	assert_int_equal(raw(&w, 16, &len), 0);
	assert_int_equal(len, 0);
	/* The unused one-bit code is no symbol. */
	w.bits--;
	put_code(&w, 1, 1);
	for (int i = 0; i < 16; i++)
		put_code(&w, 1, 1);
	assert_int_equal(raw(&w, 16, &len), INFLATE_ESYM);
}

/* A gzip member (text-6), its parts changed one at a time. */
static void test_gzip_errors(void **state)
{
	struct blob in = load("text-6", ".gz"), want = load("text-6", ".out");
	uint8_t *b = malloc(in.n + 16), *out;
	size_t len;

	(void)state;
	assert_non_null(b);
#define RESET() memcpy(b, in.p, in.n)
#define GZ(size) run(true, b, (size), want.n, &out, &len)
	RESET();
	b[0] = 0x1e;
	assert_int_equal(GZ(in.n), GZIP_EMAGIC);
	free(out);
	RESET();
	b[1] = 0;
	assert_int_equal(GZ(in.n), GZIP_EMAGIC);
	free(out);
	RESET();
	b[2] = 7;
	assert_int_equal(GZ(in.n), GZIP_EMETHOD);
	free(out);
	RESET();
	b[3] = 0x20;
	assert_int_equal(GZ(in.n), GZIP_EFLAGS);
	free(out);
	RESET();
	b[in.n - 8] ^= 1; /* CRC32 */
	assert_int_equal(GZ(in.n), GZIP_ECRC);
	free(out);
	RESET();
	b[in.n - 2] ^= 1; /* ISIZE */
	assert_int_equal(GZ(in.n), GZIP_EISIZE);
	free(out);
	/* gzip_scan checks ISIZE but cannot check the CRC. */
	uint64_t size;
	assert_int_equal(gzip_scan(&work, b, in.n, &size), GZIP_EISIZE);
	RESET();
	memcpy(b + in.n, "\0\0junk", 6);
	assert_int_equal(GZ(in.n + 6), GZIP_EJUNK);
	free(out);
	memcpy(b + in.n, "\0\0\0\0\x1f\x8b", 6); /* padding, then half a header */
	assert_int_equal(GZ(in.n + 6), INFLATE_ETRUNC);
	free(out);
	memcpy(b + in.n, "\0\0\0\0\0\0", 6);
	assert_int_equal(GZ(in.n + 6), 0);
	free(out);
	free(b);
	free(in.p);
	free(want.p);

	/* The header CRC16. */
	in = load("flags", ".gz");
	want = load("flags", ".out");
	b = dup_exact(in.p, in.n);
	assert_int_equal(GZ(in.n), 0);
	free(out);
	size_t hcrc = 10 + 2 + 6 + sizeof("name.cpio") + sizeof("a comment");
	b[hcrc] ^= 0x40;
	assert_int_equal(GZ(in.n), GZIP_EHCRC);
	free(out);
	free(b);
	free(in.p);
	free(want.p);
	/* Empty input, NULL output with no room. */
	assert_int_equal(gzip_inflate(&work, (const uint8_t *)"", 0, NULL, 0, &len), GZIP_EMAGIC);
	assert_false(gzip_is_gzip((const uint8_t *)"\x1f", 1));
#undef RESET
#undef GZ
}

/* A gzip part followed by a plain archive, as a Linux initramfs may be. */
static void test_prefix(void **state)
{
	struct blob in = load("multi", ".gz"), want = load("multi", ".out");
	uint8_t *b = malloc(in.n + 16), *out = malloc(want.n);
	size_t used, len;
	uint64_t size;

	(void)state;
	assert_non_null(b);
	assert_non_null(out);
	memcpy(b, in.p, in.n);
	assert_int_equal(gzip_inflate_prefix(&work, b, in.n, &used, out, want.n, &len), 0);
	assert_int_equal(used, in.n);
	assert_int_equal(len, want.n);
	memcpy(b + in.n,
	       "\0\0"
	       "070701",
	       8);
	assert_int_equal(gzip_inflate(&work, b, in.n + 8, out, want.n, &len), GZIP_EJUNK);
	memset(out, 0, want.n);
	assert_int_equal(gzip_inflate_prefix(&work, b, in.n + 8, &used, out, want.n, &len), 0);
	assert_int_equal(used, in.n + 2); /* at the plain part, padding skipped */
	assert_int_equal(len, want.n);
	assert_memory_equal(out, want.p, want.n);
	assert_int_equal(gzip_scan_prefix(&work, b, in.n + 8, &used, &size), 0);
	assert_int_equal(used, in.n + 2);
	assert_int_equal(size, want.n);
	/* A member's magic after the padding is a member, whole or not. */
	memcpy(b + in.n, "\0\0\x1f\x8b\x08", 5);
	assert_int_equal(gzip_inflate_prefix(&work, b, in.n + 5, &used, out, want.n, &len),
			 INFLATE_ETRUNC);
	/* The first bytes must be a member. */
	assert_int_equal(gzip_inflate_prefix(&work, b + in.n + 2 - 6, 6, &used, out, 0, &len),
			 GZIP_EMAGIC);
	free(b);
	free(out);
	free(in.p);
	free(want.p);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(inflate_strerror(0), "ok");
	for (int e = GZIP_EJUNK; e < 0; e++) {
		const char *s = inflate_strerror(e);
		assert_non_null(s);
		assert_string_not_equal(s, "unknown inflate error");
		for (int f = e + 1; f < 0; f++)
			assert_string_not_equal(s, inflate_strerror(f));
	}
	assert_string_equal(inflate_strerror(-100), "unknown inflate error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),  cmocka_unit_test(test_isize_hint),
		cmocka_unit_test(test_truncation),     cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_garbage),	       cmocka_unit_test(test_block_errors),
		cmocka_unit_test(test_dynamic_errors), cmocka_unit_test(test_gzip_errors),
		cmocka_unit_test(test_prefix),	       cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, load_manifest, NULL);
}
