/*
 * ChaCha20 block function and stream cipher (RFC 8439).
 *
 * Entry points: chacha20_quarter_round, chacha20_load_words,
 * chacha20_block, chacha20_xor, chacha20_wipe.
 *
 * Byte order is handled with shifts rather than casts, so the code is
 * correct on any host and never makes an unaligned access.
 */
#include <kernel/chacha20.h>

#define CHACHA20_STATE_WORDS 16
#define CHACHA20_DOUBLE_ROUNDS 10

/* "expand 32-byte k", the first four state words. */
static const uint32_t chacha20_constants[4] = {
	0x61707865,
	0x3320646e,
	0x79622d32,
	0x6b206574,
};

static inline uint32_t rotl32(uint32_t v, unsigned int n)
{
	return (v << n) | (v >> (32 - n));
}

static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	*a += *b;
	*d = rotl32(*d ^ *a, 16);
	*c += *d;
	*b = rotl32(*b ^ *c, 12);
	*a += *b;
	*d = rotl32(*d ^ *a, 8);
	*c += *d;
	*b = rotl32(*b ^ *c, 7);
}

void chacha20_load_words(uint32_t *words, const uint8_t *bytes, size_t count)
{
	for (size_t i = 0; i < count; i++)
		words[i] = load_le32(bytes + 4 * i);
}

static void chacha20_init_state(uint32_t state[CHACHA20_STATE_WORDS],
				const uint32_t key[CHACHA20_KEY_WORDS], uint32_t counter,
				const uint32_t nonce[CHACHA20_NONCE_WORDS])
{
	for (int i = 0; i < 4; i++)
		state[i] = chacha20_constants[i];
	for (int i = 0; i < CHACHA20_KEY_WORDS; i++)
		state[4 + i] = key[i];
	state[12] = counter;
	for (int i = 0; i < CHACHA20_NONCE_WORDS; i++)
		state[13 + i] = nonce[i];
}

static void chacha20_double_round(uint32_t x[CHACHA20_STATE_WORDS])
{
	/* Column round. */
	chacha20_quarter_round(&x[0], &x[4], &x[8], &x[12]);
	chacha20_quarter_round(&x[1], &x[5], &x[9], &x[13]);
	chacha20_quarter_round(&x[2], &x[6], &x[10], &x[14]);
	chacha20_quarter_round(&x[3], &x[7], &x[11], &x[15]);
	/* Diagonal round. */
	chacha20_quarter_round(&x[0], &x[5], &x[10], &x[15]);
	chacha20_quarter_round(&x[1], &x[6], &x[11], &x[12]);
	chacha20_quarter_round(&x[2], &x[7], &x[8], &x[13]);
	chacha20_quarter_round(&x[3], &x[4], &x[9], &x[14]);
}

void chacha20_block(const uint32_t key[CHACHA20_KEY_WORDS], uint32_t counter,
		    const uint32_t nonce[CHACHA20_NONCE_WORDS], uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint32_t state[CHACHA20_STATE_WORDS];
	uint32_t x[CHACHA20_STATE_WORDS];

	chacha20_init_state(state, key, counter, nonce);
	for (int i = 0; i < CHACHA20_STATE_WORDS; i++)
		x[i] = state[i];
	for (int i = 0; i < CHACHA20_DOUBLE_ROUNDS; i++)
		chacha20_double_round(x);
	for (int i = 0; i < CHACHA20_STATE_WORDS; i++)
		store_le32(out + 4 * i, x[i] + state[i]);

	/* The rounds are invertible: x alone would give the key back. */
	chacha20_wipe(state, sizeof(state));
	chacha20_wipe(x, sizeof(x));
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in, uint8_t *out,
		  size_t len)
{
	uint32_t key_words[CHACHA20_KEY_WORDS];
	uint32_t nonce_words[CHACHA20_NONCE_WORDS];
	uint8_t keystream[CHACHA20_BLOCK_SIZE];

	chacha20_load_words(key_words, key, CHACHA20_KEY_WORDS);
	chacha20_load_words(nonce_words, nonce, CHACHA20_NONCE_WORDS);
	while (len > 0) {
		size_t n = len;

		if (n > CHACHA20_BLOCK_SIZE)
			n = CHACHA20_BLOCK_SIZE;

		chacha20_block(key_words, counter, nonce_words, keystream);
		for (size_t i = 0; i < n; i++)
			out[i] = in[i] ^ keystream[i];
		counter++;
		in += n;
		out += n;
		len -= n;
	}

	chacha20_wipe(key_words, sizeof(key_words));
	chacha20_wipe(keystream, sizeof(keystream));
}

void chacha20_wipe(void *buf, size_t len)
{
	volatile uint8_t *p = buf;

	while (len--)
		*p++ = 0;
}
