/*
 * A ChaCha20 CRNG with fast key erasure (Bernstein, 2017; the construction
 * Linux's random.c uses).
 *
 * Every request runs ChaCha20 under the current key; the first 32 bytes of
 * the first block at once become the new key, and only the bytes after
 * them are handed out. Whoever captures the state afterwards learns the
 * new key, which generated none of the bytes already given, so past output
 * stays secret.
 *
 * Pure: seeding from hardware (RDRAND, timing jitter) is the kernel's job,
 * and so is locking; a struct crng must not be used by two CPUs at once.
 */
#ifndef KERNEL_CRNG_H
#define KERNEL_CRNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kernel/chacha20.h>

struct crng {
	uint8_t key[CHACHA20_KEY_SIZE];
	bool seeded; /* set by the first crng_seed() */
};

/*
 * Mix 32 bytes of seed into the key. The new key depends on both the old
 * key and the seed, so a weak or attacker-chosen seed cannot undo the
 * entropy already there. A zero-initialised struct crng is a valid start.
 */
void crng_seed(struct crng *crng, const uint8_t seed[CHACHA20_KEY_SIZE]);

/* Whether crng_seed() has been called: output before that is predictable. */
bool crng_is_seeded(const struct crng *crng);

/*
 * Fill buf with len random bytes and replace the key. Any length is served;
 * a request of 0 bytes still rekeys.
 */
void crng_generate(struct crng *crng, void *buf, size_t len);

#endif /* KERNEL_CRNG_H */
