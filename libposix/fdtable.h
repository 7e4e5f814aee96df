/*
 * libposix's cache of its process's fds (fdtable.c): for each fd, which
 * server its data path goes to (POSIX_ROUTE_*, posix/proto_vfs.h), the
 * console's handle, the status flags libposix needs (O_NONBLOCK for the
 * console) and close-on-exec. The fd table itself is vfs's: this cache is
 * filled from it at start (posix_fd_init) and kept in step by every call
 * that opens, dups, closes or changes flags. fork copies it with the rest
 * of the memory, as vfs copies the table; threads share it.
 *
 * Also the vfs call helper every fd, file and path handler uses: fixed
 * words in registers and the IPC buffer, a payload copied straight into
 * (or out of) the buffer, one Call.
 */
#ifndef LIBPOSIX_FDTABLE_H
#define LIBPOSIX_FDTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "posix/proto_vfs.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"

#define POSIX_FD_CACHE 4096 /* fds above are routed to vfs (which knows them all) */

struct posix_fd {
	uint16_t route; /* POSIX_ROUTE_* (NONE: not open) */
	uint16_t cloexec;
	uint32_t flags; /* status flags (F_GETFL) */
	uint64_t handle;
};

extern struct posix_fd posix_fds[POSIX_FD_CACHE];

static inline const struct posix_fd *posix_fd(int64_t fd)
{
	static const struct posix_fd beyond = { POSIX_ROUTE_VFS, 0, 0, 0 };

	if ((uint64_t)fd < POSIX_FD_CACHE)
		return &posix_fds[fd];
	return &beyond;
}

void posix_fd_set(int64_t fd, uint64_t route, uint64_t handle, uint64_t flags, bool cloexec);
void posix_fd_clear(int64_t fd);

/* The payload area of the calling thread's IPC buffer (message word 4). */
static inline uint8_t *posix_vfs_payload(void)
{
	return (uint8_t *)&tern_ipc_buffer()->msg[VFS_PAYLOAD_WORD];
}

/*
 * Call vfs with `n` fixed words w[] (n >= 4 when a payload follows; the
 * payload, payload_bytes of it, must already be at posix_vfs_payload() +
 * (n - 4) * 8). The answer's first four words come back in r[0..3], the
 * rest stays in the IPC buffer (msg[4..]). Returns 0 or -errno.
 */
long posix_vfs_call(uint64_t label, const uint64_t *w, unsigned n, size_t payload_bytes,
		    uint64_t r[4]);

/* Copy an answer struct of `bytes` (> 32) to the application: its first
 * four words from r, the rest from the IPC buffer. 0 or -EFAULT. */
long posix_copy_answer(uint64_t udst, const uint64_t r[4], size_t bytes);

/* A path from the application into the payload at byte `off`: its length,
 * or -EFAULT / -ENAMETOOLONG (beyond what one message holds). */
long posix_path_in(uint64_t upath, size_t off);
/* The same for the path a call walks first: one longer than a message
 * holds (up to PATH_MAX - 1) has its head sent ahead (VFS_PATH_PREFIX)
 * and its tail put at off; returns the tail's length. */
long posix_path_in_first(uint64_t upath, size_t off);

#endif
