/*
 * Capabilities: types, rights and capability pointers.
 *
 * A CPtr names a slot in the caller's CSpace. Resolution (seL4 style)
 * consumes the pointer's bits from the most significant end: each CNode
 * on the way checks a guard of guard_bits bits and then indexes its 2^radix
 * slots with the next radix bits, until `depth` bits are used (64 for an
 * ordinary invocation).
 */
#ifndef TERN_CAPS_H
#define TERN_CAPS_H

#include <stdint.h>

typedef uint64_t tern_cptr_t;

/* X(name, number) */
#define TERN_CAP_TYPES(X)  \
	X(NULL, 0)         \
	X(QUOTA, 1)        \
	X(CNODE, 2)        \
	X(TCB, 3)          \
	X(ENDPOINT, 4)     \
	X(NOTIFICATION, 5) \
	X(REPLY, 6)        \
	X(IRQ_CONTROL, 7)  \
	X(IRQ_HANDLER, 8)  \
	X(IOPORT, 9)       \
	X(VSPACE, 10)      \
	X(MEMOBJ, 11)      \
	X(TIMER, 12)       \
	X(MACHINE, 13)

enum tern_cap_type {
#define TERN_CAP_ENUM(name, num) TERN_CAP_##name = num,
	TERN_CAP_TYPES(TERN_CAP_ENUM)
#undef TERN_CAP_ENUM
		TERN_CAP_TYPE_COUNT
};

/* Rights: what a capability allows on its object. */
#define TERN_RIGHT_READ (1u << 0)  /* receive on endpoints; read memory */
#define TERN_RIGHT_WRITE (1u << 1) /* send on endpoints; write memory */
#define TERN_RIGHT_GRANT (1u << 2) /* send capabilities */
#define TERN_RIGHT_EXEC (1u << 3)  /* execute memory */
#define TERN_RIGHTS_ALL 0xfu

/* Objects a Quota can create (TERN_QUOTA_CREATE), and their sizes. */
#define TERN_CNODE_MAX_RADIX 16

#endif
