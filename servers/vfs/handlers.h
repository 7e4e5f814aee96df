/* The typed handler declarations of every vfs call (defined one file per family). */
#ifndef VFS_HANDLERS_H
#define VFS_HANDLERS_H

#include "vfs.h"

#define VFS_HANDLER_PROTO(name, label, base)                                     \
	int base##_handle(struct tern_request *req, const struct base##_req *in, \
			  struct base##_resp *out);
VFS_PROTOCOL(VFS_HANDLER_PROTO)
#undef VFS_HANDLER_PROTO

#endif
