/*
 * User memory access. A user pointer has its own type, so kernel code
 * cannot dereference one by accident; it is opened only by copy_from_user
 * and copy_to_user, which translate through the thread's page tables and
 * copy via the direct map. The kernel never touches user memory through
 * user addresses, so SMAP stays on without stac/clac windows and a bad
 * pointer is an error code, never a kernel fault.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>
#include <stdint.h>

struct tcb;

struct user_ptr {
	uint64_t addr;
};

static inline struct user_ptr user_ptr(uint64_t addr)
{
	return (struct user_ptr){ addr };
}

/* 0 on success, -1 if any byte is not mapped with the needed rights. */
int copy_from_user(struct tcb *t, void *dst, struct user_ptr src, size_t len);
int copy_to_user(struct tcb *t, struct user_ptr dst, const void *src, size_t len);

#endif
