/*
 * Fault-safe access to the application's memory. libposix runs in the
 * application's address space, so a Linux pointer is an ordinary pointer
 * here, but it may be NULL, unmapped, in the kernel half, read-only or
 * straddle the end of a mapping: these routines (uaccess.S) never crash.
 * A fault the kernel cannot resolve inside them resumes at their fix-up
 * (TCB_SET_FAULT_FIXUP), which returns -EFAULT. Nothing else in libposix
 * may dereference an application pointer.
 */
#ifndef LIBPOSIX_UACCESS_H
#define LIBPOSIX_UACCESS_H

#include <stddef.h>
#include <stdint.h>

/* 0, or -EFAULT (dst may then hold part of the data). */
long copy_from_user(void *dst, uint64_t usrc, size_t n);
long copy_to_user(uint64_t udst, const void *src, size_t n);
long clear_user(uint64_t udst, size_t n);
/* How many bytes could be copied before the first inaccessible one: for
 * data a call transfers in part, as Linux's read and write return a short
 * count when the buffer ends early (0 with n > 0 is then EFAULT). */
size_t copy_from_user_upto(void *dst, uint64_t usrc, size_t n);
size_t copy_to_user_upto(uint64_t udst, const void *src, size_t n);
/* Copies a NUL-terminated string of at most max bytes (NUL included):
 * returns its length without the NUL, -EFAULT, or -ENAMETOOLONG when
 * no NUL lies within max bytes (dst holds max bytes then). */
long strncpy_from_user(char *dst, uint64_t usrc, size_t max);

/* Atomically: *uaddr = new if *uaddr == *old; *old = the value found.
 * 0 or -EFAULT (a 4-aligned uaddr; futex.c's FUTEX_WAKE_OP). */
long posix_user_cmpxchg32(uint64_t uaddr, uint32_t *old, uint32_t new_value);

/* Whether [u, u + n) lies in the user half without wrapping (a cheap
 * first check; the copy itself is what catches unmapped pages). */
static inline int user_range_ok(uint64_t u, size_t n)
{
	return u + n >= u && u + n <= 0x0000800000000000ul;
}

/* The range the fix-up covers and where a fault in it resumes. */
extern char posix_uaccess_start[], posix_uaccess_end[], posix_uaccess_fixup[];

#endif
