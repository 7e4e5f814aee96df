/*
 * Reader for cpio "newc" archives held in memory (the initrd format).
 *
 * The archive is untrusted: every size in it is checked against the buffer,
 * and a malformed archive yields a negative error, never a read outside
 * [buf, buf + len). Entries point into the buffer; nothing is copied.
 * Both "070701" and the "070702" variant are accepted; the latter's
 * checksum is not verified.
 */
#ifndef COMMON_CPIO_H
#define COMMON_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_EBADMAGIC (-1) /* header does not start with 07070[12] */
#define CPIO_ETRUNC (-2)    /* a size runs past the buffer, or no trailer */
#define CPIO_EBADHEX (-3)   /* a header field is not 8 hex digits */
#define CPIO_EBADNAME (-4)  /* namesize 0, or name not NUL-terminated */

struct cpio_entry {
	const char *name; /* NUL-terminated, inside the archive */
	size_t name_len;  /* without the NUL */
	const void *data;
	size_t size;
	uint32_t mode; /* file type and permissions, as in st_mode */
	uint32_t ino;
	uint32_t nlink;
	uint32_t mtime;
};

struct cpio_iter {
	const uint8_t *base;
	size_t len;
	size_t off;	   /* of the next header */
	unsigned archives; /* archives entered so far (1 at the start) */
	size_t end;	   /* once done: just past the last trailer and its padding */
	bool done;	   /* the last trailer was reached */
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len);

/*
 * Read the next entry: 1 and *out filled, 0 once the "TRAILER!!!" entry is
 * reached (and on every later call), or a negative CPIO_E* code. After an
 * error the iterator stays put, so later calls return the same error.
 * As in a Linux initramfs, archives may be concatenated: after a trailer,
 * zero bytes are skipped and, when the newc magic follows at a multiple of
 * 4, the next archive's entries come next. Other bytes after a trailer
 * are ignored.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *out);

/*
 * Find `path`, ignoring a leading "./" or "/" on it and on the archive's
 * names. The last entry of that name wins, as a later archive's file
 * replaces an earlier one when Linux unpacks an initramfs. Returns 1 and
 * fills *out when found (the last copy before any malformed part), 0 when
 * not, or a negative CPIO_E* code when the archive is malformed and the
 * name was not found before that.
 */
int cpio_find(const void *buf, size_t len, const char *path, struct cpio_entry *out);

#endif
