/*
 * TSC <-> ns fixed-point conversion against an exact 128-bit reference,
 * over 1-5 GHz (including awkward frequencies) and from 1000 cycles to ten
 * years; monotonicity; saturation; rejected frequencies; and the CPUID 0x15
 * and PIT-calibration frequency helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <kernel/tsc_math.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PPM 1000000ULL
/* 10 * 365.25 days, in seconds. */
#define TEN_YEARS_S (3652ULL * 86400 + 86400 / 2)

static const uint64_t awkward_hz[] = {
	1000000007ULL,	   2399987654ULL, 3000000000ULL,     4999999999ULL,
	1193182ULL * 1000, 2200000000ULL, 3579545ULL * 1000, 5000000000ULL,
};

/* A fixed xorshift, so the sampled values are the same on every run. */
static uint64_t next_sample(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static uint64_t exact_mul_div(uint64_t value, uint64_t num, uint64_t den)
{
	return (uint64_t)((unsigned __int128)value * num / den);
}

static uint64_t abs_diff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/*
 * The required bound is 1 ns + 1 ppm. The design gives more: mult carries
 * 64 significant bits, so below 2^64 the only error is the truncation of
 * the result, at most one unit.
 */
static void assert_close(uint64_t got, uint64_t exact)
{
	uint64_t diff = abs_diff(got, exact);

	if (diff > 1 + exact / PPM || diff > 1)
		fail_msg("got %llu, exact %llu", (unsigned long long)got,
			 (unsigned long long)exact);
}

/*
 * Geometric steps of about 1.5 from a start value up to max, the last one
 * landing on max exactly; 0 once max is done. Written so that nothing
 * wraps near 2^64.
 */
static uint64_t next_step(uint64_t v, uint64_t max)
{
	if (v >= max)
		return 0;
	return max - v <= v / 2 ? max : v + v / 2;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Check both directions at hz, from 1000 up to ten years. Only at 100 GHz
 * does ten years of cycles pass 2^64; there the range ends at 2^64 - 1.
 */
static void check_frequency(uint64_t hz)
{
	struct tsc_conv conv;
	const uint64_t max_cycles = (uint64_t)min_u64(UINT64_MAX / hz, TEN_YEARS_S) * hz;
	const uint64_t max_ns =
		min_u64(TEN_YEARS_S * 1000000000ULL, exact_mul_div(max_cycles, 1000000000ULL, hz));
	uint64_t rng = hz | 1;

	assert_int_equal(tsc_conv_init(&conv, hz), 0);
	assert_int_equal(conv.mult >> 63, 1);
	assert_int_equal(conv.inv_mult >> 63, 1);
	assert_int_equal(tsc_cycles_to_ns(&conv, 0), 0);
	assert_int_equal(tsc_ns_to_cycles(&conv, 0), 0);

	for (uint64_t c = 1000; c != 0; c = next_step(c, max_cycles))
		assert_close(tsc_cycles_to_ns(&conv, c), exact_mul_div(c, 1000000000ULL, hz));
	for (uint64_t ns = 1000; ns != 0; ns = next_step(ns, max_ns))
		assert_close(tsc_ns_to_cycles(&conv, ns), exact_mul_div(ns, hz, 1000000000ULL));

	/* Values with every bit pattern, not only round ones. */
	for (int i = 0; i < 2000; i++) {
		uint64_t c = 1000 + next_sample(&rng) % max_cycles;
		uint64_t ns = 1000 + next_sample(&rng) % max_ns;

		assert_close(tsc_cycles_to_ns(&conv, c), exact_mul_div(c, 1000000000ULL, hz));
		assert_close(tsc_ns_to_cycles(&conv, ns), exact_mul_div(ns, hz, 1000000000ULL));
	}

	/* Small counts: well inside 1 ns. */
	for (uint64_t c = 1; c < 3000; c++)
		assert_close(tsc_cycles_to_ns(&conv, c), exact_mul_div(c, 1000000000ULL, hz));
}

static void test_conversions_from_1_to_5_ghz(void **unused)
{
	(void)unused;
	for (uint64_t hz = 1000000000ULL; hz <= 5000000000ULL; hz += 125000000ULL)
		check_frequency(hz);
}

static void test_conversions_at_awkward_frequencies(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < ARRAY_SIZE(awkward_hz); i++)
		check_frequency(awkward_hz[i]);
}

static void test_conversions_at_range_limits(void **unused)
{
	(void)unused;
	check_frequency(TSC_HZ_MIN);
	check_frequency(TSC_HZ_MAX);
}

/* Ten years at 5 GHz fits, with room to spare. */
static void test_ten_years_at_5_ghz_fits(void **unused)
{
	struct tsc_conv conv;
	const uint64_t cycles = TEN_YEARS_S * 5000000000ULL;

	(void)unused;
	assert_int_equal(tsc_conv_init(&conv, 5000000000ULL), 0);
	assert_close(tsc_cycles_to_ns(&conv, cycles), TEN_YEARS_S * 1000000000ULL);
	assert_close(tsc_ns_to_cycles(&conv, TEN_YEARS_S * 1000000000ULL), cycles);
}

static void test_conversions_are_monotonic(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < ARRAY_SIZE(awkward_hz); i++) {
		const uint64_t hz = awkward_hz[i];
		const uint64_t max = TEN_YEARS_S * hz;
		uint64_t rng = 0x9e3779b97f4a7c15ULL ^ hz;
		struct tsc_conv conv;

		assert_int_equal(tsc_conv_init(&conv, hz), 0);
		for (int j = 0; j < 5000; j++) {
			uint64_t c = next_sample(&rng) % max;

			/* A short run, so steps of 0 and 1 both occur. */
			for (uint64_t k = c; k < c + 8; k++) {
				assert_true(tsc_cycles_to_ns(&conv, k + 1) >=
					    tsc_cycles_to_ns(&conv, k));
				assert_true(tsc_ns_to_cycles(&conv, k + 1) >=
					    tsc_ns_to_cycles(&conv, k));
			}
		}
	}
}

/* Past 2^64 the result saturates, so a far deadline stays far. */
static void test_overflow_saturates(void **unused)
{
	struct tsc_conv conv;

	(void)unused;
	assert_int_equal(tsc_conv_init(&conv, 5000000000ULL), 0);
	assert_int_equal(tsc_ns_to_cycles(&conv, UINT64_MAX), UINT64_MAX);
	assert_close(tsc_cycles_to_ns(&conv, UINT64_MAX), exact_mul_div(UINT64_MAX, 1, 5));

	assert_int_equal(tsc_conv_init(&conv, TSC_HZ_MIN), 0);
	assert_int_equal(tsc_cycles_to_ns(&conv, UINT64_MAX), UINT64_MAX);
}

static void test_implausible_frequencies_are_rejected(void **unused)
{
	const uint64_t bad[] = { 0, 1, TSC_HZ_MIN - 1, TSC_HZ_MAX + 1, UINT64_MAX };
	struct tsc_conv conv, before;

	(void)unused;
	memset(&conv, 0x5a, sizeof(conv));
	before = conv;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_true(tsc_conv_init(&conv, bad[i]) < 0);
		assert_memory_equal(&conv, &before, sizeof(conv));
	}
	assert_int_equal(tsc_conv_init(&conv, TSC_HZ_MIN), 0);
	assert_int_equal(tsc_conv_init(&conv, TSC_HZ_MAX), 0);
	assert_int_equal(conv.tsc_hz, TSC_HZ_MAX);
}

static void test_hz_from_cpuid15(void **unused)
{
	(void)unused;
	/* 25 MHz crystal, TSC/crystal = 176/2. */
	assert_int_equal(tsc_hz_from_cpuid15(2, 176, 25000000), 2200000000ULL);
	/* 24 MHz crystal (Skylake client), 250/2. */
	assert_int_equal(tsc_hz_from_cpuid15(2, 250, 24000000), 3000000000ULL);
	/* 19.2 MHz crystal (Goldmont), a ratio that does not divide evenly. */
	assert_int_equal(tsc_hz_from_cpuid15(3, 313, 19200000), 2003200000ULL);
	assert_int_equal(tsc_hz_from_cpuid15(7, 1000, 19200000), 19200000ULL * 1000 / 7);
	/* Largest fields: the product must not overflow. */
	assert_int_equal(tsc_hz_from_cpuid15(UINT32_MAX, UINT32_MAX, 25000000), 25000000);

	/* A zero field means "not enumerated". */
	assert_int_equal(tsc_hz_from_cpuid15(0, 176, 25000000), 0);
	assert_int_equal(tsc_hz_from_cpuid15(2, 0, 25000000), 0);
	assert_int_equal(tsc_hz_from_cpuid15(2, 176, 0), 0);
	assert_int_equal(tsc_hz_from_cpuid15(0, 0, 0), 0);
	/* Enumerated but absurd. */
	assert_int_equal(tsc_hz_from_cpuid15(1, 1, 1), 0);
	assert_int_equal(tsc_hz_from_cpuid15(1, UINT32_MAX, UINT32_MAX), 0);
}

static void test_hz_from_calibration(void **unused)
{
	const uint64_t pit_hz = 1193182;

	(void)unused;
	/* One full second of PIT ticks. */
	assert_int_equal(tsc_hz_from_calibration(2200000000ULL, pit_hz, pit_hz), 2200000000ULL);
	/* 10 ms of ticks at 3 GHz, rounded to the nearest Hz. */
	assert_int_equal(tsc_hz_from_calibration(30000168ULL, 11932, pit_hz),
			 (30000168ULL * pit_hz + 11932 / 2) / 11932);
	/* Rounding: 2000000001 / 2 = 1000000000.5 rounds up. */
	assert_int_equal(tsc_hz_from_calibration(2000000001ULL, 2, 1), 1000000001ULL);
	assert_int_equal(tsc_hz_from_calibration(1999999999ULL, 2, 1), 1000000000ULL);
	/* The product needs 128 bits; the result does not. */
	assert_int_equal(tsc_hz_from_calibration(UINT64_MAX / 2, UINT64_MAX / 4, 1000000000ULL),
			 2000000000ULL);

	assert_int_equal(tsc_hz_from_calibration(0, 11932, pit_hz), 0);
	assert_int_equal(tsc_hz_from_calibration(30000000, 0, pit_hz), 0);
	assert_int_equal(tsc_hz_from_calibration(30000000, 11932, 0), 0);
	/* Out of range either way. */
	assert_int_equal(tsc_hz_from_calibration(5, 11932, pit_hz), 0);
	assert_int_equal(tsc_hz_from_calibration(UINT64_MAX, 1, pit_hz), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions_from_1_to_5_ghz),
		cmocka_unit_test(test_conversions_at_awkward_frequencies),
		cmocka_unit_test(test_conversions_at_range_limits),
		cmocka_unit_test(test_ten_years_at_5_ghz_fits),
		cmocka_unit_test(test_conversions_are_monotonic),
		cmocka_unit_test(test_overflow_saturates),
		cmocka_unit_test(test_implausible_frequencies_are_rejected),
		cmocka_unit_test(test_hz_from_cpuid15),
		cmocka_unit_test(test_hz_from_calibration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
