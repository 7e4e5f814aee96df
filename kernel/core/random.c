/*
 * Boot-time seeding of the CRNG (kernel/lib/crng.c). RDSEED/RDRAND are
 * read here and never again: each is a VM exit on some hypervisors, and a
 * ChaCha20 CRNG with fast key erasure is as good as the seed it got.
 * Without either instruction we fall back to TSC jitter around port I/O.
 */
#include "kernel/random.h"

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "arch/io.h"
#include "kernel/crng.h"
#include "common/string.h"

#define HW_RETRIES 32
#define JITTER_SAMPLES 4096

static struct crng crng;
static enum random_source seed_source;

static bool rdseed64(uint64_t *v)
{
	for (int i = 0; i < HW_RETRIES; i++) {
		bool ok;
		__asm__ volatile("rdseed %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < HW_RETRIES; i++) {
		bool ok;
		__asm__ volatile("rdrand %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

static bool seed_from_hw(uint64_t seed[4], bool (*read)(uint64_t *))
{
	for (int i = 0; i < 4; i++)
		if (!read(&seed[i]))
			return false;
	return true;
}

/* Fold the low bits of TSC deltas across slow port reads into the seed. */
static void seed_from_jitter(uint64_t seed[4])
{
	uint64_t prev = rdtsc();

	for (int i = 0; i < JITTER_SAMPLES; i++) {
		(void)inb(0x80);
		uint64_t now = rdtsc();
		uint64_t *w = &seed[i & 3];
		*w = (*w << 7 | *w >> 57) ^ (now - prev);
		prev = now;
	}
}

void random_init(void)
{
	uint64_t seed[4] = { 0 };

	if (cpu_features.rdseed && seed_from_hw(seed, rdseed64))
		seed_source = RANDOM_SRC_RDSEED;
	else if (cpu_features.rdrand && seed_from_hw(seed, rdrand64))
		seed_source = RANDOM_SRC_RDRAND;
	else {
		seed_source = RANDOM_SRC_JITTER;
		seed_from_jitter(seed);
	}
	crng_seed(&crng, (const uint8_t *)seed);
	memset(seed, 0, sizeof(seed));
	__asm__ volatile("" : : "r"(seed) : "memory"); /* keep the wipe */
}

enum random_source random_seed_source(void)
{
	return seed_source;
}

const char *random_source_name(enum random_source s)
{
	return s == RANDOM_SRC_RDSEED ? "rdseed" : s == RANDOM_SRC_RDRAND ? "rdrand" : "tsc-jitter";
}

void random_bytes(void *buf, size_t len)
{
	uint64_t flags = irq_save();

	crng_generate(&crng, buf, len);
	irq_restore(flags);
}
