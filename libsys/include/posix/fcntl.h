/*
 * Linux x86-64's open flags, *at() flags, fcntl commands, lseek whences,
 * access modes and rename flags (include/uapi/asm-generic/fcntl.h,
 * linux/fcntl.h, linux/fs.h): the numbers a Linux program passes.
 */
#ifndef POSIX_FCNTL_H
#define POSIX_FCNTL_H

/* open(2) flags (octal, as Linux writes them). */
#define POSIX_O_ACCMODE 00000003
#define POSIX_O_RDONLY 00000000
#define POSIX_O_WRONLY 00000001
#define POSIX_O_RDWR 00000002
#define POSIX_O_CREAT 00000100
#define POSIX_O_EXCL 00000200
#define POSIX_O_NOCTTY 00000400
#define POSIX_O_TRUNC 00001000
#define POSIX_O_APPEND 00002000
#define POSIX_O_NONBLOCK 00004000
#define POSIX_O_DSYNC 00010000
#define POSIX_O_ASYNC 00020000
#define POSIX_O_DIRECT 00040000
#define POSIX_O_LARGEFILE 00100000
#define POSIX_O_DIRECTORY 00200000
#define POSIX_O_NOFOLLOW 00400000
#define POSIX_O_NOATIME 01000000
#define POSIX_O_CLOEXEC 02000000
#define POSIX_O_SYNC 04010000 /* __O_SYNC | O_DSYNC */
#define POSIX_O_PATH 010000000
#define POSIX_O_TMPFILE 020200000 /* __O_TMPFILE | O_DIRECTORY */

/* The flags F_SETFL may change (fs/fcntl.c SETFL_MASK, less O_DIRECT
 * and O_ASYNC that tmpfs refuses or ignores). */
#define POSIX_SETFL_MASK (POSIX_O_APPEND | POSIX_O_NONBLOCK | POSIX_O_NOATIME)

/* *at() */
#define POSIX_AT_FDCWD (-100)
#define POSIX_AT_SYMLINK_NOFOLLOW 0x100
#define POSIX_AT_REMOVEDIR 0x200
#define POSIX_AT_EACCESS 0x200 /* faccessat2 */
#define POSIX_AT_SYMLINK_FOLLOW 0x400
#define POSIX_AT_NO_AUTOMOUNT 0x800
#define POSIX_AT_EMPTY_PATH 0x1000
#define POSIX_AT_STATX_SYNC_TYPE 0x6000

/* fcntl(2) */
#define POSIX_F_DUPFD 0
#define POSIX_F_GETFD 1
#define POSIX_F_SETFD 2
#define POSIX_F_GETFL 3
#define POSIX_F_SETFL 4
#define POSIX_F_DUPFD_CLOEXEC 1030
#define POSIX_FD_CLOEXEC 1

/* lseek(2) */
#define POSIX_SEEK_SET 0
#define POSIX_SEEK_CUR 1
#define POSIX_SEEK_END 2

/* access(2) */
#define POSIX_F_OK 0
#define POSIX_X_OK 1
#define POSIX_W_OK 2
#define POSIX_R_OK 4

/* renameat2(2) */
#define POSIX_RENAME_NOREPLACE 1
#define POSIX_RENAME_EXCHANGE 2
#define POSIX_RENAME_WHITEOUT 4

/* utimensat(2) */
#define POSIX_UTIME_NOW ((1l << 30) - 1l)
#define POSIX_UTIME_OMIT ((1l << 30) - 2l)

/* Limits (linux/limits.h): PATH_MAX counts the NUL. */
#define POSIX_PATH_MAX 4096
#define POSIX_NAME_MAX 255
#define POSIX_PIPE_BUF 4096
#define POSIX_MAXSYMLINKS 40

#endif
