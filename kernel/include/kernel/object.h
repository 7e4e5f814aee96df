/*
 * The header every kernel object starts with, and the quota it is charged
 * to. An object lives exactly as long as its original capability (the one
 * QUOTA_CREATE made): deleting that capability first revokes every
 * capability derived from it, then destroys the object and refunds its
 * quota. Quotas themselves are reference counted by the objects charged
 * to them, so a quota outlives its capability while anything still uses it.
 */
#ifndef KERNEL_OBJECT_H
#define KERNEL_OBJECT_H

#include <stdint.h>

struct quota;

struct kobj {
	uint32_t type; /* enum tern_cap_type */
	uint32_t size; /* bytes charged */
	struct quota *quota;
};

struct quota {
	struct kobj hdr;
	uint64_t limit; /* bytes this quota may charge */
	uint64_t used;	/* bytes charged now (objects and child quotas) */
	uint64_t refs;	/* 1 for the capability + 1 per charged object */
};

#endif
