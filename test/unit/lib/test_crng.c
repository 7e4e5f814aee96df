/*
 * The fast-key-erasure CRNG: determinism for a seed, the rekey on every
 * request (checked independently against chacha20_block), no repeated
 * output, large requests, and seeds that mix rather than replace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <kernel/chacha20.h>
#include <kernel/crng.h>

#define LARGE_REQUEST 10000

static void seeded_crng(struct crng *crng, uint8_t fill)
{
	uint8_t seed[32];

	memset(crng, 0, sizeof(*crng));
	memset(seed, fill, sizeof(seed));
	crng_seed(crng, seed);
}

/* Block `counter` of the output stream (nonce 0) under a given key. */
static void output_block(const uint8_t key[32], uint32_t counter, uint8_t out[64])
{
	const uint32_t nonce[3] = { 0, 0, 0 };
	uint32_t key_words[8];

	chacha20_load_words(key_words, key, 8);
	chacha20_block(key_words, counter, nonce, out);
}

static void test_same_seed_gives_same_output(void **unused)
{
	struct crng a, b;
	uint8_t out_a[100], out_b[100];

	(void)unused;
	seeded_crng(&a, 0x42);
	seeded_crng(&b, 0x42);
	for (int i = 0; i < 3; i++) {
		crng_generate(&a, out_a, sizeof(out_a));
		crng_generate(&b, out_b, sizeof(out_b));
		assert_memory_equal(out_a, out_b, sizeof(out_a));
	}
}

static void test_seed_marks_seeded_and_changes_key(void **unused)
{
	struct crng crng = { 0 };
	uint8_t zero[32] = { 0 };

	(void)unused;
	assert_false(crng_is_seeded(&crng));
	crng_seed(&crng, zero);
	assert_true(crng_is_seeded(&crng));
	/* Even an all-zero seed must not leave the raw XOR in the key. */
	assert_memory_not_equal(crng.key, zero, sizeof(zero));
}

/*
 * The heart of fast key erasure: after a request the key is the first half
 * of block 0 under the old key, the output is the second half followed by
 * blocks 1, 2, ... under the old key, and nothing of the old key remains.
 */
static void test_generate_rekeys_and_follows_old_stream(void **unused)
{
	struct crng crng;
	uint8_t old_key[32];
	uint8_t block[64];
	uint8_t out[32 + 64 + 10];

	(void)unused;
	seeded_crng(&crng, 0x17);
	memcpy(old_key, crng.key, sizeof(old_key));
	crng_generate(&crng, out, sizeof(out));

	assert_memory_not_equal(crng.key, old_key, sizeof(old_key));
	output_block(old_key, 0, block);
	assert_memory_equal(crng.key, block, 32);
	assert_memory_equal(out, block + 32, 32);
	output_block(old_key, 1, block);
	assert_memory_equal(out + 32, block, 64);
	output_block(old_key, 2, block);
	assert_memory_equal(out + 96, block, 10);
}

static void test_every_request_rekeys(void **unused)
{
	struct crng crng;
	uint8_t before[32];
	uint8_t block[64];
	uint8_t out[1];
	const size_t lens[] = { 0, 1, 31, 32, 33, 64, 96, 97, 1000 };

	(void)unused;
	seeded_crng(&crng, 0x99);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint8_t *buf = lens[i] ? malloc(lens[i]) : out;

		assert_non_null(buf);
		memcpy(before, crng.key, sizeof(before));
		crng_generate(&crng, buf, lens[i]);
		output_block(before, 0, block);
		assert_memory_equal(crng.key, block, 32);
		assert_memory_not_equal(crng.key, before, 32);
		if (lens[i])
			free(buf);
	}
}

/* Short requests take a prefix of the second half of block 0, no more. */
static void test_short_request_writes_only_len_bytes(void **unused)
{
	struct crng crng;
	uint8_t old_key[32];
	uint8_t block[64];
	uint8_t out[8];

	(void)unused;
	seeded_crng(&crng, 0x03);
	memcpy(old_key, crng.key, sizeof(old_key));
	memset(out, 0xee, sizeof(out));
	crng_generate(&crng, out, 5);
	output_block(old_key, 0, block);
	assert_memory_equal(out, block + 32, 5);
	assert_int_equal(out[5], 0xee);
	assert_int_equal(out[7], 0xee);
}

static void test_two_requests_do_not_repeat(void **unused)
{
	struct crng crng;
	uint8_t a[64], b[64];

	(void)unused;
	seeded_crng(&crng, 0x55);
	crng_generate(&crng, a, sizeof(a));
	crng_generate(&crng, b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
}

static int compare_chunks(const void *a, const void *b)
{
	return memcmp(*(const uint8_t *const *)a, *(const uint8_t *const *)b, 16);
}

/*
 * A large request is served in full, to its last byte, and has no repeated
 * 16-byte chunk within itself or against the next request: a repeat would
 * mean a block or a key was used twice.
 */
static void test_large_request_is_served_without_repeats(void **unused)
{
	enum { CHUNK = 16, CHUNKS = 2 * LARGE_REQUEST / CHUNK };
	struct crng crng;
	uint8_t *buf = malloc(2 * LARGE_REQUEST);
	const uint8_t **chunks = malloc(CHUNKS * sizeof(*chunks));
	size_t zeros = 0;

	(void)unused;
	assert_non_null(buf);
	assert_non_null(chunks);
	memset(buf, 0, 2 * LARGE_REQUEST);
	seeded_crng(&crng, 0x7e);
	crng_generate(&crng, buf, LARGE_REQUEST);
	crng_generate(&crng, buf + LARGE_REQUEST, LARGE_REQUEST);

	/* About 1/256 of random bytes are zero; the tail was written too. */
	for (size_t i = 0; i < 2 * LARGE_REQUEST; i++)
		zeros += buf[i] == 0;
	assert_in_range(zeros, 30, 130);
	for (size_t i = 0; i < CHUNKS; i++)
		chunks[i] = buf + i * CHUNK;
	assert_memory_not_equal(chunks[CHUNKS / 2 - 1], chunks[CHUNKS - 1], CHUNK);

	qsort(chunks, CHUNKS, sizeof(*chunks), compare_chunks);
	for (size_t i = 1; i < CHUNKS; i++)
		assert_memory_not_equal(chunks[i - 1], chunks[i], CHUNK);
	free(chunks);
	free(buf);
}

static void test_different_seeds_give_different_output(void **unused)
{
	struct crng a, b;
	uint8_t out_a[64], out_b[64];

	(void)unused;
	seeded_crng(&a, 0x01);
	seeded_crng(&b, 0x02);
	crng_generate(&a, out_a, sizeof(out_a));
	crng_generate(&b, out_b, sizeof(out_b));
	assert_memory_not_equal(out_a, out_b, sizeof(out_a));
}

/* Reseeding mixes: the result depends on the key that was there before. */
static void test_seed_mixes_into_existing_key(void **unused)
{
	struct crng a, b;
	uint8_t seed[32];
	uint8_t out_a[32], out_b[32];

	(void)unused;
	seeded_crng(&a, 0x01);
	seeded_crng(&b, 0x02);
	memset(seed, 0x33, sizeof(seed));
	crng_seed(&a, seed);
	crng_seed(&b, seed);
	assert_memory_not_equal(a.key, b.key, sizeof(a.key));
	crng_generate(&a, out_a, sizeof(out_a));
	crng_generate(&b, out_b, sizeof(out_b));
	assert_memory_not_equal(out_a, out_b, sizeof(out_a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_gives_same_output),
		cmocka_unit_test(test_seed_marks_seeded_and_changes_key),
		cmocka_unit_test(test_generate_rekeys_and_follows_old_stream),
		cmocka_unit_test(test_every_request_rekeys),
		cmocka_unit_test(test_short_request_writes_only_len_bytes),
		cmocka_unit_test(test_two_requests_do_not_repeat),
		cmocka_unit_test(test_large_request_is_served_without_repeats),
		cmocka_unit_test(test_different_seeds_give_different_output),
		cmocka_unit_test(test_seed_mixes_into_existing_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
