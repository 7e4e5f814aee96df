/*
 * The initrd as a cpio archive (kernel/core/initrd.c): the boot module
 * itself, or, when the module is gzip-compressed, its contents inflated
 * once into frames allocated for them.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct initrd {
	const char *module; /* the boot module's name */
	uint64_t phys;	    /* where the archive starts (not page-aligned for a module) */
	const void *base;   /* phys in the direct map */
	size_t size;	    /* of the archive */
	size_t packed;	    /* of the module: size unless compressed */
	bool compressed;
};

/*
 * The initrd, found and (when gzip) inflated on the first call. NULL when
 * there is none or it cannot be inflated: *why then says why (a static
 * string), and every later call gives the same answer.
 */
const struct initrd *initrd_get(const char **why);

#endif
