/*
 * ChaCha20 as specified in RFC 8439: 256-bit key, 32-bit block counter,
 * 96-bit nonce, 64-byte blocks.
 *
 * Pure and freestanding: the kernel's CRNG builds on it, and the host unit
 * tests check it against the RFC's vectors. Nothing here keeps state
 * between calls.
 */
#ifndef KERNEL_CHACHA20_H
#define KERNEL_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_SIZE 32
#define CHACHA20_NONCE_SIZE 12
#define CHACHA20_BLOCK_SIZE 64
#define CHACHA20_KEY_WORDS 8
#define CHACHA20_NONCE_WORDS 3

/* The quarter round of RFC 8439 section 2.1, exposed so it can be tested. */
void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/*
 * Load little-endian 32-bit words from bytes, the way RFC 8439 turns the
 * key and nonce into state words.
 */
void chacha20_load_words(uint32_t *words, const uint8_t *bytes, size_t count);

/*
 * One keystream block: the serialized (little-endian) state after 20 rounds
 * plus the input state. The working state is wiped before returning, as it
 * would give the key back.
 */
void chacha20_block(const uint32_t key[CHACHA20_KEY_WORDS], uint32_t counter,
		    const uint32_t nonce[CHACHA20_NONCE_WORDS], uint8_t out[CHACHA20_BLOCK_SIZE]);

/*
 * Encrypt or decrypt: out = in XOR keystream, starting at block `counter`.
 * in and out may be the same buffer. The counter wraps after 2^32 blocks
 * (256 GiB) as in RFC 8439; callers must not go that far with one nonce.
 */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in, uint8_t *out,
		  size_t len);

/*
 * Zero a buffer that held secrets. The stores go through a volatile
 * pointer so the compiler cannot drop them as dead, which it may do for
 * a plain memset on a buffer that is about to go out of scope.
 */
void chacha20_wipe(void *buf, size_t len);

#endif /* KERNEL_CHACHA20_H */
