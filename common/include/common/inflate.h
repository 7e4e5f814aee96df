/*
 * DEFLATE (RFC 1951) and gzip (RFC 1952) decompression into a caller's
 * buffer, for the initrd.
 *
 * The input is untrusted: every malformed stream yields a negative error
 * (INFLATE_E*), never a read outside [in, in + in_len) or a write outside
 * [out, out + out_cap). No allocation and no global state: the tables live
 * in a struct inflate_work the caller provides (about 14 KiB; it may be
 * reused across calls, never shared by two calls at once).
 *
 * Entry points: inflate_raw(), gzip_inflate(), gzip_inflate_prefix(),
 * gzip_scan(), gzip_scan_prefix(), gzip_is_gzip(), gzip_isize_hint(),
 * inflate_strerror().
 *
 * A gzip input, as Linux's initramfs loader takes it, is one or more gzip
 * members, each optionally followed by zero bytes of padding; the output is
 * the members' data concatenated. Each member's CRC32 and ISIZE are checked.
 */
#ifndef COMMON_INFLATE_H
#define COMMON_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INFLATE_OK 0
#define INFLATE_ETRUNC (-1)	 /* the input ends inside a member */
#define INFLATE_EBTYPE (-2)	 /* block type 3 (reserved) */
#define INFLATE_ESTORED (-3)	 /* stored block: LEN is not ~NLEN */
#define INFLATE_EOVERSUB (-4)	 /* a Huffman code is over-subscribed */
#define INFLATE_EINCOMPLETE (-5) /* a Huffman code is incomplete */
#define INFLATE_ELENS (-6)	 /* bad code-length sequence or counts */
#define INFLATE_ENOEOB (-7)	 /* the literal/length code has no end-of-block */
#define INFLATE_ESYM (-8)	 /* a symbol that no code or table allows */
#define INFLATE_EDIST (-9)	 /* a distance reaches before the member's start */
#define INFLATE_ENOSPC (-10)	 /* the output does not fit in out_cap */
#define GZIP_EMAGIC (-11)	 /* the input does not start with 1f 8b */
#define GZIP_EMETHOD (-12)	 /* compression method is not 8 (deflate) */
#define GZIP_EFLAGS (-13)	 /* reserved header flag bits are set */
#define GZIP_EHCRC (-14)	 /* header CRC16 mismatch */
#define GZIP_ECRC (-15)		 /* data CRC32 mismatch */
#define GZIP_EISIZE (-16)	 /* ISIZE is not the length mod 2^32 */
#define GZIP_EJUNK (-17)	 /* after a member: neither zeros nor a member */

#define INFLATE_FAST_BITS 10
#define INFLATE_MAX_BITS 15

/* One canonical Huffman code: a table for codes of up to FAST_BITS bits,
 * and counts and sorted symbols for the longer ones. */
struct inflate_huff {
	uint16_t fast[1u << INFLATE_FAST_BITS]; /* symbol << 4 | length; 0: slow path */
	uint16_t count[INFLATE_MAX_BITS + 1];	/* codes of each length */
	uint16_t sym[288];			/* symbols ordered by code */
};

struct inflate_work {
	struct inflate_huff lit;    /* literal/length code */
	struct inflate_huff dist;   /* distance code (and the code-length code) */
	uint8_t lens[320];	    /* code lengths being read */
	uint32_t crc_table[8][256]; /* CRC-32 eight bytes at a time */
	bool crc_ready;		    /* crc_table is filled */
	bool fixed;		    /* lit and dist hold the fixed codes */
};

/*
 * Inflate one raw DEFLATE stream from in[0, in_len) into out, whose first
 * `out_start` bytes are earlier output that back-references may not reach
 * (pass 0 for a standalone stream). The stream's output goes to
 * out[out_start, out_cap). On success returns 0 and sets *in_used (bytes up
 * to the end of the final block, padding bits included) and *out_len (bytes
 * produced by this stream). out may be NULL only with out_cap == 0.
 * Bytes of out past the output (up to out_cap) may be overwritten.
 */
int inflate_raw(struct inflate_work *w, const uint8_t *in, size_t in_len, size_t *in_used,
		uint8_t *out, size_t out_start, size_t out_cap, size_t *out_len);

/* True when in starts with the gzip magic (1f 8b). */
bool gzip_is_gzip(const uint8_t *in, size_t in_len);

/*
 * Inflate every gzip member of in[0, in_len) into out[0, out_cap); zero
 * bytes between and after members are skipped. *out_len is the total;
 * out[*out_len, out_cap) may have been overwritten.
 */
int gzip_inflate(struct inflate_work *w, const uint8_t *in, size_t in_len, uint8_t *out,
		 size_t out_cap, size_t *out_len);

/*
 * As gzip_inflate, for a gzip part followed by something else (a Linux
 * initramfs may go on with a plain cpio archive): stops, successfully, at
 * the first byte after a member and its zero padding that does not start
 * another member, and sets *in_used to its offset (in_len at the end).
 */
int gzip_inflate_prefix(struct inflate_work *w, const uint8_t *in, size_t in_len, size_t *in_used,
			uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * The exact output size of gzip_inflate on this input, found by decoding
 * without writing (every check but the CRC32 is made, ISIZE included).
 * Not bounded by 2^32 as ISIZE is. Costs about half of an inflate.
 */
int gzip_scan(struct inflate_work *w, const uint8_t *in, size_t in_len, uint64_t *size);

/* gzip_scan's count for gzip_inflate_prefix: the size and *in_used. */
int gzip_scan_prefix(struct inflate_work *w, const uint8_t *in, size_t in_len, size_t *in_used,
		     uint64_t *size);

/*
 * The last four bytes as an ISIZE: the output size when the input is one
 * member without padding and under 4 GiB. Only a hint: gzip_inflate
 * reports INFLATE_ENOSPC when it is too small, and gzip_scan is exact.
 */
uint32_t gzip_isize_hint(const uint8_t *in, size_t in_len);

/* A short description of an INFLATE_E* / GZIP_E* code ("ok" for 0). */
const char *inflate_strerror(int err);

#endif
