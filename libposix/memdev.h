/*
 * /dev/null and /dev/zero answered in the process (memdev.c).
 */
#ifndef LIBPOSIX_MEMDEV_H
#define LIBPOSIX_MEMDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fdtable.h"

/* read or pread64, write or pwrite64 (the offset does not matter) on a fd
 * whose route is POSIX_ROUTE_NULL or _ZERO: Linux's result. */
long posix_memdev_read(const struct posix_fd *f, uint64_t ubuf, size_t n);
long posix_memdev_write(const struct posix_fd *f, uint64_t ubuf, size_t n);

static inline bool posix_route_is_memdev(uint16_t route)
{
	return route == POSIX_ROUTE_NULL || route == POSIX_ROUTE_ZERO;
}

#endif
