/*
 * The fd route cache (fdtable.h) and the vfs call helper: posix_fd_init
 * reads the process's open fds from vfs at start (VFS_FD_ROUTES), after
 * exec's close-on-exec has run there.
 *
 * Entry points: posix_fd_init, posix_fd_set, posix_fd_clear,
 * posix_vfs_call, posix_path_in.
 */
#include "fdtable.h"

#include "common/string.h"
#include "errors.h"
#include "init.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/fcntl.h"
#include "uaccess.h"

struct posix_fd posix_fds[POSIX_FD_CACHE];

void posix_fd_set(int64_t fd, uint64_t route, uint64_t handle, uint64_t flags, bool cloexec)
{
	if ((uint64_t)fd >= POSIX_FD_CACHE)
		return;
	posix_fds[fd] = (struct posix_fd){ (uint16_t)route, cloexec, (uint32_t)flags, handle };
}

void posix_fd_clear(int64_t fd)
{
	if ((uint64_t)fd < POSIX_FD_CACHE)
		posix_fds[fd] = (struct posix_fd){ 0 };
}

long posix_vfs_call(uint64_t label, const uint64_t *w, unsigned n, size_t payload_bytes,
		    uint64_t r[4])
{
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	unsigned words = n + (unsigned)((payload_bytes + 7) / 8);
	struct tern_msg m;

	for (unsigned i = 0; i < TERN_MSG_REG_WORDS; i++)
		m.mr[i] = i < n ? w[i] : 0;
	for (unsigned i = TERN_MSG_REG_WORDS; i < n; i++)
		ipc->msg[i] = w[i];
	m.info = tern_msginfo(label, 0, words);
	enum tern_error err = tern_call(POSIX_SLOT_VFS_EP, &m);
	if (err != TERN_EOK)
		return posix_status_to_errno(-(long)err);
	for (unsigned i = 0; i < TERN_MSG_REG_WORDS; i++)
		r[i] = m.mr[i];
	return posix_status_to_errno((long)tern_msginfo_label(m.info));
}

long posix_path_in(uint64_t upath, size_t off)
{
	if (off >= VFS_PAYLOAD_MAX)
		return -ENAMETOOLONG;
	return strncpy_from_user((char *)posix_vfs_payload() + off, upath, VFS_PAYLOAD_MAX - off);
}

#define PATH_TAIL 256 /* what stays in the call's own message of a long path */

long posix_path_in_first(uint64_t upath, size_t off)
{
	char whole[POSIX_PATH_MAX];
	long n = posix_path_in(upath, off);

	if (n != -ENAMETOOLONG)
		return n;
	/* Longer than a message holds: the head goes ahead. */
	if ((n = strncpy_from_user(whole, upath, sizeof(whole))) < 0)
		return n;
	size_t head = (size_t)n > PATH_TAIL ? (size_t)n - PATH_TAIL : 0, sent = 0;
	while (sent < head) {
		size_t piece = head - sent < VFS_PAYLOAD_MAX ? head - sent : VFS_PAYLOAD_MAX;
		uint64_t w[4] = { piece, 0, 0, 0 }, r[4];
		memcpy(posix_vfs_payload(), whole + sent, piece);
		long err = posix_vfs_call(VFS_PATH_PREFIX, w, 4, piece, r);
		if (err)
			return err;
		sent += piece;
	}
	memcpy(posix_vfs_payload() + off, whole + head, (size_t)n - head);
	return n - (long)head;
}

int posix_fd_init(void)
{
	uint64_t start = 0, r[4];

	for (unsigned i = 0; i < POSIX_FD_CACHE; i++)
		posix_fds[i] = (struct posix_fd){ 0 };
	/* A system without vfs (a test that runs proc alone) leaves the slot
	 * empty: no fds then, and every fd call says what vfs's absence
	 * makes it (EIO). */
	struct tern_msg m = { .info = tern_msginfo(VFS_FD_ROUTES, 0, 1), .mr = { 0 } };
	enum tern_error e = tern_call(POSIX_SLOT_VFS_EP, &m);
	if (e == TERN_EINVALID_CAPABILITY || e == TERN_EFAILED_LOOKUP)
		return 0;
	do {
		long err = posix_vfs_call(VFS_FD_ROUTES, &start, 1, 0, r);
		if (err)
			return (int)err;
		const struct vfs_route *e = (const struct vfs_route *)posix_vfs_payload();
		for (uint64_t i = 0; i < r[0] && i < VFS_ROUTES_MAX; i++)
			posix_fd_set(e[i].fd, e[i].route, e[i].handle, e[i].status_flags,
				     e[i].fd_flags & 1);
		start = r[1];
	} while (start);
	return 0;
}
