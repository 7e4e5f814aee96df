/*
 * Multiboot1 information structure -> struct boot_info.
 *
 * Entry point: multiboot1_parse().
 *
 * Multiboot1 is a fixed struct whose optional parts (module list, memory map,
 * strings) hang off 32-bit physical pointers. Every such pointer goes through
 * the caller's reader, which refuses ranges it cannot map; the parser never
 * dereferences a loader-supplied address itself. Only the struct prefix that
 * the set flags need is read, since old loaders hand over a shorter struct.
 * A pointer from the reader is used only until the next read, so a reader
 * that maps everything through one temporary window works too.
 *
 * The loader magic in EAX is the caller's to check, and so are
 * out->info_start/info_end: the block is scattered over several ranges, and
 * only the caller knows which of them it must keep.
 */
#include <kernel/boot_info.h>

#include "boot_regions.h"

#define MB1_FLAG_MEM (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS (1u << 3)
#define MB1_FLAG_MMAP (1u << 6)
#define MB1_FLAG_LOADER_NAME (1u << 9)

/* Offsets into the info struct, and the prefix size each flag needs. */
#define MB1_OFF_FLAGS 0
#define MB1_OFF_MEM_LOWER 4
#define MB1_OFF_MEM_UPPER 8
#define MB1_OFF_CMDLINE 16
#define MB1_OFF_MODS_COUNT 20
#define MB1_OFF_MODS_ADDR 24
#define MB1_OFF_MMAP_LENGTH 44
#define MB1_OFF_MMAP_ADDR 48
#define MB1_OFF_LOADER_NAME 64
#define MB1_STRUCT_MAX (MB1_OFF_LOADER_NAME + 4)

#define MB1_MODULE_SIZE 16    /* mod_start, mod_end, string, reserved */
#define MB1_MMAP_ENTRY_MIN 20 /* after the size field: base, length, type */

/* How many bytes of the struct the fields announced by `flags` occupy. */
static size_t mb1_struct_size(uint32_t flags)
{
	if (flags & MB1_FLAG_LOADER_NAME)
		return MB1_STRUCT_MAX;
	if (flags & MB1_FLAG_MMAP)
		return MB1_OFF_MMAP_ADDR + 4;
	if (flags & MB1_FLAG_MODS)
		return MB1_OFF_MODS_ADDR + 4;
	if (flags & MB1_FLAG_CMDLINE)
		return MB1_OFF_CMDLINE + 4;
	if (flags & MB1_FLAG_MEM)
		return MB1_OFF_MEM_UPPER + 4;
	return MB1_OFF_FLAGS + 4;
}

/*
 * Copy the string at physical address `pa` into dst, truncating to fit and
 * always terminating. It is read a byte at a time because its length is
 * unknown and the reader may refuse anything past its end.
 */
static int read_string(boot_phys_reader read, uint64_t pa, char *dst, size_t dst_size)
{
	size_t n;

	for (n = 0; n < dst_size - 1; n++) {
		const char *c = read(pa + n, 1);

		if (!c)
			return BOOT_ETRUNC;
		if (*c == 0)
			break;
		dst[n] = *c;
	}
	dst[n] = 0;
	return BOOT_OK;
}

/*
 * The module count is not bounded by anything in the struct, so only the
 * modules we can keep are read; the rest are not our concern.
 */
static int parse_modules(const uint8_t *info, boot_phys_reader read, struct boot_info *out)
{
	uint32_t count = load_u32(info + MB1_OFF_MODS_COUNT);
	uint64_t addr = load_u32(info + MB1_OFF_MODS_ADDR);
	uint32_t i;

	if (count > BOOT_MAX_MODULES)
		count = BOOT_MAX_MODULES;
	for (i = 0; i < count; i++) {
		const uint8_t *src = read(addr + (uint64_t)i * MB1_MODULE_SIZE, MB1_MODULE_SIZE);
		struct boot_module *bm = &out->modules[i];
		uint8_t m[MB1_MODULE_SIZE];
		int err;

		if (!src)
			return BOOT_ETRUNC;
		__builtin_memcpy(m, src, sizeof(m));
		bm->start = load_u32(m);
		bm->end = load_u32(m + 4);
		if (bm->end < bm->start)
			return BOOT_EBADTAG;
		err = read_string(read, load_u32(m + 8), bm->name, sizeof(bm->name));
		if (err)
			return err;
		out->n_modules = i + 1;
	}
	return BOOT_OK;
}

/*
 * Each entry starts with its own size, which counts the bytes after the size
 * field; so an entry is skipped by size + 4, and must hold at least the
 * 20 bytes of base, length and type.
 */
static int parse_mmap(const uint8_t *info, boot_phys_reader read, struct boot_info *out)
{
	uint32_t length = load_u32(info + MB1_OFF_MMAP_LENGTH);
	uint64_t addr = load_u32(info + MB1_OFF_MMAP_ADDR);
	const uint8_t *map;
	size_t off;

	if (length == 0)
		return BOOT_OK;
	map = read(addr, length);
	if (!map)
		return BOOT_ETRUNC;
	/* Trailing bytes too short for a size field are padding. */
	for (off = 0; length - off >= 4;) {
		uint32_t size = load_u32(map + off);
		const uint8_t *e = map + off + 4;

		if (size < MB1_MMAP_ENTRY_MIN)
			return BOOT_EBADTAG;
		if (size > length - off - 4)
			return BOOT_ETRUNC;
		boot_add_region(out, load_u64(e), load_u64(e + 8), boot_mem_type(load_u32(e + 16)));
		off += 4 + (size_t)size;
	}
	return BOOT_OK;
}

int multiboot1_parse(uint64_t mbi_pa, boot_phys_reader read, struct boot_info *out)
{
	uint8_t info[MB1_STRUCT_MAX];
	const uint8_t *src;
	uint32_t flags;
	size_t size;
	int err;

	__builtin_memset(out, 0, sizeof(*out));
	out->loader = 1;
	src = read(mbi_pa, 4);
	if (!src)
		return BOOT_ETRUNC;
	flags = load_u32(src);
	size = mb1_struct_size(flags);
	src = read(mbi_pa, size);
	if (!src)
		return BOOT_ETRUNC;
	/* Copied, since the reader may reuse its window for the next read. */
	__builtin_memset(info, 0, sizeof(info));
	__builtin_memcpy(info, src, size);

	if (flags & MB1_FLAG_CMDLINE) {
		err = read_string(read, load_u32(info + MB1_OFF_CMDLINE), out->cmdline,
				  sizeof(out->cmdline));
		if (err)
			return err;
	}
	if (flags & MB1_FLAG_LOADER_NAME) {
		err = read_string(read, load_u32(info + MB1_OFF_LOADER_NAME), out->loader_name,
				  sizeof(out->loader_name));
		if (err)
			return err;
	}
	if (flags & MB1_FLAG_MODS) {
		err = parse_modules(info, read, out);
		if (err)
			return err;
	}
	if (flags & MB1_FLAG_MMAP) {
		err = parse_mmap(info, read, out);
		if (err)
			return err;
	}
	/* Without a usable map, the two-number summary is all we have. */
	if (out->n_mem == 0 && (flags & MB1_FLAG_MEM)) {
		boot_add_region(out, 0, (uint64_t)load_u32(info + MB1_OFF_MEM_LOWER) * 1024,
				BOOT_MEM_USABLE);
		boot_add_region(out, 0x100000, (uint64_t)load_u32(info + MB1_OFF_MEM_UPPER) * 1024,
				BOOT_MEM_USABLE);
	}
	if (!boot_has_usable_memory(out))
		return BOOT_ENOMEM;
	return BOOT_OK;
}
