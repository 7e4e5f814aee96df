/*
 * What the boot loader told us, in one loader-independent form.
 *
 * Both multiboot1 (QEMU -kernel) and multiboot2 (GRUB) are parsed into this
 * struct, so nothing after early boot cares which loader ran. Parsers are
 * pure functions (host-tested); they never trust a length they read.
 */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_MEM_REGIONS 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 2048 /* Linux's COMMAND_LINE_SIZE */
#define BOOT_MODNAME_MAX 64

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIM = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* enum boot_mem_type */
};

struct boot_module {
	uint64_t start; /* physical, inclusive */
	uint64_t end;	/* physical, exclusive */
	char name[BOOT_MODNAME_MAX];
};

struct boot_info {
	uint32_t loader; /* 1 = multiboot1, 2 = multiboot2 */
	char cmdline[BOOT_CMDLINE_MAX];
	char loader_name[BOOT_MODNAME_MAX];
	size_t n_mem;
	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	size_t n_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	uint64_t info_start; /* physical extent of the loader's info block, */
	uint64_t info_end;   /* reserved until parsing is done */
};

/* Error codes of the parsers: 0 on success, negative on malformed input. */
#define BOOT_OK 0
#define BOOT_EBADMAGIC (-1)
#define BOOT_ETRUNC (-2)  /* a size runs past the buffer */
#define BOOT_EBADTAG (-3) /* a tag or entry is malformed */
#define BOOT_ENOMEM (-4)  /* no usable memory map */

/*
 * Parse a multiboot2 information block of `len` readable bytes at `mbi`.
 * Unknown tags are skipped; a tag whose size is too small for its type, runs
 * past the total size, or a total size past `len`, is rejected.
 */
int multiboot2_parse(const void *mbi, size_t len, struct boot_info *out);

/*
 * Parse a multiboot1 information block. Multiboot1 stores physical pointers,
 * so the caller gives a function that returns a readable pointer to `len`
 * bytes at physical address `pa`, or NULL when that range is not readable.
 */
typedef const void *(*boot_phys_reader)(uint64_t pa, size_t len);
int multiboot1_parse(uint64_t mbi_pa, boot_phys_reader read, struct boot_info *out);

/* The kernel's copy, valid after early boot. */
const struct boot_info *boot_info_get(void);
/* The boot module named `name` (e.g. "initrd"), or the first when NULL. */
const struct boot_module *boot_module_find(const char *name);

#endif
