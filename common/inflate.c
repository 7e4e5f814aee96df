/*
 * DEFLATE and gzip decoder, written from RFC 1951 and RFC 1952.
 *
 * Entry points: inflate_raw(), gzip_inflate(), gzip_inflate_prefix(),
 * gzip_scan(), gzip_scan_prefix(), gzip_is_gzip(), gzip_isize_hint(),
 * inflate_strerror().
 *
 * Layers, bottom up:
 *   - a bit reader over the input: bits are taken LSB first from a 64-bit
 *     buffer refilled one byte at a time, never past in_len;
 *   - canonical Huffman codes (struct inflate_huff): a code is checked for
 *     over-subscription and completeness when built; a symbol is decoded by
 *     one lookup in `fast` when its code has at most INFLATE_FAST_BITS bits,
 *     otherwise bit by bit against the per-length counts;
 *   - blocks: stored, fixed Huffman, dynamic Huffman (its code lengths are
 *     themselves Huffman-coded);
 *   - gzip members: header, a raw stream, CRC32 and ISIZE trailer, then
 *     zero padding or the next member.
 * The decoder is written once (decode_stream) and used with and without
 * writing: gzip_scan counts the output, gzip_inflate stores it.
 */
#include "common/inflate.h"

struct bits {
	const uint8_t *in;
	size_t len, pos; /* pos: next byte to load into buf */
	uint64_t buf;	 /* cnt valid bits, LSB first; above them 0 or the next input bits */
	unsigned cnt;
};

static uint64_t load64(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;
	__builtin_memcpy(&v, p, 8);
	return v;
#else
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
#endif
}

/*
 * Top the buffer up to at least 56 bits while input lasts. With 8 bytes
 * left, one load fills it: the bytes shifted in past the bits counted are
 * the input's next bits, so ORing them in again later changes nothing.
 */
static inline void refill(struct bits *b)
{
	if (b->len - b->pos >= 8) {
		b->buf |= load64(b->in + b->pos) << b->cnt;
		b->pos += (63 - b->cnt) >> 3;
		b->cnt |= 56;
		return;
	}
	while (b->cnt <= 56 && b->pos < b->len) {
		b->buf |= (uint64_t)b->in[b->pos++] << b->cnt;
		b->cnt += 8;
	}
}

/* Take n <= 16 bits. */
static inline __attribute__((always_inline)) int getbits(struct bits *b, unsigned n, uint32_t *val)
{
	if (b->cnt < n) {
		refill(b);
		if (b->cnt < n)
			return INFLATE_ETRUNC;
	}
	*val = (uint32_t)(b->buf & ((1ull << n) - 1));
	b->buf >>= n;
	b->cnt -= n;
	return 0;
}

/* Drop the bits up to the byte boundary and give back whole buffered bytes,
 * so that b->pos is the next unread byte. */
static void align_and_rewind(struct bits *b)
{
	b->pos -= b->cnt / 8;
	b->buf = 0;
	b->cnt = 0;
}

/* --- Huffman codes --------------------------------------------------- */

enum code_kind { CODE_LENS, CODE_LIT, CODE_DIST };

static unsigned reverse_bits(unsigned code, unsigned len)
{
	unsigned r = 0;

	while (len--) {
		r = (r << 1) | (code & 1);
		code >>= 1;
	}
	return r;
}

/*
 * Build the code for symbols 0..n-1 with lengths lens[] (0: unused).
 * Over-subscribed codes are refused. Incomplete codes are refused except
 * the two RFC 1951 allows for distances and zlib's encoder also emits for
 * literal/length codes: a single code of one bit, and (distances only) no
 * code at all.
 */
static int huff_build(struct inflate_huff *h, const uint8_t *lens, unsigned n, enum code_kind kind)
{
	uint16_t offs[INFLATE_MAX_BITS + 2];
	uint16_t next[INFLATE_MAX_BITS + 1];
	unsigned len, s, total = 0;
	int left = 1;

	for (len = 0; len <= INFLATE_MAX_BITS; len++)
		h->count[len] = 0;
	for (s = 0; s < n; s++)
		h->count[lens[s]]++;
	h->count[0] = 0;
	for (len = 1; len <= INFLATE_MAX_BITS; len++) {
		left = (left << 1) - h->count[len];
		if (left < 0)
			return INFLATE_EOVERSUB;
		total += h->count[len];
	}
	if (left > 0) {
		bool single = total == 1 && h->count[1] == 1;
		if (kind == CODE_LENS || !(single || (kind == CODE_DIST && total == 0)))
			return INFLATE_EINCOMPLETE;
	}

	/* Symbols sorted by (length, symbol): canonical code order. */
	offs[1] = 0;
	for (len = 1; len <= INFLATE_MAX_BITS; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (s = 0; s < n; s++)
		if (lens[s])
			h->sym[offs[lens[s]]++] = (uint16_t)s;

	/* First code of each length (RFC 1951 3.2.2), then the fast table. */
	unsigned code = 0;
	for (len = 1; len <= INFLATE_MAX_BITS; len++) {
		code = (code + h->count[len - 1]) << 1;
		next[len] = (uint16_t)code;
	}
	for (s = 0; s < (1u << INFLATE_FAST_BITS); s++)
		h->fast[s] = 0;
	for (s = 0; s < n; s++) {
		len = lens[s];
		if (!len)
			continue;
		unsigned c = next[len]++;
		if (len > INFLATE_FAST_BITS)
			continue;
		unsigned r = reverse_bits(c, len);
		for (unsigned i = r; i < (1u << INFLATE_FAST_BITS); i += 1u << len)
			h->fast[i] = (uint16_t)(s << 4 | len);
	}
	return 0;
}

/* Decode bit by bit: the code's bits come MSB first in the stream. */
static __attribute__((noinline)) int decode_slow(struct bits *b, const struct inflate_huff *h)
{
	int code = 0, first = 0, index = 0;
	unsigned len;

	refill(b);
	for (len = 1; len <= INFLATE_MAX_BITS; len++) {
		if (b->cnt < len)
			return INFLATE_ETRUNC;
		code |= (int)((b->buf >> (len - 1)) & 1);
		int count = h->count[len];
		if (code - first < count) {
			b->buf >>= len;
			b->cnt -= len;
			return h->sym[index + code - first];
		}
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return INFLATE_ESYM; /* a code the (incomplete) code does not have */
}

static inline __attribute__((always_inline)) int decode(struct bits *b,
							const struct inflate_huff *h)
{
	if (b->cnt < INFLATE_MAX_BITS)
		refill(b);
	unsigned e = h->fast[b->buf & ((1u << INFLATE_FAST_BITS) - 1)];
	unsigned len = e & 15;

	if (len && len <= b->cnt) {
		b->buf >>= len;
		b->cnt -= len;
		return (int)(e >> 4);
	}
	return decode_slow(b, h);
}

/* --- Blocks ---------------------------------------------------------- */

static const uint16_t len_base[29] = { 3,  4,  5,  6,	7,   8,	  9,   10,  11, 13,
				       15, 17, 19, 23,	27,  31,  35,  43,  51, 59,
				       67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1,    2,    3,	  4,	 5,	7,    9,    13,
					17,   25,   33,	  49,	 65,	97,   129,  193,
					257,  385,  513,  769,	 1025,	1537, 2049, 3073,
					4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2,	 3,  3,	 4,  4,	 5,  5,	 6,
					6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
static const uint8_t clen_order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					11, 4,	12, 3, 13, 2, 14, 1, 15 };

struct out {
	uint8_t *buf; /* NULL only when nothing may be written */
	bool write;   /* false: count only (gzip_scan) */
	size_t start; /* back-references may not reach below this */
	size_t pos;   /* next byte written */
	size_t cap;
};

static int build_fixed(struct inflate_work *w)
{
	unsigned s;
	int err;

	if (w->fixed)
		return 0;
	for (s = 0; s < 144; s++)
		w->lens[s] = 8;
	for (; s < 256; s++)
		w->lens[s] = 9;
	for (; s < 280; s++)
		w->lens[s] = 7;
	for (; s < 288; s++)
		w->lens[s] = 8;
	err = huff_build(&w->lit, w->lens, 288, CODE_LIT);
	if (err)
		return err;
	for (s = 0; s < 32; s++)
		w->lens[s] = 5;
	err = huff_build(&w->dist, w->lens, 32, CODE_DIST);
	if (err)
		return err;
	w->fixed = true;
	return 0;
}

static int build_dynamic(struct inflate_work *w, struct bits *b)
{
	uint32_t hlit, hdist, hclen, v;
	unsigned i, n;
	int err;

	w->fixed = false;
	if ((err = getbits(b, 5, &hlit)) || (err = getbits(b, 5, &hdist)) ||
	    (err = getbits(b, 4, &hclen)))
		return err;
	hlit += 257;
	hdist += 1;
	hclen += 4;
	if (hlit > 286 || hdist > 30)
		return INFLATE_ELENS;

	/* The code-length code, built in the distance table for the moment. */
	for (i = 0; i < 19; i++)
		w->lens[i] = 0;
	for (i = 0; i < hclen; i++) {
		if ((err = getbits(b, 3, &v)))
			return err;
		w->lens[clen_order[i]] = (uint8_t)v;
	}
	if ((err = huff_build(&w->dist, w->lens, 19, CODE_LENS)))
		return err;

	n = hlit + hdist;
	for (i = 0; i < n;) {
		int sym = decode(b, &w->dist);
		uint32_t rep;
		uint8_t fill = 0;

		if (sym < 0)
			return sym;
		if (sym < 16) {
			w->lens[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return INFLATE_ELENS; /* nothing to repeat */
			fill = w->lens[i - 1];
			if ((err = getbits(b, 2, &rep)))
				return err;
			rep += 3;
		} else if (sym == 17) {
			if ((err = getbits(b, 3, &rep)))
				return err;
			rep += 3;
		} else {
			if ((err = getbits(b, 7, &rep)))
				return err;
			rep += 11;
		}
		if (rep > n - i)
			return INFLATE_ELENS;
		while (rep--)
			w->lens[i++] = fill;
	}
	if (w->lens[256] == 0)
		return INFLATE_ENOEOB;
	if ((err = huff_build(&w->lit, w->lens, hlit, CODE_LIT)))
		return err;
	return huff_build(&w->dist, w->lens + hlit, hdist, CODE_DIST);
}

static int stored_block(struct bits *b, struct out *o)
{
	uint32_t len, nlen;
	int err;

	b->buf >>= b->cnt % 8; /* to the byte boundary */
	b->cnt -= b->cnt % 8;
	if ((err = getbits(b, 16, &len)) || (err = getbits(b, 16, &nlen)))
		return err;
	if (len != (~nlen & 0xffff))
		return INFLATE_ESTORED;
	align_and_rewind(b);
	if (len > b->len - b->pos)
		return INFLATE_ETRUNC;
	if (len > o->cap - o->pos)
		return INFLATE_ENOSPC;
	if (o->write) {
		for (uint32_t i = 0; i < len; i++)
			o->buf[o->pos + i] = b->in[b->pos + i];
	}
	b->pos += len;
	o->pos += len;
	return 0;
}

/*
 * Copy len bytes from dist back; room (>= len) bytes may be written. The
 * result repeats with period dist, so d[i] = d[i - p] for p, the smallest
 * multiple of dist that is at least 8: after the first p - dist bytes
 * (fewer than 8) one at a time, the rest goes 8 bytes at a time from p
 * back, never overlapping itself. With 8 bytes to spare past len the last
 * chunk may run over: those bytes are beyond the output so far, and later
 * output overwrites them.
 */
static inline void copy_match(uint8_t *d, size_t dist, size_t len, size_t room)
{
	size_t p = dist >= 8 ? dist : dist * ((8 + dist - 1) / dist);
	size_t i = 0, chunked = room - len >= 8 ? len + 7 : len; /* chunks end by here */

	for (; i < p - dist && i < len; i++)
		d[i] = d[i - dist];
	for (; i < len && chunked - i >= 8; i += 8) {
		uint64_t t;
		__builtin_memcpy(&t, d + i - p, 8);
		__builtin_memcpy(d + i, &t, 8);
	}
	for (; i < len; i++)
		d[i] = d[i - dist];
}

/* The body of a Huffman block, up to and including its end-of-block. */
static inline int huffman_block(struct inflate_work *w, struct bits *b, struct out *o,
				const bool write)
{
	for (;;) {
		int sym = decode(b, &w->lit);
		uint32_t extra;
		int err;

		if (sym < 0)
			return sym;
		if (sym < 256) {
			if (o->pos == o->cap)
				return INFLATE_ENOSPC;
			if (write)
				o->buf[o->pos] = (uint8_t)sym;
			o->pos++;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return INFLATE_ESYM;
		if ((err = getbits(b, len_extra[sym], &extra)))
			return err;
		size_t len = len_base[sym] + extra;

		int dsym = decode(b, &w->dist);
		if (dsym < 0)
			return dsym;
		if (dsym >= 30)
			return INFLATE_ESYM;
		if ((err = getbits(b, dist_extra[dsym], &extra)))
			return err;
		size_t dist = dist_base[dsym] + extra;

		if (dist > o->pos - o->start)
			return INFLATE_EDIST;
		if (len > o->cap - o->pos)
			return INFLATE_ENOSPC;
		if (write)
			copy_match(o->buf + o->pos, dist, len, o->cap - o->pos);
		o->pos += len;
	}
}

static inline int decode_stream(struct inflate_work *w, struct bits *b, struct out *o,
				const bool write)
{
	uint32_t final, type;
	int err;

	do {
		if ((err = getbits(b, 1, &final)) || (err = getbits(b, 2, &type)))
			return err;
		switch (type) {
		case 0:
			err = stored_block(b, o);
			break;
		case 1:
			err = build_fixed(w);
			if (!err)
				err = huffman_block(w, b, o, write);
			break;
		case 2:
			err = build_dynamic(w, b);
			if (!err)
				err = huffman_block(w, b, o, write);
			break;
		default:
			err = INFLATE_EBTYPE;
		}
		if (err)
			return err;
	} while (!final);
	align_and_rewind(b);
	return 0;
}

static int run_stream(struct inflate_work *w, const uint8_t *in, size_t in_len, size_t *in_used,
		      struct out *o)
{
	struct bits b = { .in = in, .len = in_len };
	int err = o->write ? decode_stream(w, &b, o, true) : decode_stream(w, &b, o, false);

	if (!err)
		*in_used = b.pos;
	return err;
}

int inflate_raw(struct inflate_work *w, const uint8_t *in, size_t in_len, size_t *in_used,
		uint8_t *out, size_t out_start, size_t out_cap, size_t *out_len)
{
	struct out o = {
		.buf = out, .write = true, .start = out_start, .pos = out_start, .cap = out_cap
	};
	int err;

	if (out_start > out_cap || (!out && out_cap))
		return INFLATE_ENOSPC;
	err = run_stream(w, in, in_len, in_used, &o);
	if (!err)
		*out_len = o.pos - out_start;
	return err;
}

/* --- gzip ------------------------------------------------------------ */

#define GZ_FTEXT 0x01
#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_FRESERVED 0xe0
#define GZ_HEADER_MIN 10
#define GZ_TRAILER 8

/*
 * CRC-32 (the reflected polynomial 0xedb88320) eight bytes per step:
 * crc_table[k][n] is the CRC of byte n followed by k zero bytes, so the
 * eight lookups of a step are independent.
 */
static void crc_init(struct inflate_work *w)
{
	if (w->crc_ready)
		return;
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		w->crc_table[0][n] = c;
	}
	for (uint32_t n = 0; n < 256; n++) {
		for (int k = 1; k < 8; k++) {
			uint32_t c = w->crc_table[k - 1][n];
			w->crc_table[k][n] = (c >> 8) ^ w->crc_table[0][c & 0xff];
		}
	}
	w->crc_ready = true;
}

static uint32_t crc32(const struct inflate_work *w, const uint8_t *p, size_t n)
{
	const uint32_t(*t)[256] = w->crc_table;
	uint32_t c = 0xffffffffu;

	for (; n >= 8; n -= 8, p += 8) {
		uint64_t v = load64(p) ^ c;
		c = t[7][v & 0xff] ^ t[6][(v >> 8) & 0xff] ^ t[5][(v >> 16) & 0xff] ^
		    t[4][(v >> 24) & 0xff] ^ t[3][(v >> 32) & 0xff] ^ t[2][(v >> 40) & 0xff] ^
		    t[1][(v >> 48) & 0xff] ^ t[0][v >> 56];
	}
	while (n--)
		c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool gzip_is_gzip(const uint8_t *in, size_t in_len)
{
	return in_len >= 2 && in[0] == 0x1f && in[1] == 0x8b;
}

uint32_t gzip_isize_hint(const uint8_t *in, size_t in_len)
{
	return in_len >= GZ_HEADER_MIN + GZ_TRAILER ? le32(in + in_len - 4) : 0;
}

/* Skip a NUL-terminated field starting at *pos. */
static int skip_string(const uint8_t *in, size_t len, size_t *pos)
{
	while (*pos < len) {
		if (in[(*pos)++] == 0)
			return 0;
	}
	return INFLATE_ETRUNC;
}

/* Parse the member header at in[0, len): the deflate data starts at *hdr_len. */
static int gzip_header(const struct inflate_work *w, const uint8_t *in, size_t len, size_t *hdr_len)
{
	size_t pos = GZ_HEADER_MIN;
	uint8_t flg;

	if (len == 0 || in[0] != 0x1f || (len >= 2 && in[1] != 0x8b))
		return GZIP_EMAGIC;
	if (len < 2)
		return INFLATE_ETRUNC;
	if (len < 3)
		return INFLATE_ETRUNC;
	if (in[2] != 8)
		return GZIP_EMETHOD;
	if (len < GZ_HEADER_MIN)
		return INFLATE_ETRUNC;
	flg = in[3];
	if (flg & GZ_FRESERVED)
		return GZIP_EFLAGS;
	if (flg & GZ_FEXTRA) {
		if (len - pos < 2)
			return INFLATE_ETRUNC;
		size_t xlen = (size_t)in[pos] | (size_t)in[pos + 1] << 8;
		pos += 2;
		if (xlen > len - pos)
			return INFLATE_ETRUNC;
		pos += xlen;
	}
	if ((flg & GZ_FNAME) && skip_string(in, len, &pos))
		return INFLATE_ETRUNC;
	if ((flg & GZ_FCOMMENT) && skip_string(in, len, &pos))
		return INFLATE_ETRUNC;
	if (flg & GZ_FHCRC) {
		if (len - pos < 2)
			return INFLATE_ETRUNC;
		uint32_t want = (uint32_t)in[pos] | (uint32_t)in[pos + 1] << 8;
		if ((crc32(w, in, pos) & 0xffff) != want)
			return GZIP_EHCRC;
		pos += 2;
	}
	*hdr_len = pos;
	return 0;
}

/* Every member of in into o. With in_used, stop at the first byte after
 * a member and its padding that starts no member, and say where it is;
 * without, that byte is GZIP_EJUNK. */
static int gzip_members(struct inflate_work *w, const uint8_t *in, size_t len, struct out *o,
			size_t *in_used)
{
	size_t pos = 0;
	bool first = true;

	crc_init(w);
	for (;;) {
		size_t hdr, used;
		int err;

		if (!first) {
			while (pos < len && in[pos] == 0)
				pos++;
			if (pos == len || (in_used && !gzip_is_gzip(in + pos, len - pos)))
				break;
		}
		err = gzip_header(w, in + pos, len - pos, &hdr);
		if (err)
			return !first && err == GZIP_EMAGIC ? GZIP_EJUNK : err;
		pos += hdr;
		o->start = o->pos;
		err = run_stream(w, in + pos, len - pos, &used, o);
		if (err)
			return err;
		pos += used;
		if (len - pos < GZ_TRAILER)
			return INFLATE_ETRUNC;
		size_t produced = o->pos - o->start;
		uint32_t crc = o->write && produced ? crc32(w, o->buf + o->start, produced) : 0;
		if (o->write && crc != le32(in + pos))
			return GZIP_ECRC;
		if ((uint32_t)produced != le32(in + pos + 4))
			return GZIP_EISIZE;
		pos += GZ_TRAILER;
		first = false;
	}
	if (in_used)
		*in_used = pos;
	return 0;
}

int gzip_inflate_prefix(struct inflate_work *w, const uint8_t *in, size_t in_len, size_t *in_used,
			uint8_t *out, size_t out_cap, size_t *out_len)
{
	struct out o = { .buf = out, .write = true, .cap = out ? out_cap : 0 };
	size_t used;
	int err = gzip_members(w, in, in_len, &o, in_used ? in_used : &used);

	if (!err)
		*out_len = o.pos;
	return err;
}

int gzip_inflate(struct inflate_work *w, const uint8_t *in, size_t in_len, uint8_t *out,
		 size_t out_cap, size_t *out_len)
{
	struct out o = { .buf = out, .write = true, .cap = out ? out_cap : 0 };
	int err = gzip_members(w, in, in_len, &o, NULL);

	if (!err)
		*out_len = o.pos;
	return err;
}

int gzip_scan_prefix(struct inflate_work *w, const uint8_t *in, size_t in_len, size_t *in_used,
		     uint64_t *size)
{
	struct out o = { .buf = NULL, .write = false, .cap = SIZE_MAX };
	size_t used;
	int err = gzip_members(w, in, in_len, &o, in_used ? in_used : &used);

	if (!err)
		*size = o.pos;
	return err;
}

int gzip_scan(struct inflate_work *w, const uint8_t *in, size_t in_len, uint64_t *size)
{
	struct out o = { .buf = NULL, .write = false, .cap = SIZE_MAX };
	int err = gzip_members(w, in, in_len, &o, NULL);

	if (!err)
		*size = o.pos;
	return err;
}

const char *inflate_strerror(int err)
{
	switch (err) {
	case INFLATE_OK:
		return "ok";
	case INFLATE_ETRUNC:
		return "input truncated";
	case INFLATE_EBTYPE:
		return "invalid block type";
	case INFLATE_ESTORED:
		return "stored block length does not match its complement";
	case INFLATE_EOVERSUB:
		return "over-subscribed Huffman code";
	case INFLATE_EINCOMPLETE:
		return "incomplete Huffman code";
	case INFLATE_ELENS:
		return "invalid code lengths";
	case INFLATE_ENOEOB:
		return "no end-of-block code";
	case INFLATE_ESYM:
		return "invalid literal/length or distance symbol";
	case INFLATE_EDIST:
		return "distance too far back";
	case INFLATE_ENOSPC:
		return "output buffer too small";
	case GZIP_EMAGIC:
		return "not gzip (bad magic)";
	case GZIP_EMETHOD:
		return "unknown gzip compression method";
	case GZIP_EFLAGS:
		return "reserved gzip header flags set";
	case GZIP_EHCRC:
		return "gzip header CRC mismatch";
	case GZIP_ECRC:
		return "gzip data CRC32 mismatch";
	case GZIP_EISIZE:
		return "gzip ISIZE mismatch";
	case GZIP_EJUNK:
		return "trailing garbage after gzip member";
	default:
		return "unknown inflate error";
	}
}
