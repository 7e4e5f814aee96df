/*
 * Linux's struct linux_dirent64 (getdents64) and the d_type values
 * (include/linux/dirent.h, fs/readdir.c). A record is the 19-byte header,
 * the name and its NUL, padded to a multiple of 8 bytes.
 */
#ifndef POSIX_DIRENT_H
#define POSIX_DIRENT_H

#include <stddef.h>
#include <stdint.h>

#define POSIX_DT_UNKNOWN 0
#define POSIX_DT_FIFO 1
#define POSIX_DT_CHR 2
#define POSIX_DT_DIR 4
#define POSIX_DT_BLK 6
#define POSIX_DT_REG 8
#define POSIX_DT_LNK 10
#define POSIX_DT_SOCK 12

struct posix_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
_Static_assert(offsetof(struct posix_dirent64, d_name) == 19, "dirent64 header is 19 bytes");

/* The record length for a name of `len` bytes. */
static inline size_t posix_dirent64_reclen(size_t len)
{
	return (offsetof(struct posix_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
}

/* d_type from st_mode: the type bits shifted, as Linux's fs_umode_to_dtype. */
static inline uint8_t posix_mode_to_dtype(uint32_t mode)
{
	return (uint8_t)((mode >> 12) & 15);
}

#endif
