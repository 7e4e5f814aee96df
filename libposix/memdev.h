/*
 * /dev/null and /dev/zero answered in the process (memdev.c).
 */
#ifndef LIBPOSIX_MEMDEV_H
#define LIBPOSIX_MEMDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fdtable.h"

/* read/pread64 (at: with the offset off) and write/pwrite64 on a fd whose
 * route is POSIX_ROUTE_NULL or _ZERO: Linux's result. */
long posix_memdev_read(const struct posix_fd *f, uint64_t ubuf, size_t n, int64_t off, bool at);
long posix_memdev_write(const struct posix_fd *f, uint64_t ubuf, size_t n, int64_t off, bool at);

static inline bool posix_route_is_memdev(uint16_t route)
{
	return route == POSIX_ROUTE_NULL || route == POSIX_ROUTE_ZERO;
}

#endif
