/*
 * Fast-key-erasure CRNG over ChaCha20.
 *
 * Entry points: crng_seed, crng_is_seeded, crng_generate.
 *
 * A request of len bytes runs the stream of the current key K from block 0:
 *
 *	block 0 under K:   [ new key (32) | output bytes 0..31 ]
 *	block 1.. under K: output bytes 32..
 *
 * The stored key is replaced by the first half of block 0 before any byte
 * is handed out, and K itself survives only in locals that are wiped on
 * return. This is how Linux serves large requests: one rekey per request
 * rather than one per 32 bytes, with the same guarantee.
 */
#include <kernel/crng.h>

/*
 * Nonces keep the streams used for output apart from the one used to mix
 * in a seed, so no key is ever used for both.
 */
#define CRNG_NONCE_GENERATE 0
#define CRNG_NONCE_SEED 1

#define CRNG_OUTPUT_IN_FIRST_BLOCK (CHACHA20_BLOCK_SIZE - CHACHA20_KEY_SIZE)

static void crng_key_words(const struct crng *crng, uint32_t words[CHACHA20_KEY_WORDS])
{
	chacha20_load_words(words, crng->key, CHACHA20_KEY_WORDS);
}

void crng_seed(struct crng *crng, const uint8_t seed[CHACHA20_KEY_SIZE])
{
	uint32_t key_words[CHACHA20_KEY_WORDS];
	const uint32_t nonce[CHACHA20_NONCE_WORDS] = { CRNG_NONCE_SEED, 0, 0 };
	uint8_t block[CHACHA20_BLOCK_SIZE];

	/*
	 * Keying ChaCha20 with old key XOR seed and keeping its output, rather
	 * than the XOR itself, leaves no raw seed bytes in the state.
	 */
	for (int i = 0; i < CHACHA20_KEY_SIZE; i++)
		crng->key[i] ^= seed[i];
	crng_key_words(crng, key_words);
	chacha20_block(key_words, 0, nonce, block);
	__builtin_memcpy(crng->key, block, CHACHA20_KEY_SIZE);
	crng->seeded = true;

	chacha20_wipe(key_words, sizeof(key_words));
	chacha20_wipe(block, sizeof(block));
}

bool crng_is_seeded(const struct crng *crng)
{
	return crng->seeded;
}

void crng_generate(struct crng *crng, void *buf, size_t len)
{
	uint32_t key_words[CHACHA20_KEY_WORDS];
	uint32_t nonce[CHACHA20_NONCE_WORDS] = { CRNG_NONCE_GENERATE, 0, 0 };
	uint32_t counter = 0;
	uint8_t block[CHACHA20_BLOCK_SIZE];
	uint8_t *out = buf;
	size_t n;

	crng_key_words(crng, key_words);
	chacha20_block(key_words, counter++, nonce, block);
	__builtin_memcpy(crng->key, block, CHACHA20_KEY_SIZE);

	n = len < CRNG_OUTPUT_IN_FIRST_BLOCK ? len : CRNG_OUTPUT_IN_FIRST_BLOCK;
	__builtin_memcpy(out, block + CHACHA20_KEY_SIZE, n);
	out += n;
	len -= n;

	while (len > 0) {
		n = len < CHACHA20_BLOCK_SIZE ? len : CHACHA20_BLOCK_SIZE;
		chacha20_block(key_words, counter, nonce, block);
		__builtin_memcpy(out, block, n);
		out += n;
		len -= n;
		/* Past 256 GiB, carry into the nonce so no block repeats. */
		if (++counter == 0)
			nonce[1]++;
	}

	chacha20_wipe(key_words, sizeof(key_words));
	chacha20_wipe(block, sizeof(block));
}
