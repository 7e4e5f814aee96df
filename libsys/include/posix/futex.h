/*
 * Linux's futex(2) ABI (include/uapi/linux/futex.h): the commands, the
 * flag bits of the op word, FUTEX_WAKE_OP's encoded operation, the
 * robust-list head, and the bits of a robust futex word.
 */
#ifndef POSIX_FUTEX_H
#define POSIX_FUTEX_H

#include <stdint.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2 /* removed in 2.6.26: ENOSYS */
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13

#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* FUTEX_WAKE_OP: val3 = op << 28 | cmp << 24 | oparg << 12 | cmparg. */
#define FUTEX_OP_SET 0	       /* uaddr2 = oparg */
#define FUTEX_OP_ADD 1	       /* uaddr2 += oparg */
#define FUTEX_OP_OR 2	       /* uaddr2 |= oparg */
#define FUTEX_OP_ANDN 3	       /* uaddr2 &= ~oparg */
#define FUTEX_OP_XOR 4	       /* uaddr2 ^= oparg */
#define FUTEX_OP_OPARG_SHIFT 8 /* in op: use 1 << oparg */
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

/* set_robust_list's head (24 bytes). */
struct posix_robust_list_head {
	uint64_t list;		  /* struct robust_list *next of the first entry */
	int64_t futex_offset;	  /* from an entry to its futex word */
	uint64_t list_op_pending; /* an entry being added or removed */
};
_Static_assert(sizeof(struct posix_robust_list_head) == 24, "robust_list_head is Linux's");

#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define ROBUST_LIST_LIMIT 2048

#endif
