/*
 * The label-to-handler table of the vfs protocol (posix/proto_vfs.h).
 * The handlers live one file per family (vfs.h), so the runtime's
 * static-handler generator does not fit: each thunk here calls the
 * family's typed handler, then drops a path head (VFS_PATH_PREFIX) that
 * the call did not consume.
 */
#include "handlers.h"

#define VFS_THUNK(name, label, base)                                                 \
	static int base##_thunk(struct tern_request *req, const void *in, void *out) \
	{                                                                            \
		int status = base##_handle(req, in, out);                            \
		if (vfs_prefixes && (label) != VFS_PATH_PREFIX)                      \
			vfs_prefix_drop(req->badge);                                 \
		return status;                                                       \
	}
VFS_PROTOCOL(VFS_THUNK)

const struct tern_server_op vfs_ops[] = { VFS_PROTOCOL(TERN_SERVER_OP) };
const size_t vfs_nops = sizeof(vfs_ops) / sizeof(vfs_ops[0]);
