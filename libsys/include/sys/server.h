/*
 * The server runtime: a receive loop, a label-to-handler table, Reply
 * objects from the thread's pool so a handler can answer later, and
 * typed request/response structs checked against the message.
 *
 * A protocol is one X-macro list, X(NAME, label, base), with a struct
 * base_req and a struct base_resp per entry, both whole words. From it:
 *   TERN_PROTOCOL_ENUM      the labels (enum entries NAME = label)
 *   TERN_PROTOCOL_ASSERTS   _Static_asserts on the sizes (whole words,
 *                           at most TERN_MSG_MAX_WORDS)
 *   TERN_CLIENT_STUB        base_call(ep, &req, &resp), a typed Call
 *   TERN_SERVER_HANDLER     declares the typed handler
 *                           int base_handle(struct tern_request *,
 *                                           const struct base_req *,
 *                                           struct base_resp *)
 *                           and the untyped thunk the table holds
 *   TERN_SERVER_OP          the table entry
 * (see test/guest/example_proto.h for a whole protocol).
 *
 * Messages: a request is the struct's words (MR0..MR3, then the IPC
 * buffer's msg[4..]) under the protocol's label. A reply's label is a
 * status: 0 and the response struct's words, or a status code and no
 * words. The loop never trusts the client: an unknown label is answered
 * TERN_SERVER_ENOLABEL and a request shorter than its struct
 * TERN_SERVER_EMSGSIZE without calling a handler; longer requests reach
 * the handler, which sees req->words (a trailing payload). The loop copies
 * the request out of the IPC buffer before the handler runs (a handler may
 * make calls of its own, which reuse the buffer), and there is no global
 * "current message": everything a handler gets is in its arguments.
 *
 * A handler returns TERN_SERVER_OK (reply with *resp), a status >=
 * TERN_SERVER_FIRST_USER_STATUS or one of the runtime's (reply with that
 * status), or TERN_SERVER_DEFERRED after tern_request_defer(): it keeps
 * the Reply object that holds the caller and answers later with
 * tern_server_answer(), from this or any later handler. ReplyRecv
 * receives into the Reply it replies through, so deferring swaps a fresh
 * Reply (from the thread's pool, sys/thread.h) into the loop.
 *
 * Capabilities: a server that sets accept_caps receives one capability
 * per request into a slot the loop owns; the handler finds it in
 * req->cap and keeps it with tern_request_take_cap(), else the loop
 * deletes it once the handler returns, so clients cannot fill the
 * server's CSpace. Badges of unwrapped caps (the server's own endpoint,
 * badged) are in req->unwrapped_badge. Without accept_caps nothing is
 * received (recv_depth 0).
 *
 * One struct tern_server per thread running a loop; several threads may
 * serve one endpoint, each with its own struct.
 *
 * Interrupting waiting calls (tern/personality.h, "Ending a server wait
 * early"): a server that defers calls which may wait long starts
 * tern_server_intr_start(). The runtime makes a Notification, answers
 * TERN_SERVER_LABEL_INTR_CAP from any client with a signal-only cap to
 * it badged with the client's bit (tern_server_intr_bit_of: a bit of its
 * own while fewer than 64 clients hold one, given back by
 * tern_server_intr_release; beyond, its badge mod 64, shared: clients
 * that share a bit end each other's waits, so a client restarts a call
 * no signal of its own ended, and a call that did part of its work says
 * so, as vfs's VFS_STATUS_INTR_PART), and runs a thread
 * of its own that waits on the Notification and hands the bits that came
 * to the loop (TERN_SERVER_LABEL_INTR_BITS, from that thread only). The
 * loop calls the server's intr_fn with them: it ends the waiting calls
 * of those bits with TERN_SERVER_EINTERRUPTED and says which bits it
 * used. A bit that ended no call is kept: a call of that bit about to
 * wait asks tern_server_intr_check() and is answered
 * TERN_SERVER_EINTERRUPTED at once instead of waiting. That closes the
 * race of a signal that comes just before the call is sent (the client
 * signals its own cap then); a bit left over from a call already
 * answered costs one spurious end, which the client restarts.
 *
 * Entry points: tern_server_run, tern_request_defer, tern_request_take_cap,
 * tern_server_answer, tern_server_answer_words, tern_server_answer_cap,
 * tern_client_call,
 * tern_client_call_cap, tern_client_call_recv_cap, tern_client_transact,
 * tern_server_strstatus, tern_server_intr_start, tern_server_intr_check,
 * tern_server_intr_bit_of, tern_server_intr_release, tern_client_intr_cap.
 */
#ifndef SYS_SERVER_H
#define SYS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "tern/bootinfo.h"
#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/msginfo.h"

#define TERN_SERVER_STATUSES(X)                                         \
	X(OK, 0, "success")                                             \
	X(ENOLABEL, 1, "unknown request label")                         \
	X(EMSGSIZE, 2, "message shorter than its struct")               \
	X(ENOREPLY, 3, "server out of Reply objects, cannot defer")     \
	X(EAGAIN, 4, "server busy (too many deferred requests), retry") \
	X(EHANDLER, 5, "handler returned an invalid status")            \
	X(ENOCAP, 6, "reply without the capability expected")           \
	X(EINTERRUPTED, 13, "interrupted by an upcall (tern/errors.h)")

enum tern_server_status {
#define TERN_SERVER_STATUS_ENUM(name, num, text) TERN_SERVER_##name = num,
	TERN_SERVER_STATUSES(TERN_SERVER_STATUS_ENUM)
#undef TERN_SERVER_STATUS_ENUM
		TERN_SERVER_FIRST_USER_STATUS = 16,
	TERN_SERVER_DEFERRED = -1, /* handler result only, never on the wire */
};
_Static_assert((int)TERN_SERVER_EINTERRUPTED == (int)TERN_EINTERRUPTED,
	       "the interrupted reply label is the kernel's error number");

struct tern_server;

/* One received request, as the loop hands it to a handler. */
struct tern_request {
	struct tern_server *server;
	uint64_t label;
	uint64_t badge;	   /* of the client's endpoint cap */
	unsigned words;	   /* message words received (>= the request struct) */
	tern_cptr_t reply; /* the Reply holding the caller, while not deferred */
	int deferred;
	tern_cptr_t cap;	  /* a capability that came with it (slot), or 0 */
	uint64_t unwrapped_badge; /* badge of an unwrapped cap, or 0 */
	unsigned resp_words;	  /* of a success reply (the handler may change it) */
	tern_cptr_t reply_cap;	  /* sent with a success reply (the handler's slot), or 0 */
};

typedef int (*tern_server_fn)(struct tern_request *req, const void *in, void *out);

struct tern_server_op {
	uint64_t label;
	unsigned req_words, resp_words;
	tern_server_fn fn;
	const char *name;
};

struct tern_server_intr;

struct tern_server {
	tern_cptr_t ep; /* the endpoint served (read right) */
	const struct tern_server_op *ops;
	size_t nops;
	void *ctx;		       /* the server's own state, for handlers */
	int accept_caps;	       /* receive a capability with requests */
	tern_cptr_t reply;	       /* the loop's current Reply object */
	tern_cptr_t recv_slot;	       /* where the next capability lands (accept_caps) */
	struct tern_server_intr *intr; /* interruptible waits (tern_server_intr_start), or NULL */
};

/* Runtime labels, above every protocol's (handled by the loop itself). */
#define TERN_SERVER_LABEL_RUNTIME (1ull << 40)
#define TERN_SERVER_LABEL_INTR_CAP (TERN_SERVER_LABEL_RUNTIME + 1)  /* any client */
#define TERN_SERVER_LABEL_INTR_BITS (TERN_SERVER_LABEL_RUNTIME + 2) /* the runtime's thread */

/* The bit a client is first offered (and shares when all 64 are given). */
static inline uint64_t tern_server_intr_bit(uint64_t badge)
{
	return 1ull << (badge % 64);
}

/* End the waiting calls whose clients' bits are in `bits` (answer them
 * TERN_SERVER_EINTERRUPTED); returns the bits that ended a call. */
typedef uint64_t (*tern_server_intr_fn)(struct tern_server *s, uint64_t bits);

struct tern_server_intr {
	tern_server_intr_fn fn;
	tern_cptr_t ntfn;     /* what clients' caps signal */
	tern_cptr_t caps[64]; /* minted per bit on first use (signal only) */
	tern_cptr_t ep;	      /* the runtime thread's cap to the endpoint */
	uint64_t badge;	      /* its badge (no client's) */
	uint64_t pending;     /* bits that came for no waiting call */
	uint64_t forwarded;   /* bit sets handed to the loop (for tests and figures) */
	tern_cptr_t spare;    /* an empty slot a failed mint left */
	uint64_t owner[64];   /* the client each bit is given to, 0: free */
	uint64_t shared;      /* bits also handed to clients that own none */
};

/*
 * Make the server's waits interruptible: *intr (zeroed, the server's,
 * for good) gets fn, a Notification and a thread at the loop's priority
 * that forwards its bits through a cap to s->ep badged `badge` (a badge
 * no client has). Call before tern_server_run. 0 or an error.
 */
int tern_server_intr_start(struct tern_server *s, struct tern_server_intr *intr,
			   tern_server_intr_fn fn, uint64_t badge);

/*
 * A call of the client with `badge` is about to wait: takes the bits
 * that came meanwhile (others' waits end now) and returns 1 when the
 * client's own bit is pending (cleared): answer TERN_SERVER_EINTERRUPTED
 * instead of waiting. 0 without intr.
 */
int tern_server_intr_check(struct tern_server *s, uint64_t badge);

/*
 * The bit of the client with `badge`: the one given to it alone, else
 * (all 64 were given when it asked, or it never asked)
 * tern_server_intr_bit(badge), which it may share.
 */
uint64_t tern_server_intr_bit_of(const struct tern_server *s, uint64_t badge);

/*
 * The client with `badge` is gone (the server knows: a process's exit):
 * its bit is free for the next client that asks, and every copy of its
 * cap is revoked (a child that kept a copy from a fork can no longer end
 * the next owner's waits).
 */
void tern_server_intr_release(struct tern_server *s, uint64_t badge);

/* The client side: receive the server's interrupt cap for us into the
 * empty slot `slot`; 0, a status, or minus a kernel error. */
int tern_client_intr_cap(tern_cptr_t ep, tern_cptr_t slot);

/*
 * Serve s->ep for good: receive, look the label up, check the length,
 * call the handler, reply (with ReplyRecv) unless it deferred. Returns
 * only when it cannot go on: TERN_ENOT_ENOUGH_MEMORY without a Reply
 * object, or the endpoint's error.
 */
enum tern_error tern_server_run(struct tern_server *s);

/* Keep the caller waiting: returns the Reply now owned by the handler, or
 * 0 (then the handler must answer now, say TERN_SERVER_ENOREPLY). */
tern_cptr_t tern_request_defer(struct tern_request *req);

/* Keep the capability that came with the request: returns its slot (now
 * the handler's) or 0; the loop takes a fresh slot for the next one. */
tern_cptr_t tern_request_take_cap(struct tern_request *req);

/* Answer a deferred request: status and, when 0, the response words. The
 * Reply goes back to the thread's pool. */
enum tern_error tern_server_answer(tern_cptr_t reply, uint64_t status, const void *resp,
				   unsigned words);

/* The same, with the response words whatever the status (a status that
 * carries a count: vfs's VFS_STATUS_INTR_PART). */
enum tern_error tern_server_answer_words(tern_cptr_t reply, uint64_t status, const void *resp,
					 unsigned words);

/* The same, sending the capability in `cap` (a slot of the server's, which
 * keeps it) with a success reply. */
enum tern_error tern_server_answer_cap(tern_cptr_t reply, uint64_t status, const void *resp,
				       unsigned words, tern_cptr_t cap);

/*
 * A Call with a request struct; fills *resp (resp_words words). Returns 0,
 * the server's status (> 0), or minus a kernel error. A reply shorter than
 * the response struct is TERN_SERVER_EMSGSIZE: clients do not trust
 * servers either.
 */
int tern_client_call(tern_cptr_t ep, uint64_t label, const void *req, unsigned req_words,
		     void *resp, unsigned resp_words);

/* The same, sending the capability `cap` with the request. */
int tern_client_call_cap(tern_cptr_t ep, uint64_t label, tern_cptr_t cap, const void *req,
			 unsigned req_words, void *resp, unsigned resp_words);

/* The same, receiving the capability the reply carries into the empty
 * slot recv_slot of the caller's CNode: a success reply without one is
 * TERN_SERVER_ENOCAP. */
int tern_client_call_recv_cap(tern_cptr_t ep, uint64_t label, const void *req, unsigned req_words,
			      void *resp, unsigned resp_words, tern_cptr_t recv_slot);

/* The general Call: a capability either way, and a variable-length
 * answer (at least resp_min words, at most resp_max copied to resp;
 * resp_got says how many came). */
struct tern_client_msg {
	uint64_t label;
	const void *req;
	unsigned req_words;
	tern_cptr_t send_cap; /* or 0 */
	void *resp;
	unsigned resp_min, resp_max;
	tern_cptr_t recv_slot; /* where a cap in the reply goes, or 0 for none */
	unsigned resp_got;     /* out: words received */
	int cap_received;      /* out: a cap landed in recv_slot */
};
int tern_client_transact(tern_cptr_t ep, struct tern_client_msg *m);

const char *tern_server_strstatus(int status);

/* Generators over a protocol list X(NAME, label, base). */
#define TERN_PROTOCOL_ENUM(name, label, base) name = (label),
#define TERN_PROTOCOL_ASSERTS(name, label, base)                                     \
	_Static_assert(sizeof(struct base##_req) % 8 == 0 &&                         \
			       sizeof(struct base##_req) <= TERN_MSG_MAX_WORDS * 8,  \
		       #base "_req: whole words, at most a message");                \
	_Static_assert(sizeof(struct base##_resp) % 8 == 0 &&                        \
			       sizeof(struct base##_resp) <= TERN_MSG_MAX_WORDS * 8, \
		       #base "_resp: whole words, at most a message");               \
	_Static_assert((label) > 0, #name ": label 0 is the success status of replies");
#define TERN_CLIENT_STUB(name, label, base)                                         \
	static inline int base##_call(tern_cptr_t ep, const struct base##_req *req, \
				      struct base##_resp *resp)                     \
	{                                                                           \
		return tern_client_call(ep, (label), req, sizeof(*req) / 8, resp,   \
					sizeof(*resp) / 8);                         \
	}
#define TERN_SERVER_HANDLER(name, label, base)                                          \
	static int base##_handle(struct tern_request *req, const struct base##_req *in, \
				 struct base##_resp *out);                              \
	static int base##_thunk(struct tern_request *req, const void *in, void *out)    \
	{                                                                               \
		return base##_handle(req, in, out);                                     \
	}
#define TERN_SERVER_OP(name, label, base)                                                       \
	{ (label), sizeof(struct base##_req) / 8, sizeof(struct base##_resp) / 8, base##_thunk, \
	  #name },

#endif
