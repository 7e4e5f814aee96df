/*
 * cpio "newc" archive reader.
 *
 * Entry points: cpio_iter_init(), cpio_next(), cpio_find().
 *
 * An entry is a 110-byte ASCII header ("070701" and thirteen 8-digit hex
 * fields), the name with its NUL, padding to a multiple of 4 counted from
 * the start of the archive, then the data, padded the same way. The entry
 * named "TRAILER!!!" ends the archive; another archive may follow after
 * zero padding, as in a Linux initramfs made of several (`cat a.cpio
 * b.cpio`, or gzip members inflated one after another). Offsets are checked by subtraction
 * from the remaining length, so a filesize of 0xffffffff cannot wrap them.
 */
#include "common/cpio.h"

#include "common/compiler.h"
#include "common/string.h"

#define CPIO_MAGIC_LEN 6
#define CPIO_FIELD_LEN 8
#define CPIO_HEADER_LEN 110
#define CPIO_TRAILER "TRAILER!!!"

/* Header fields in their order after the magic. */
enum cpio_field {
	CPIO_F_INO,
	CPIO_F_MODE,
	CPIO_F_UID,
	CPIO_F_GID,
	CPIO_F_NLINK,
	CPIO_F_MTIME,
	CPIO_F_FILESIZE,
	CPIO_F_DEVMAJOR,
	CPIO_F_DEVMINOR,
	CPIO_F_RDEVMAJOR,
	CPIO_F_RDEVMINOR,
	CPIO_F_NAMESIZE,
	CPIO_F_CHECK,
	CPIO_NR_FIELDS,
};

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_hex_field(const uint8_t *p, uint32_t *val)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < CPIO_FIELD_LEN; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return false;
		v = (v << 4) | (uint32_t)d;
	}
	*val = v;
	return true;
}

static bool magic_ok(const uint8_t *p)
{
	return __builtin_memcmp(p, "070701", CPIO_MAGIC_LEN) == 0 ||
	       __builtin_memcmp(p, "070702", CPIO_MAGIC_LEN) == 0;
}

static int parse_header(const uint8_t *p, uint32_t f[CPIO_NR_FIELDS])
{
	int i;

	if (!magic_ok(p))
		return CPIO_EBADMAGIC;
	for (i = 0; i < CPIO_NR_FIELDS; i++) {
		if (!parse_hex_field(p + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN, &f[i]))
			return CPIO_EBADHEX;
	}
	return 0;
}

/* The name must end at its NUL exactly: an earlier NUL would hide bytes. */
static bool name_ok(const uint8_t *name, uint32_t namesize)
{
	uint32_t i;

	if (namesize == 0 || name[namesize - 1] != 0)
		return false;
	for (i = 0; i < namesize - 1; i++) {
		if (name[i] == 0)
			return false;
	}
	return true;
}

static bool is_trailer(const uint8_t *name, uint32_t namesize)
{
	return namesize == sizeof(CPIO_TRAILER) &&
	       __builtin_memcmp(name, CPIO_TRAILER, sizeof(CPIO_TRAILER)) == 0;
}

/*
 * After a trailer ending at `off`: as Linux's initramfs unpacking does,
 * skip zero padding, and when another archive starts there (at a multiple
 * of 4, with the newc magic), go on with it. Anything else ends the walk.
 */
static bool next_archive(struct cpio_iter *it, size_t off)
{
	while (off < it->len && it->base[off] == 0)
		off++;
	if (off >= it->len || off % 4 || it->len - off < CPIO_MAGIC_LEN ||
	    !magic_ok(it->base + off))
		return false;
	it->off = off;
	it->archives++;
	return true;
}

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len)
{
	it->base = buf;
	it->len = len;
	it->off = 0;
	it->archives = 1;
	it->end = 0;
	it->done = false;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *out)
{
	uint32_t f[CPIO_NR_FIELDS];
	const uint8_t *hdr, *name;
	size_t name_off, data_off;
	uint32_t namesize, filesize;
	int err;

	if (it->done)
		return 0;
again:
	/* The buffer ending before a trailer is a truncated archive. */
	if (it->off > it->len || it->len - it->off < CPIO_HEADER_LEN)
		return CPIO_ETRUNC;
	hdr = it->base + it->off;
	err = parse_header(hdr, f);
	if (err)
		return err;
	namesize = f[CPIO_F_NAMESIZE];
	filesize = f[CPIO_F_FILESIZE];

	name_off = it->off + CPIO_HEADER_LEN;
	if (namesize > it->len - name_off)
		return CPIO_ETRUNC;
	name = it->base + name_off;
	if (!name_ok(name, namesize))
		return CPIO_EBADNAME;
	data_off = ALIGN_UP(name_off + namesize, 4);
	if (is_trailer(name, namesize)) {
		/* Past the trailer and its padding (data too, should it have any). */
		size_t after = data_off > it->len || filesize > it->len - data_off
				       ? it->len
				       : ALIGN_UP(data_off + filesize, 4);
		if (after > it->len)
			after = it->len;
		if (next_archive(it, after))
			goto again; /* a loop: archives may be many */
		it->end = after;
		it->done = true;
		return 0;
	}

	if (data_off > it->len || filesize > it->len - data_off)
		return CPIO_ETRUNC;

	out->name = (const char *)name;
	out->name_len = namesize - 1;
	out->data = it->base + data_off;
	out->size = filesize;
	out->mode = f[CPIO_F_MODE];
	out->ino = f[CPIO_F_INO];
	out->nlink = f[CPIO_F_NLINK];
	out->mtime = f[CPIO_F_MTIME];
	/* May pass len when the final padding is missing; checked next call. */
	it->off = ALIGN_UP(data_off + filesize, 4);
	return 1;
}

/* Archives made with `find .` name files "./a"; callers say "/a" or "a". */
static const char *strip_root(const char *path)
{
	for (;;) {
		if (path[0] == '.' && path[1] == '/')
			path += 2;
		else if (path[0] == '/')
			path++;
		else
			return path;
	}
}

int cpio_find(const void *buf, size_t len, const char *path, struct cpio_entry *out)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int ret;

	bool found = false;

	path = strip_root(path);
	cpio_iter_init(&it, buf, len);
	while ((ret = cpio_next(&it, &e)) > 0) {
		if (strcmp(strip_root(e.name), path) == 0) {
			*out = e; /* a later archive's copy replaces it */
			found = true;
		}
	}
	return found ? 1 : ret;
}
