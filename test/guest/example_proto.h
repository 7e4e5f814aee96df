/*
 * The protocol of the example server (example_server.c), defined once:
 * a counter that clients add to, a wait that is answered only when the
 * counter reaches a target (a deferred reply, answered by another
 * client's ADD), a long mirror call whose every word the server
 * transforms (the two-thread IPC test uses it), a call that carries a
 * capability, and one whose reply carries one (with a variable length).
 */
#ifndef EXAMPLE_PROTO_H
#define EXAMPLE_PROTO_H

#include <stdint.h>

#include "sys/server.h"

/* X(NAME, label, base): struct base_req and struct base_resp below. */
#define EXAMPLE_PROTOCOL(X)                  \
	X(EXAMPLE_ADD, 1, example_add)       \
	X(EXAMPLE_WAIT, 2, example_wait)     \
	X(EXAMPLE_MIRROR, 3, example_mirror) \
	X(EXAMPLE_SIGNAL, 4, example_signal) \
	X(EXAMPLE_GIVE, 5, example_give)

struct example_add_req {
	uint64_t delta;
};
struct example_add_resp {
	uint64_t value; /* the counter after the add */
	uint64_t woken; /* waiters this add answered */
};

/* Answered when the counter is at least target (at once if it is). */
struct example_wait_req {
	uint64_t target;
};
struct example_wait_resp {
	uint64_t value;
};

#define EXAMPLE_MIRROR_WORDS 24 /* MR0..MR3 and 20 words through the IPC buffer */
struct example_mirror_req {
	uint64_t w[EXAMPLE_MIRROR_WORDS];
};
struct example_mirror_resp {
	uint64_t w[EXAMPLE_MIRROR_WORDS];
};

/* What the server answers for word i. */
static inline uint64_t example_mirror_word(uint64_t w, unsigned i)
{
	return ~w ^ ((uint64_t)i << 48);
}

/* Sent with a notification cap: the server signals it, and keeps the cap
 * when asked (else the runtime deletes it). */
struct example_signal_req {
	uint64_t keep;
};
struct example_signal_resp {
	uint64_t slot;	 /* where the cap was received, in the server's CNode */
	uint64_t result; /* of the server's SIGNAL */
};
#define EXAMPLE_ENOCAP TERN_SERVER_FIRST_USER_STATUS /* no cap came with it */

/* Answered with a copy of the server's endpoint cap in the reply and
 * `extra` words after the struct (a variable-length answer): word i is
 * example_mirror_word(i, i). */
#define EXAMPLE_GIVE_MAX 8
struct example_give_req {
	uint64_t extra;
};
struct example_give_resp {
	uint64_t extra;
};

#define EXAMPLE_MAX_WAITERS 4

enum example_label { EXAMPLE_PROTOCOL(TERN_PROTOCOL_ENUM) };
EXAMPLE_PROTOCOL(TERN_PROTOCOL_ASSERTS)
EXAMPLE_PROTOCOL(TERN_CLIENT_STUB)

#endif
