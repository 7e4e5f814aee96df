/*
 * Precomputation for TSC <-> nanosecond conversion, and the TSC frequency
 * from CPUID 0x15 or a PIT calibration.
 *
 * Entry points: tsc_conv_init, tsc_hz_from_cpuid15,
 * tsc_hz_from_calibration.
 *
 * The 128-by-64-bit division is done by hand: GCC would call __udivti3
 * from libgcc for it, and the kernel does not link libgcc. It runs only at
 * init, so its 128 iterations do not matter.
 */
#include <stdbool.h>

#include <kernel/tsc_math.h>

/* A backstop only: scale_for_mult() stops near 82 for accepted inputs. */
#define TSC_SHIFT_MAX 96

/* Shift-and-subtract long division; d must not be 0. */
static unsigned __int128 div_u128_u64(unsigned __int128 n, uint64_t d, uint64_t *remainder)
{
	unsigned __int128 q = 0;
	unsigned __int128 r = 0;

	for (int bit = 127; bit >= 0; bit--) {
		r = (r << 1) | ((n >> bit) & 1);
		if (r >= d) {
			r -= d;
			q |= (unsigned __int128)1 << bit;
		}
	}
	*remainder = (uint64_t)r;
	return q;
}

/* num / den rounded to the nearest integer; den must not be 0. */
static unsigned __int128 div_round_u128_u64(unsigned __int128 num, uint64_t den)
{
	uint64_t rem;
	unsigned __int128 q = div_u128_u64(num, den, &rem);

	/* rem >= den - rem, written so that nothing overflows. */
	if (rem >= den - rem)
		q++;
	return q;
}

static bool tsc_hz_is_plausible(uint64_t hz)
{
	return hz >= TSC_HZ_MIN && hz <= TSC_HZ_MAX;
}

/*
 * Find the largest shift for which mult = round(num * 2^shift / den) still
 * fits in 64 bits, so mult keeps 64 significant bits. With num and den
 * below 2^37 (the accepted frequencies and NSEC_PER_SEC), num << shift
 * stays near den * 2^64 < 2^101 and the shift below 82, so neither the
 * division here nor the 128-bit product in the conversions overflows.
 */
static void scale_for_mult(uint64_t num, uint64_t den, uint64_t *mult, uint32_t *shift)
{
	uint32_t s = 0;

	while (s < TSC_SHIFT_MAX) {
		unsigned __int128 m = div_round_u128_u64((unsigned __int128)num << (s + 1), den);

		if (m > UINT64_MAX)
			break;
		s++;
	}
	*mult = (uint64_t)div_round_u128_u64((unsigned __int128)num << s, den);
	*shift = s;
}

int tsc_conv_init(struct tsc_conv *conv, uint64_t tsc_hz)
{
	if (!tsc_hz_is_plausible(tsc_hz))
		return -1;

	scale_for_mult(NSEC_PER_SEC, tsc_hz, &conv->mult, &conv->shift);
	scale_for_mult(tsc_hz, NSEC_PER_SEC, &conv->inv_mult, &conv->inv_shift);
	conv->tsc_hz = tsc_hz;
	return 0;
}

uint64_t tsc_hz_from_cpuid15(uint32_t eax_denominator, uint32_t ebx_numerator,
			     uint32_t ecx_crystal_hz)
{
	uint64_t hz;

	if (eax_denominator == 0 || ebx_numerator == 0 || ecx_crystal_hz == 0)
		return 0;
	/* Fits: both factors are below 2^32. */
	hz = (uint64_t)ecx_crystal_hz * ebx_numerator / eax_denominator;
	return tsc_hz_is_plausible(hz) ? hz : 0;
}

uint64_t tsc_hz_from_calibration(uint64_t tsc_delta, uint64_t pit_ticks, uint64_t pit_hz)
{
	unsigned __int128 hz;

	if (tsc_delta == 0 || pit_ticks == 0 || pit_hz == 0)
		return 0;
	hz = div_round_u128_u64((unsigned __int128)tsc_delta * pit_hz, pit_ticks);
	if (hz > TSC_HZ_MAX || hz < TSC_HZ_MIN)
		return 0;
	return (uint64_t)hz;
}
