/*
 * Linux's struct new_utsname (include/uapi/linux/utsname.h), what
 * uname(2) fills on x86-64: six NUL-terminated fields of 65 bytes, and
 * the values this system reports.
 */
#ifndef POSIX_UTSNAME_H
#define POSIX_UTSNAME_H

#define POSIX_UTS_LEN 65

struct posix_utsname {
	char sysname[POSIX_UTS_LEN];
	char nodename[POSIX_UTS_LEN];
	char release[POSIX_UTS_LEN];
	char version[POSIX_UTS_LEN];
	char machine[POSIX_UTS_LEN];
	char domainname[POSIX_UTS_LEN];
};
_Static_assert(sizeof(struct posix_utsname) == 6 * 65, "struct new_utsname is Linux's");

/* A Linux 6.1 kernel as far as a program can tell (glibc refuses to run
 * on a kernel older than its minimum, read from here); the names Linux
 * has before anything sets them (CONFIG_DEFAULT_HOSTNAME). */
#define POSIX_UTS_SYSNAME "Linux"
#define POSIX_UTS_NODENAME "(none)"
#define POSIX_UTS_RELEASE "6.1.0-tern"
#define POSIX_UTS_VERSION "#1 SMP tern"
#define POSIX_UTS_MACHINE "x86_64"
#define POSIX_UTS_DOMAINNAME "(none)"

#endif
