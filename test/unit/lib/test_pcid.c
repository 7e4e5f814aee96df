/*
 * The PCID pool: every PCID 1..4095 handed out once before any repeats,
 * none while it is owned (the hole: a round-robin counter gave the 4,096th
 * VSpace the PCID of the first, which was still alive), 0 when none is
 * left, a freed one reused, PCID 0 never handed out, bad frees refused;
 * and a long random sequence of allocations and frees checked against a
 * model of who owns what.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_prng.h"

#include <kernel/pcid.h>

static struct pcid_pool pool;

static void all_distinct_then_none(void **state)
{
	(void)state;
	static uint8_t seen[PCID_COUNT];

	memset(seen, 0, sizeof(seen));
	pcid_pool_init(&pool);
	for (int i = 1; i < PCID_COUNT; i++) {
		uint16_t p = pcid_alloc(&pool);
		assert_true(p >= 1 && p < PCID_COUNT);
		assert_int_equal(seen[p], 0);
		seen[p] = 1;
		assert_true(pcid_owned(&pool, p));
	}
	/* All 4,095 live: a 4,096th VSpace must not share one. */
	assert_int_equal(pcid_alloc(&pool), 0);
	assert_int_equal(pcid_alloc(&pool), 0);
	assert_true(pcid_free(&pool, 1234));
	assert_int_equal(pcid_alloc(&pool), 1234);
	assert_int_equal(pcid_alloc(&pool), 0);
}

static void bad_frees_refused(void **state)
{
	(void)state;
	pcid_pool_init(&pool);
	assert_false(pcid_free(&pool, 0));
	assert_false(pcid_free(&pool, 7)); /* not owned */
	assert_false(pcid_free(&pool, PCID_COUNT));
	assert_false(pcid_owned(&pool, 0) == false); /* 0 counts as taken */
	uint16_t p = pcid_alloc(&pool);
	assert_true(pcid_free(&pool, p));
	assert_false(pcid_free(&pool, p)); /* twice */
	assert_int_equal(pool.free, PCID_COUNT - 1);
}

static void freed_reused_late(void **state)
{
	(void)state;
	struct pcid_pool fresh = PCID_POOL_INIT;
	pool = fresh; /* the static initialiser is the same pool */
	uint16_t a = pcid_alloc(&pool), b = pcid_alloc(&pool);
	assert_true(pcid_free(&pool, a));
	/* The search goes on from b: a comes back only after the rest. */
	assert_int_equal(pcid_alloc(&pool), b + 1);
}

static void random_against_model(void **state)
{
	(void)state;
	static uint16_t live[PCID_COUNT];
	static uint8_t owned[PCID_COUNT];
	size_t nlive = 0;
	struct prng s = { 0x9e3779b97f4a7c15ull }; /* the same sequence on every run */

	memset(owned, 0, sizeof(owned));
	pcid_pool_init(&pool);
	for (int step = 0; step < 200000; step++) {
		/* Mostly allocate until full, then churn. */
		if (nlive == 0 || (prng_next(&s) % 3 != 0 && nlive < PCID_COUNT - 1)) {
			uint16_t p = pcid_alloc(&pool);
			assert_true(p != 0);
			assert_int_equal(owned[p], 0);
			owned[p] = 1;
			live[nlive++] = p;
		} else if (nlive == PCID_COUNT - 1 && prng_next(&s) % 2) {
			assert_int_equal(pcid_alloc(&pool), 0);
		} else {
			size_t i = prng_next(&s) % nlive;
			uint16_t p = live[i];
			assert_true(pcid_free(&pool, p));
			owned[p] = 0;
			live[i] = live[--nlive];
		}
		assert_int_equal(pool.free, PCID_COUNT - 1 - nlive);
	}
	for (int p = 0; p < PCID_COUNT; p++)
		assert_int_equal(pcid_owned(&pool, (uint16_t)p), p == 0 || owned[p]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_distinct_then_none),
		cmocka_unit_test(bad_frees_refused),
		cmocka_unit_test(freed_reused_late),
		cmocka_unit_test(random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
