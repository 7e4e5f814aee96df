/*
 * The server runtime (sys/server.h): the receive loop, dispatch through
 * the label table with the length check, deferring and answering later,
 * and the client side's typed Call.
 */
#include "sys/server.h"
#include "sys/prof.h"

#include "common/string.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "sys/thread.h"
#include "tern/fault.h"

static const struct tern_server_op *find_op(const struct tern_server *s, uint64_t label)
{
	/* Tables are usually in label order from their first label, without
	 * gaps: try where the label would sit, then search. */
	if (s->nops && label >= s->ops[0].label) {
		uint64_t guess = label - s->ops[0].label;
		if (guess < s->nops && s->ops[guess].label == label)
			return &s->ops[guess];
	}
	for (size_t i = 0; i < s->nops; i++)
		if (s->ops[i].label == label)
			return &s->ops[i];
	return NULL;
}

/* The length of a received message, never beyond the buffer (the kernel
 * clamps too; the loop does not depend on it). */
static unsigned msg_words(tern_msginfo_t info)
{
	unsigned n = tern_msginfo_length(info);

	return n < TERN_MSG_MAX_WORDS ? n : TERN_MSG_MAX_WORDS;
}

/* Message words into a plain array: MR0..MR3 from the registers, the rest
 * from the IPC buffer. */
static void words_in(uint64_t *w, const struct tern_msg *m, unsigned n)
{
	const struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	unsigned r = n < TERN_MSG_REG_WORDS ? n : TERN_MSG_REG_WORDS;

	for (unsigned i = 0; i < r; i++)
		w[i] = m->mr[i];
	for (unsigned i = TERN_MSG_REG_WORDS; i < n; i++)
		w[i] = ipc->msg[i];
}

/* The reverse, for a message about to be sent with label `label` (and the
 * capability in slot `cap`, when not 0). */
static void words_out(struct tern_msg *m, uint64_t label, const uint64_t *w, unsigned n,
		      tern_cptr_t cap)
{
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();

	m->info = tern_msginfo(label, cap ? 1 : 0, n);
	if (cap)
		ipc->send_caps[0] = cap;
	for (unsigned i = 0; i < TERN_MSG_REG_WORDS; i++)
		m->mr[i] = i < n ? w[i] : 0;
	for (unsigned i = TERN_MSG_REG_WORDS; i < n; i++)
		ipc->msg[i] = w[i];
}

/* Bits that came: the server ends the waits they name; the rest is kept
 * for the next wait of those clients (tern_server_intr_check). */
static void intr_deliver(struct tern_server *s, uint64_t bits)
{
	struct tern_server_intr *in = s->intr;

	if (!bits)
		return;
	uint64_t used = in->fn ? in->fn(s, bits) : 0;
	in->pending |= bits & ~used;
}

/* The index of the bit given to `badge`, or 64. */
static unsigned intr_owned(const struct tern_server_intr *in, uint64_t badge)
{
	unsigned i = (unsigned)(badge % 64);

	if (in->owner[i] == badge)
		return i;
	for (i = 0; i < 64; i++)
		if (in->owner[i] == badge)
			return i;
	return 64;
}

uint64_t tern_server_intr_bit_of(const struct tern_server *s, uint64_t badge)
{
	unsigned i = s && s->intr && badge ? intr_owned(s->intr, badge) : 64;

	return i < 64 ? 1ull << i : tern_server_intr_bit(badge);
}

/* A bit for the caller: its own, else a free one (its badge's first),
 * else its badge's, shared. */
static unsigned intr_assign(struct tern_server_intr *in, uint64_t badge)
{
	unsigned i = intr_owned(in, badge);

	if (i < 64)
		return i;
	if (!badge) {
		in->shared |= 1;
		return 0;
	}
	i = (unsigned)(badge % 64);
	for (unsigned k = 0; k < 64 && in->owner[i]; k++)
		i = (i + 1) % 64;
	if (in->owner[i]) {
		in->shared |= tern_server_intr_bit(badge); /* never revoked: a sharer holds it */
		return (unsigned)(badge % 64);
	}
	in->owner[i] = badge;
	in->pending &= ~(1ull << i); /* a bit left by the last owner */
	return i;
}

void tern_server_intr_release(struct tern_server *s, uint64_t badge)
{
	struct tern_server_intr *in = s->intr;
	unsigned i;

	if (!in || !badge || (i = intr_owned(in, badge)) == 64)
		return;
	in->owner[i] = 0;
	in->pending &= ~(1ull << i);
	if (in->caps[i] && !(in->shared & (1ull << i))) /* its copies (a fork's too) go */
		tern_cnode_revoke(TERN_SLOT_CNODE, in->caps[i], 64);
}

/* The interrupt cap of the caller's bit, minted on first use. */
static int intr_cap(struct tern_request *req)
{
	struct tern_server_intr *in = req->server->intr;
	unsigned i = intr_assign(in, req->badge);

	if (!in->caps[i]) {
		tern_cptr_t slot = in->spare ? in->spare : tern_slot_get();
		in->spare = 0;
		if (!slot)
			return TERN_SERVER_EAGAIN;
		if (tern_cnode_mint(TERN_SLOT_CNODE, slot, 64, in->ntfn, 64, TERN_RIGHT_WRITE,
				    1ull << i) != TERN_EOK) {
			in->spare = slot; /* still empty: for the next try */
			return TERN_SERVER_EAGAIN;
		}
		in->caps[i] = slot;
	}
	req->reply_cap = in->caps[i];
	req->resp_words = 1;
	return TERN_SERVER_OK;
}

/* The runtime's own labels (no protocol has them). */
static int runtime_op(struct tern_request *req, const struct tern_msg *m, uint64_t *out)
{
	struct tern_server_intr *in = req->server->intr;

	if (req->label == TERN_SERVER_LABEL_PROF_DUMP) {
		char src[TERN_PROF_NAME_WORDS * 8 + 1];
		unsigned n = req->words < TERN_PROF_NAME_WORDS ? req->words : TERN_PROF_NAME_WORDS;
		for (unsigned i = 0; i < n * 8; i++)
			src[i] = (char)(m->mr[i / 8] >> (i % 8 * 8));
		src[n * 8] = 0;
		tern_prof_dump(n ? src : "server");
		req->resp_words = 0;
		return TERN_SERVER_OK;
	}
	if (!in)
		return TERN_SERVER_ENOLABEL;
	if (req->label == TERN_SERVER_LABEL_INTR_CAP) {
		int st = intr_cap(req);
		out[0] = tern_server_intr_bit_of(req->server, req->badge);
		return st;
	}
	if (req->label == TERN_SERVER_LABEL_INTR_BITS && req->badge == in->badge && req->words) {
		in->forwarded++;
		intr_deliver(req->server, m->mr[0]);
		req->resp_words = 0;
		return TERN_SERVER_OK;
	}
	return TERN_SERVER_ENOLABEL;
}

/*
 * Run the handler for the request in *m (or refuse it). Returns the reply
 * status; *resp_words is the response length when it is 0.
 */
static int dispatch(struct tern_request *req, const struct tern_msg *m, uint64_t *in, uint64_t *out,
		    unsigned *resp_words)
{
	const struct tern_server_op *op = find_op(req->server, req->label);

	*resp_words = 0;
	if (!op) {
		if (req->label < TERN_SERVER_LABEL_RUNTIME)
			return TERN_SERVER_ENOLABEL;
		int status = runtime_op(req, m, out);
		if (status == TERN_SERVER_OK)
			*resp_words = req->resp_words;
		return status;
	}
	if (req->words < op->req_words)
		return TERN_SERVER_EMSGSIZE;
	/* Copied before the handler runs: its own calls reuse the buffer. */
	words_in(in, m, req->words);
	/* Zeroed: fields a handler leaves alone must not carry old data to
	 * the client. */
	for (unsigned i = 0; i < op->resp_words; i++)
		out[i] = 0;
	req->resp_words = op->resp_words;
	int status = op->fn(req, in, out);
	if (status == TERN_SERVER_OK)
		*resp_words =
			req->resp_words < TERN_MSG_MAX_WORDS ? req->resp_words : TERN_MSG_MAX_WORDS;
	if (status == TERN_SERVER_DEFERRED && !req->deferred)
		status = TERN_SERVER_ENOREPLY; /* a handler bug: do not leave the caller hanging */
	else if (status < 0 && status != TERN_SERVER_DEFERRED)
		status = TERN_SERVER_EHANDLER; /* a label is never negative */
	return status;
}

/*
 * Where the next receive may put a capability: the loop's own slot when
 * the server accepts caps, else nowhere. Set before every receive, since
 * a handler's own calls may change the buffer. With no free slot left the
 * next request arrives without its capability (the loop keeps serving,
 * and tries again for a slot before the next receive).
 */
static void recv_slot_arm(struct tern_server *s)
{
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();

	ipc->recv_depth = 0;
	if (!s->accept_caps)
		return;
	if (!s->recv_slot && !(s->recv_slot = tern_slot_get()))
		return;
	ipc->recv_cnode = TERN_SLOT_CNODE;
	ipc->recv_index = s->recv_slot;
	ipc->recv_depth = 64;
}

/* What came with the message: a cap in the receive slot (the kernel
 * places at most one there), or badges of unwrapped ones. */
static void caps_in(struct tern_request *req, tern_msginfo_t info)
{
	const struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	unsigned n = tern_msginfo_caps(info), unwrapped = tern_msginfo_unwrapped(info);

	for (unsigned i = 0; i < n; i++) {
		if (unwrapped & (1u << i))
			req->unwrapped_badge = ipc->recv_badges[i];
		else if (req->server->accept_caps && req->server->recv_slot)
			req->cap = req->server->recv_slot;
	}
}

enum tern_error tern_server_run(struct tern_server *s)
{
	uint64_t in[TERN_MSG_MAX_WORDS], out[TERN_MSG_MAX_WORDS];
	struct tern_msg m;
	enum tern_error err;
	uint64_t t_recv = 0;

	if (!s->reply && !(s->reply = tern_reply_get()))
		return TERN_ENOT_ENOUGH_MEMORY;
	recv_slot_arm(s);
	err = tern_recv(s->ep, s->reply, &m);
	for (;;) {
		if (err == TERN_EINTERRUPTED) {
			recv_slot_arm(s);
			err = tern_recv(s->ep, s->reply, &m);
			continue;
		}
		if (err != TERN_EOK)
			return err;
		if (tern_prof_enabled()) /* sys/prof.h: the handler's time to the reply */
			t_recv = tern_rdtsc();
		struct tern_request req = {
			.server = s,
			.label = tern_msginfo_label(m.info),
			.badge = m.badge,
			.words = msg_words(m.info),
			.reply = s->reply,
		};
		unsigned resp_words;
		caps_in(&req, m.info);
		int status = dispatch(&req, &m, in, out, &resp_words);
		if (req.cap) /* not kept: the slot must be empty for the next one */
			tern_cnode_delete(TERN_SLOT_CNODE, req.cap, 64);
		recv_slot_arm(s);
		if (req.deferred) {
			/* The kept Reply holds the caller; receive into the fresh one. */
			err = tern_recv(s->ep, s->reply, &m);
			continue;
		}
		words_out(&m, (uint64_t)status, out, resp_words,
			  status == TERN_SERVER_OK ? req.reply_cap : 0);
		/* Only a client's protocol request: the kernel reads a fault's
		 * answer itself (label 0 resumes), and runtime labels are
		 * above. */
		if (tern_prof_enabled() && req.label < TERN_FAULT_LABEL_BASE)
			m.info = tern_msginfo(tern_prof_stamp_label((uint64_t)status, t_recv), 0,
					      0) |
				 (m.info & ((1u << 15) - 1));
		err = tern_reply_recv(s->ep, s->reply, &m);
	}
}

tern_cptr_t tern_request_defer(struct tern_request *req)
{
	tern_cptr_t fresh, kept;

	if (req->deferred)
		return 0;
	fresh = tern_reply_get();
	if (!fresh)
		return 0;
	kept = req->reply;
	req->server->reply = fresh;
	req->reply = 0;
	req->deferred = 1;
	return kept;
}

tern_cptr_t tern_request_take_cap(struct tern_request *req)
{
	tern_cptr_t cap = req->cap;

	if (cap) {
		req->cap = 0;
		req->server->recv_slot = 0;
	}
	return cap;
}

enum tern_error tern_server_answer(tern_cptr_t reply, uint64_t status, const void *resp,
				   unsigned words)
{
	return tern_server_answer_cap(reply, status, resp, words, 0);
}

enum tern_error tern_server_answer_words(tern_cptr_t reply, uint64_t status, const void *resp,
					 unsigned words)
{
	struct tern_msg m;
	enum tern_error err;

	if (words > TERN_MSG_MAX_WORDS)
		return TERN_ERANGE_ERROR;
	words_out(&m, status, resp, words, 0);
	err = tern_reply(reply, &m);
	tern_reply_put(reply);
	return err;
}

enum tern_error tern_server_answer_cap(tern_cptr_t reply, uint64_t status, const void *resp,
				       unsigned words, tern_cptr_t cap)
{
	struct tern_msg m;
	enum tern_error err;

	if (words > TERN_MSG_MAX_WORDS)
		return TERN_ERANGE_ERROR; /* nothing sent: the Reply still holds its caller */
	if (status == TERN_SERVER_OK)
		words_out(&m, status, resp, words, cap);
	else
		words_out(&m, status, resp, 0, 0);
	err = tern_reply(reply, &m);
	tern_reply_put(reply); /* unbound either way: answered, or its caller is gone */
	return err;
}

int tern_client_call(tern_cptr_t ep, uint64_t label, const void *req, unsigned req_words,
		     void *resp, unsigned resp_words)
{
	return tern_client_call_cap(ep, label, 0, req, req_words, resp, resp_words);
}

int tern_client_call_cap(tern_cptr_t ep, uint64_t label, tern_cptr_t cap, const void *req,
			 unsigned req_words, void *resp, unsigned resp_words)
{
	struct tern_client_msg m = { .label = label,
				     .req = req,
				     .req_words = req_words,
				     .send_cap = cap,
				     .resp = resp,
				     .resp_min = resp_words,
				     .resp_max = resp_words };

	return tern_client_transact(ep, &m);
}

int tern_client_call_recv_cap(tern_cptr_t ep, uint64_t label, const void *req, unsigned req_words,
			      void *resp, unsigned resp_words, tern_cptr_t recv_slot)
{
	struct tern_client_msg m = { .label = label,
				     .req = req,
				     .req_words = req_words,
				     .resp = resp,
				     .resp_min = resp_words,
				     .resp_max = resp_words,
				     .recv_slot = recv_slot };
	int status;

	if (!recv_slot)
		return -(int)TERN_EINVALID_ARGUMENT;
	status = tern_client_transact(ep, &m);
	if (status == TERN_SERVER_OK && !m.cap_received)
		return TERN_SERVER_ENOCAP;
	return status;
}

int tern_client_transact(tern_cptr_t ep, struct tern_client_msg *c)
{
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	struct tern_msg m;
	uint64_t status;
	enum tern_error err;
	unsigned got;

	c->resp_got = 0;
	c->cap_received = 0;
	if (c->req_words > TERN_MSG_MAX_WORDS || c->resp_max > TERN_MSG_MAX_WORDS ||
	    c->resp_min > c->resp_max)
		return -(int)TERN_EINVALID_ARGUMENT;
	words_out(&m, c->label, c->req, c->req_words, c->send_cap);
	/* Receive a capability only when asked for one: a reply's cap
	 * otherwise lands nowhere (and never in a slot a server loop armed
	 * for its own requests). */
	if (c->recv_slot) {
		ipc->recv_cnode = TERN_SLOT_CNODE;
		ipc->recv_index = c->recv_slot;
		ipc->recv_depth = 64;
	} else {
		ipc->recv_depth = 0;
	}
	err = tern_call(ep, &m);
	ipc->recv_depth = 0;
	if (err != TERN_EOK)
		return -(int)err;
	/* The kernel places at most one cap, into the slot named; an
	 * unwrapped one (our own endpoint) is only a badge. */
	if (c->recv_slot && tern_msginfo_caps(m.info) && !(tern_msginfo_unwrapped(m.info) & 1))
		c->cap_received = 1;
	status = tern_msginfo_label(m.info);
	if (status != TERN_SERVER_OK)
		return status < 0x7fffffff ? (int)status : 0x7fffffff;
	got = msg_words(m.info);
	if (got < c->resp_min)
		return TERN_SERVER_EMSGSIZE;
	if (got > c->resp_max)
		got = c->resp_max;
	words_in(c->resp, &m, got);
	c->resp_got = got;
	return TERN_SERVER_OK;
}

int tern_server_intr_check(struct tern_server *s, uint64_t badge)
{
	struct tern_server_intr *in = s->intr;
	uint64_t bits = 0, own;

	if (!in)
		return 0;
	own = tern_server_intr_bit_of(s, badge);
	/* Bits the thread has not forwarded yet: taken here (its wait then
	 * finds none of them). */
	if (tern_poll(in->ntfn, &bits) == TERN_EOK && bits) {
		in->forwarded++;
		in->pending |= bits & own;
		intr_deliver(s, bits & ~own);
	}
	if (in->pending & own) {
		in->pending &= ~own;
		return 1;
	}
	return 0;
}

int tern_client_intr_cap(tern_cptr_t ep, tern_cptr_t slot)
{
	uint64_t none = 0, bit;

	return tern_client_call_recv_cap(ep, TERN_SERVER_LABEL_INTR_CAP, &none, 1, &bit, 1, slot);
}

const char *tern_server_strstatus(int status)
{
	if (status < 0)
		return "kernel error";
	switch (status) {
#define TERN_SERVER_STATUS_CASE(name, num, text) \
	case num:                                \
		return text;
		TERN_SERVER_STATUSES(TERN_SERVER_STATUS_CASE)
#undef TERN_SERVER_STATUS_CASE
	}
	return "server-specific status";
}
