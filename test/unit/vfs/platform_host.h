/* The host platform of the vfs core (platform_host.c) and test helpers. */
#ifndef VFS_PLATFORM_HOST_H
#define VFS_PLATFORM_HOST_H

#include "fs.h"

extern uint64_t host_data_limit;
extern int64_t host_now;

#endif
