/*
 * Multiboot2 information block -> struct boot_info.
 *
 * Entry point: multiboot2_parse().
 *
 * The block is untrusted input: every length read from it is checked against
 * the bytes that remain before it is used, and nothing is read outside
 * [mbi, mbi + len). Fields are loaded with memcpy because GRUB only promises
 * 8-byte alignment of tags, not of the fields inside them.
 *
 * The parser does not know where the block lies in physical memory, so it
 * leaves out->info_start and out->info_end at zero: the caller, which holds
 * the physical address from EBX, fills them in.
 */
#include <kernel/boot_info.h>

#include "boot_regions.h"

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP 6

#define MB2_FIXED_HEADER 8    /* u32 total_size, u32 reserved */
#define MB2_TAG_HEADER 8      /* u32 type, u32 size */
#define MB2_MODULE_HEADER 16  /* tag header, u32 mod_start, u32 mod_end */
#define MB2_MMAP_HEADER 16    /* tag header, u32 entry_size, u32 entry_version */
#define MB2_MEMINFO_SIZE 16   /* tag header, u32 mem_lower, u32 mem_upper */
#define MB2_MMAP_ENTRY_MIN 24 /* u64 base, u64 len, u32 type, u32 reserved */

/* What the tags said about memory before we know whether an mmap follows. */
struct mb2_state {
	bool have_mmap;
	bool have_meminfo;
	uint32_t mem_lower_kib;
	uint32_t mem_upper_kib;
};

/*
 * Copy the NUL-terminated string in src[0..src_len) into dst, truncating to
 * fit and always terminating; with dst_size 0 only check it. A string
 * without a NUL inside its tag is malformed: the loader promised one.
 */
static int copy_tag_string(char *dst, size_t dst_size, const uint8_t *src, size_t src_len)
{
	size_t n = 0;

	while (n < src_len && src[n] != 0)
		n++;
	if (n == src_len)
		return BOOT_EBADTAG;
	if (dst_size == 0)
		return BOOT_OK;
	if (n > dst_size - 1)
		n = dst_size - 1;
	__builtin_memcpy(dst, src, n);
	dst[n] = 0;
	return BOOT_OK;
}

static int parse_module(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
	struct boot_module *m = NULL;
	uint32_t start, end;

	if (size < MB2_MODULE_HEADER)
		return BOOT_EBADTAG;
	start = load_u32(tag + 8);
	end = load_u32(tag + 12);
	if (end < start)
		return BOOT_EBADTAG;
	/* Modules past the table are still validated, but not kept. */
	if (out->n_modules < BOOT_MAX_MODULES)
		m = &out->modules[out->n_modules];
	if (copy_tag_string(m ? m->name : NULL, m ? sizeof(m->name) : 0, tag + MB2_MODULE_HEADER,
			    size - MB2_MODULE_HEADER) != BOOT_OK)
		return BOOT_EBADTAG;
	if (m) {
		m->start = start;
		m->end = end;
		out->n_modules++;
	}
	return BOOT_OK;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
	uint32_t entry_size;
	size_t off;

	if (size < MB2_MMAP_HEADER)
		return BOOT_EBADTAG;
	entry_size = load_u32(tag + 8);
	if (entry_size < MB2_MMAP_ENTRY_MIN || entry_size % 8 != 0)
		return BOOT_EBADTAG;
	/* Trailing bytes too short for an entry are padding, not an entry. */
	for (off = MB2_MMAP_HEADER; size - off >= entry_size; off += entry_size) {
		const uint8_t *e = tag + off;

		boot_add_region(out, load_u64(e), load_u64(e + 8), boot_mem_type(load_u32(e + 16)));
	}
	return BOOT_OK;
}

static int parse_tag(uint32_t type, const uint8_t *tag, uint32_t size, struct boot_info *out,
		     struct mb2_state *st)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		return copy_tag_string(out->cmdline, sizeof(out->cmdline), tag + MB2_TAG_HEADER,
				       size - MB2_TAG_HEADER);
	case MB2_TAG_LOADER_NAME:
		return copy_tag_string(out->loader_name, sizeof(out->loader_name),
				       tag + MB2_TAG_HEADER, size - MB2_TAG_HEADER);
	case MB2_TAG_MODULE:
		return parse_module(tag, size, out);
	case MB2_TAG_BASIC_MEMINFO:
		if (size < MB2_MEMINFO_SIZE)
			return BOOT_EBADTAG;
		st->have_meminfo = true;
		st->mem_lower_kib = load_u32(tag + 8);
		st->mem_upper_kib = load_u32(tag + 12);
		return BOOT_OK;
	case MB2_TAG_MMAP:
		st->have_mmap = true;
		return parse_mmap(tag, size, out);
	default:
		return BOOT_OK; /* unknown tags are the loader's business */
	}
}

/* Walk the tags; returns once the end tag is seen, or with an error. */
static int walk_tags(const uint8_t *p, size_t total, struct boot_info *out, struct mb2_state *st)
{
	size_t off = MB2_FIXED_HEADER;

	while (total - off >= MB2_TAG_HEADER) {
		uint32_t type = load_u32(p + off);
		uint32_t size = load_u32(p + off + 4);
		int err;

		if (size < MB2_TAG_HEADER || size > total - off)
			return BOOT_EBADTAG;
		if (type == MB2_TAG_END)
			return size == MB2_TAG_HEADER ? BOOT_OK : BOOT_EBADTAG;
		err = parse_tag(type, p + off, size, out, st);
		if (err)
			return err;
		/* The padding after the last tag may be missing: stop then. */
		off += ((size_t)size + 7) & ~(size_t)7;
		if (off > total)
			break;
	}
	return BOOT_EBADTAG; /* no end tag */
}

int multiboot2_parse(const void *mbi, size_t len, struct boot_info *out)
{
	const uint8_t *p = mbi;
	struct mb2_state st = { 0 };
	uint32_t total;
	int err;

	__builtin_memset(out, 0, sizeof(*out));
	out->loader = 2;
	if (len < MB2_FIXED_HEADER)
		return BOOT_ETRUNC;
	total = load_u32(p);
	if (total > len)
		return BOOT_ETRUNC;
	if (total < MB2_FIXED_HEADER + MB2_TAG_HEADER)
		return BOOT_EBADTAG;
	err = walk_tags(p, total, out, &st);
	if (err)
		return err;
	/* The firmware map is authoritative; the two-number summary is not. */
	if (!st.have_mmap && st.have_meminfo) {
		boot_add_region(out, 0, (uint64_t)st.mem_lower_kib * 1024, BOOT_MEM_USABLE);
		boot_add_region(out, 0x100000, (uint64_t)st.mem_upper_kib * 1024, BOOT_MEM_USABLE);
	}
	if (!boot_has_usable_memory(out))
		return BOOT_ENOMEM;
	return BOOT_OK;
}
