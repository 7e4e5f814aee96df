/*
 * Linux x86-64's file metadata ABI: struct stat (newfstatat, fstat),
 * struct statx, struct statfs, and the mode bits (include/uapi/linux/
 * stat.h, arch/x86/include/uapi/asm/stat.h, asm-generic/statfs.h). The
 * layouts are exact, asserted by size and offset.
 */
#ifndef POSIX_STAT_H
#define POSIX_STAT_H

#include <stddef.h>
#include <stdint.h>

#include "posix/time.h"

#define POSIX_S_IFMT 0170000
#define POSIX_S_IFSOCK 0140000
#define POSIX_S_IFLNK 0120000
#define POSIX_S_IFREG 0100000
#define POSIX_S_IFBLK 0060000
#define POSIX_S_IFDIR 0040000
#define POSIX_S_IFCHR 0020000
#define POSIX_S_IFIFO 0010000
#define POSIX_S_ISUID 04000
#define POSIX_S_ISGID 02000
#define POSIX_S_ISVTX 01000
#define POSIX_S_IALLUGO 07777

#define POSIX_S_ISTYPE(m, t) (((m)&POSIX_S_IFMT) == (t))
#define POSIX_S_ISDIR(m) POSIX_S_ISTYPE(m, POSIX_S_IFDIR)
#define POSIX_S_ISREG(m) POSIX_S_ISTYPE(m, POSIX_S_IFREG)
#define POSIX_S_ISLNK(m) POSIX_S_ISTYPE(m, POSIX_S_IFLNK)
#define POSIX_S_ISCHR(m) POSIX_S_ISTYPE(m, POSIX_S_IFCHR)
#define POSIX_S_ISBLK(m) POSIX_S_ISTYPE(m, POSIX_S_IFBLK)
#define POSIX_S_ISFIFO(m) POSIX_S_ISTYPE(m, POSIX_S_IFIFO)
#define POSIX_S_ISSOCK(m) POSIX_S_ISTYPE(m, POSIX_S_IFSOCK)

/* Device numbers as glibc and the kernel's new_encode_dev encode them. */
static inline uint64_t posix_makedev(uint32_t major, uint32_t minor)
{
	return ((uint64_t)(major & 0xfffff000u) << 32) | ((uint64_t)(major & 0xfffu) << 8) |
	       ((uint64_t)(minor & 0xffffff00u) << 12) | (minor & 0xffu);
}
static inline uint32_t posix_major(uint64_t dev)
{
	return (uint32_t)(((dev >> 32) & 0xfffff000u) | ((dev >> 8) & 0xfffu));
}
static inline uint32_t posix_minor(uint64_t dev)
{
	return (uint32_t)(((dev >> 12) & 0xffffff00u) | (dev & 0xffu));
}

/* struct posix_timespec: posix/time.h (one definition for both). */

/* struct stat of x86-64 (arch/x86/include/uapi/asm/stat.h). */
struct posix_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks; /* 512-byte units */
	struct posix_timespec st_atim, st_mtim, st_ctim;
	int64_t unused[3];
};
_Static_assert(sizeof(struct posix_stat) == 144, "struct stat is 144 bytes on x86-64");
_Static_assert(offsetof(struct posix_stat, st_mode) == 24, "st_mode");
_Static_assert(offsetof(struct posix_stat, st_rdev) == 40, "st_rdev");
_Static_assert(offsetof(struct posix_stat, st_size) == 48, "st_size");
_Static_assert(offsetof(struct posix_stat, st_atim) == 72, "st_atim");
_Static_assert(offsetof(struct posix_stat, st_ctim) == 104, "st_ctim");

/* statx(2) */
#define POSIX_STATX_TYPE 0x1u
#define POSIX_STATX_MODE 0x2u
#define POSIX_STATX_NLINK 0x4u
#define POSIX_STATX_UID 0x8u
#define POSIX_STATX_GID 0x10u
#define POSIX_STATX_ATIME 0x20u
#define POSIX_STATX_MTIME 0x40u
#define POSIX_STATX_CTIME 0x80u
#define POSIX_STATX_INO 0x100u
#define POSIX_STATX_SIZE 0x200u
#define POSIX_STATX_BLOCKS 0x400u
#define POSIX_STATX_BASIC_STATS 0x7ffu
#define POSIX_STATX_BTIME 0x800u
#define POSIX_STATX_MNT_ID 0x1000u
#define POSIX_STATX__RESERVED 0x80000000u

struct posix_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct posix_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct posix_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align;
	uint32_t stx_dio_offset_align;
	uint64_t spare3[12];
};
_Static_assert(sizeof(struct posix_statx) == 256, "struct statx is 256 bytes");
_Static_assert(offsetof(struct posix_statx, stx_mode) == 28, "stx_mode");
_Static_assert(offsetof(struct posix_statx, stx_ino) == 32, "stx_ino");
_Static_assert(offsetof(struct posix_statx, stx_atime) == 64, "stx_atime");
_Static_assert(offsetof(struct posix_statx, stx_mtime) == 112, "stx_mtime");
_Static_assert(offsetof(struct posix_statx, stx_rdev_major) == 128, "stx_rdev_major");
_Static_assert(offsetof(struct posix_statx, stx_mnt_id) == 144, "stx_mnt_id");

/* struct statfs of x86-64 (asm-generic/statfs.h with 64-bit words). */
struct posix_statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};
_Static_assert(sizeof(struct posix_statfs) == 120, "struct statfs is 120 bytes on x86-64");
_Static_assert(offsetof(struct posix_statfs, f_fsid) == 56, "f_fsid");
_Static_assert(offsetof(struct posix_statfs, f_namelen) == 64, "f_namelen");

/* Magic numbers statfs reports (include/uapi/linux/magic.h). */
#define POSIX_TMPFS_MAGIC 0x01021994
#define POSIX_PROC_SUPER_MAGIC 0x9fa0
#define POSIX_SYSFS_MAGIC 0x62656572

/* statfs f_flags (ST_*). */
#define POSIX_ST_RDONLY 0x0001
#define POSIX_ST_NOSUID 0x0002
#define POSIX_ST_NODEV 0x0004
#define POSIX_ST_NOEXEC 0x0008
#define POSIX_ST_RELATIME 0x0400
#define POSIX_ST_VALID 0x0020

#endif
