/*
 * Fixed-point conversion between TSC cycles and nanoseconds.
 *
 * tsc_conv_init() does the divisions once; after that each conversion is a
 * 64x64->128-bit multiply and a shift, cheap enough for every clock read
 * and every deadline. The shift is the largest for which mult fits in 64
 * bits, so mult lies in [2^63, 2^64) and its rounding error is at most
 * 2^-64 relative: far under 1 ns over centuries at any accepted frequency.
 * The product is truncated, so a result is at most 1 unit low.
 *
 * Also pure helpers that find the TSC frequency from CPUID leaf 0x15 or
 * from a PIT calibration run; reading the hardware is the caller's job.
 */
#ifndef KERNEL_TSC_MATH_H
#define KERNEL_TSC_MATH_H

#include <stdint.h>

#define NSEC_PER_SEC 1000000000ULL

/*
 * Frequencies outside this range are taken as a failed measurement: no
 * x86-64 TSC runs below 1 MHz or above 100 GHz.
 */
#define TSC_HZ_MIN 1000000ULL
#define TSC_HZ_MAX 100000000000ULL

struct tsc_conv {
	uint64_t mult; /* ns = cycles * mult >> shift */
	uint32_t shift;
	uint64_t inv_mult; /* cycles = ns * inv_mult >> inv_shift */
	uint32_t inv_shift;
	uint64_t tsc_hz;
};

/*
 * Precompute both conversions for a TSC running at tsc_hz. Returns 0, or
 * -1 (leaving *conv untouched) if tsc_hz is outside [TSC_HZ_MIN,
 * TSC_HZ_MAX].
 */
int tsc_conv_init(struct tsc_conv *conv, uint64_t tsc_hz);

/*
 * Results beyond 2^64 - 1 saturate instead of wrapping, so a far deadline
 * never turns into one in the past. Either way it takes over 580 years of
 * nanoseconds (or cycles) to get there.
 */
static inline uint64_t tsc_mul_shift(uint64_t value, uint64_t mult, uint32_t shift)
{
	unsigned __int128 r = ((unsigned __int128)value * mult) >> shift;

	return r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
}

static inline uint64_t tsc_cycles_to_ns(const struct tsc_conv *conv, uint64_t cycles)
{
	return tsc_mul_shift(cycles, conv->mult, conv->shift);
}

static inline uint64_t tsc_ns_to_cycles(const struct tsc_conv *conv, uint64_t ns)
{
	return tsc_mul_shift(ns, conv->inv_mult, conv->inv_shift);
}

/*
 * TSC frequency from CPUID leaf 0x15: crystal_hz * numerator / denominator
 * (EBX / EAX, ECX). Returns 0 when any field is 0, which CPUs use to say
 * "not enumerated", or when the result is outside the accepted range.
 */
uint64_t tsc_hz_from_cpuid15(uint32_t eax_denominator, uint32_t ebx_numerator,
			     uint32_t ecx_crystal_hz);

/*
 * TSC frequency from a calibration run: tsc_delta cycles elapsed while the
 * PIT (running at pit_hz) counted pit_ticks. Rounded to the nearest Hz;
 * 0 if an argument is 0 or the result is outside the accepted range.
 */
uint64_t tsc_hz_from_calibration(uint64_t tsc_delta, uint64_t pit_ticks, uint64_t pit_hz);

#endif /* KERNEL_TSC_MATH_H */
