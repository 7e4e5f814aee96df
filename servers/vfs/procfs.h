/* /proc's texts that need no process (procfs.c); the rest of /proc is in fs.h. */
#ifndef VFS_PROCFS_H
#define VFS_PROCFS_H

#include "fs.h"

#define PROCFS_VERSION_TEXT "Linux version 6.1.0-tern (tern@tern) (cc) #1 SMP PREEMPT_DYNAMIC\n"

size_t procfs_mounts_text(const struct fs *fs, char *buf, size_t size);
size_t procfs_static_text(enum procfs_kind kind, char *buf, size_t size);

#endif
