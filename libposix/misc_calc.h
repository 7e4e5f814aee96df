/*
 * The pure parts of libposix's misc family (misc.c), host-tested: the
 * utsname this system reports, getrandom's flag check and length clamp,
 * and sysinfo from the clock and the kernel's memory figures.
 */
#ifndef LIBPOSIX_MISC_CALC_H
#define LIBPOSIX_MISC_CALC_H

#include <stdint.h>

#include "posix/sysinfo.h"
#include "posix/utsname.h"

void posix_utsname_fill(struct posix_utsname *u);
/* 0 or -EINVAL for getrandom's flags (Linux's checks, in its order). */
long posix_getrandom_flags_check(uint64_t flags);
/* Linux's MAX_RW_COUNT clamp of a read's length. */
uint64_t posix_rw_count(uint64_t len);
/* sysinfo for a machine up `uptime_ns` with `total` and `free` bytes of
 * RAM; the rest is 0 (no swap, no high memory). */
void posix_sysinfo_fill(struct posix_sysinfo *si, uint64_t uptime_ns, uint64_t total, uint64_t free,
			uint16_t procs);

#endif
