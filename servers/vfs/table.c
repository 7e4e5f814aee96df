/*
 * The label-to-handler table of the vfs protocol (posix/proto_vfs.h).
 * The handlers live one file per family (vfs.h), so the runtime's
 * static-handler generator does not fit: each thunk here calls the
 * family's typed handler.
 */
#include "vfs.h"

#define VFS_HANDLER_DECL(name, label, base)                                          \
	int base##_handle(struct tern_request *req, const struct base##_req *in,     \
			  struct base##_resp *out);                                  \
	static int base##_thunk(struct tern_request *req, const void *in, void *out) \
	{                                                                            \
		return base##_handle(req, in, out);                                  \
	}
VFS_PROTOCOL(VFS_HANDLER_DECL)

const struct tern_server_op vfs_ops[] = { VFS_PROTOCOL(TERN_SERVER_OP) };
const size_t vfs_nops = sizeof(vfs_ops) / sizeof(vfs_ops[0]);
