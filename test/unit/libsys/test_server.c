/*
 * The server runtime (libsys/src/server.c) against the fake kernel: the
 * loop receives a scripted run of requests and every reply is checked:
 * label, length and words; unknown labels and short requests are refused
 * without a handler; the response is zeroed between requests; a deferred
 * request is followed by a plain Recv on a fresh Reply and answered later
 * through the kept one; a handler that claims to defer without doing so
 * gets the caller an error, not a hang; a capability that came with a
 * request is deleted unless the handler kept it, and none is accepted by
 * a server that did not ask for them. Then the client side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <sys/server.h>
#include <sys/thread.h>
#include <tern/invocation.h>

#include "fake_kernel.h"

#define EP 7
#define STOP TERN_EINVALID_CAPABILITY

#define TEST_PROTOCOL(X)         \
	X(T_SUM, 5, t_sum)       \
	X(T_LATER, 6, t_later)   \
	X(T_BROKEN, 7, t_broken) \
	X(T_REFUSE, 8, t_refuse) \
	X(T_KEEP, 9, t_keep)

struct t_sum_req {
	uint64_t w[6];
};
struct t_sum_resp {
	uint64_t sum, words, badge, marked;
	uint64_t extra[2]; /* through the IPC buffer */
};
struct t_later_req {
	uint64_t v;
};
struct t_later_resp {
	uint64_t v;
};
struct t_broken_req {
	uint64_t v;
};
struct t_broken_resp {
	uint64_t v;
};
struct t_refuse_req {
	uint64_t v;
};
struct t_refuse_resp {
	uint64_t v;
};
struct t_keep_req {
	uint64_t v;
};
struct t_keep_resp {
	uint64_t slot;
};

enum { TEST_PROTOCOL(TERN_PROTOCOL_ENUM) };
TEST_PROTOCOL(TERN_PROTOCOL_ASSERTS)
TEST_PROTOCOL(TERN_SERVER_HANDLER)
TEST_PROTOCOL(TERN_CLIENT_STUB)
static const struct tern_server_op ops[] = { TEST_PROTOCOL(TERN_SERVER_OP) };

static unsigned handler_calls;
static tern_cptr_t kept_reply, seen_cap;
static uint64_t seen_unwrapped;

static int t_sum_handle(struct tern_request *req, const struct t_sum_req *in,
			struct t_sum_resp *out)
{
	const uint64_t *w = in->w;

	handler_calls++;
	seen_cap = req->cap;
	seen_unwrapped = req->unwrapped_badge;
	for (unsigned i = 0; i < req->words; i++)
		out->sum += w[i];
	out->words = req->words;
	out->badge = req->badge;
	if (w[0] == 1)
		out->marked = 0xdead; /* later requests must not see it again */
	out->extra[0] = w[4] + 1;
	out->extra[1] = w[5] + 1;
	if (kept_reply) {
		struct t_later_resp r = { .v = 4242 };
		assert_int_equal(tern_server_answer(kept_reply, 0, &r, 1), TERN_EOK);
		kept_reply = 0;
	}
	return TERN_SERVER_OK;
}

static int t_later_handle(struct tern_request *req, const struct t_later_req *in,
			  struct t_later_resp *out)
{
	(void)in;
	(void)out;
	handler_calls++;
	kept_reply = tern_request_defer(req);
	assert_true(kept_reply != 0);
	assert_int_equal(tern_request_defer(req), 0); /* only once */
	return TERN_SERVER_DEFERRED;
}

static int t_broken_handle(struct tern_request *req, const struct t_broken_req *in,
			   struct t_broken_resp *out)
{
	(void)req;
	(void)in;
	(void)out;
	handler_calls++;
	return TERN_SERVER_DEFERRED; /* without tern_request_defer */
}

static int t_refuse_handle(struct tern_request *req, const struct t_refuse_req *in,
			   struct t_refuse_resp *out)
{
	(void)req;
	out->v = in->v; /* must not travel: an error reply has no words */
	handler_calls++;
	return TERN_SERVER_FIRST_USER_STATUS + 3;
}

static int t_keep_handle(struct tern_request *req, const struct t_keep_req *in,
			 struct t_keep_resp *out)
{
	(void)in;
	handler_calls++;
	out->slot = tern_request_take_cap(req);
	assert_int_equal(tern_request_take_cap(req), 0);
	return TERN_SERVER_OK;
}

/* The fake thread runtime: a Reply pool handing out 100, 101, ..., slots
 * from 200. */
static tern_cptr_t next_reply, returned[8], next_slot;
static unsigned nreturned;

uint64_t tern_slot_get(void)
{
	return next_slot++;
}

tern_cptr_t tern_reply_get(void)
{
	return next_reply++;
}

void tern_reply_put(tern_cptr_t reply)
{
	if (nreturned < 8)
		returned[nreturned++] = reply;
}

/* The script: what each Recv/ReplyRecv delivers next. */
struct incoming {
	uint64_t label;
	unsigned len;
	uint64_t w[8];
	uint64_t badge;
	unsigned caps, unwrapped;
	uint64_t cap_badge;
};
static const struct incoming *script;
static unsigned script_len, script_pos;
/* The receive slot the loop had set at each receive. */
static uint64_t recv_index[16], recv_depth[16];

static uint64_t deliver(const struct fake_call *c, struct tern_sysregs *r)
{
	if (c->num != TERN_SYS_RECV && c->num != TERN_SYS_REPLY_RECV)
		return TERN_EOK; /* a Reply */
	assert_int_equal(c->in.rdi, EP);
	recv_index[script_pos] = fake_ipc.recv_index;
	recv_depth[script_pos] = fake_ipc.recv_depth;
	assert_true(fake_ipc.recv_depth == 0 || fake_ipc.recv_cnode == TERN_SLOT_CNODE);
	if (script_pos == script_len)
		return STOP;
	const struct incoming *m = &script[script_pos++];
	r->rsi = tern_msginfo(m->label, m->caps, m->len) | (uint64_t)m->unwrapped << 12;
	fake_ipc.recv_badges[0] = m->cap_badge;
	r->rdi = m->badge;
	for (unsigned i = 0; i < TERN_MSG_REG_WORDS; i++)
		r->mr[i] = m->w[i];
	for (unsigned i = TERN_MSG_REG_WORDS; i < 8; i++)
		fake_ipc.msg[i] = m->w[i];
	return TERN_EOK;
}

static void run_caps(const struct incoming *s, unsigned n, int accept_caps)
{
	struct tern_server srv = { .ep = EP,
				   .ops = ops,
				   .nops = sizeof(ops) / sizeof(ops[0]),
				   .accept_caps = accept_caps };

	fake_reset(deliver);
	script = s;
	script_len = n;
	script_pos = 0;
	next_reply = 100;
	next_slot = 200;
	nreturned = 0;
	handler_calls = 0;
	kept_reply = 0;
	assert_int_equal(tern_server_run(&srv), STOP);
}

static void run(const struct incoming *s, unsigned n)
{
	run_caps(s, n, 0);
}

static const struct fake_call *call(unsigned i)
{
	assert_true(i < fake_ncalls);
	return &fake_log[i];
}

static void check_reply(unsigned i, uint64_t status, unsigned len)
{
	const struct fake_call *c = call(i);

	assert_int_equal(c->num, TERN_SYS_REPLY_RECV);
	assert_int_equal(c->label, status);
	assert_int_equal(c->length, len);
}

static void test_dispatch_and_lengths(void **state)
{
	(void)state;
	static const struct incoming s[] = {
		{ .label = T_SUM, .len = 6, .w = { 1, 2, 3, 4, 5, 6 }, .badge = 0x77 },
		{ .label = T_SUM,
		  .len = 7,
		  .w = { 0, 2, 3, 4, 5, 6, 10 },
		  .badge = 0 }, /* a trailing word */
		{ .label = T_SUM, .len = 5, .w = { 1, 2, 3, 4, 5 }, .badge = 0 }, /* one short */
		{ .label = T_SUM, .len = 0, .w = { 0 }, .badge = 0 },
		{ .label = 99, .len = 2, .w = { 1, 2 }, .badge = 0 },
		{ .label = 0, .len = 0, .w = { 0 }, .badge = 0 },
		{ .label = T_REFUSE, .len = 1, .w = { 5 }, .badge = 0 },
	};
	run(s, 7);
	assert_int_equal(fake_ncalls, 8);
	assert_int_equal(call(0)->num, TERN_SYS_RECV);
	assert_int_equal(call(0)->in.r12, 100);
	check_reply(1, TERN_SERVER_OK, 6);
	assert_int_equal(call(1)->in.r12, 100);
	assert_int_equal(call(1)->words[0], 21);
	assert_int_equal(call(1)->words[1], 6);
	assert_int_equal(call(1)->words[2], 0x77);
	assert_int_equal(call(1)->words[3], 0xdead);
	assert_int_equal(call(1)->words[4], 6);
	assert_int_equal(call(1)->words[5], 7);
	check_reply(2, TERN_SERVER_OK, 6);
	assert_int_equal(call(2)->words[0], 30);
	assert_int_equal(call(2)->words[1], 7);
	assert_int_equal(call(2)->words[3], 0); /* zeroed, not the last reply's */
	check_reply(3, TERN_SERVER_EMSGSIZE, 0);
	check_reply(4, TERN_SERVER_EMSGSIZE, 0);
	check_reply(5, TERN_SERVER_ENOLABEL, 0);
	check_reply(6, TERN_SERVER_ENOLABEL, 0);
	check_reply(7, TERN_SERVER_FIRST_USER_STATUS + 3, 0);
	assert_int_equal(handler_calls, 3); /* never for refused requests */
}

static void test_defer_and_answer_later(void **state)
{
	(void)state;
	static const struct incoming s[] = {
		{ .label = T_LATER, .len = 1, .w = { 9 }, .badge = 0 },
		{ .label = T_SUM,
		  .len = 6,
		  .w = { 0, 1, 1, 1, 1, 1 },
		  .badge = 0 }, /* answers the deferred one */
		{ .label = T_BROKEN, .len = 1, .w = { 0 }, .badge = 0 },
	};
	run(s, 3);
	/* RECV(100), T_LATER defers: RECV(101); T_SUM: REPLY(100) then
	 * REPLY_RECV(101); T_BROKEN: REPLY_RECV(101) with ENOREPLY. */
	assert_int_equal(fake_ncalls, 5);
	assert_int_equal(call(0)->num, TERN_SYS_RECV);
	assert_int_equal(call(0)->in.r12, 100);
	assert_int_equal(call(1)->num, TERN_SYS_RECV);
	assert_int_equal(call(1)->in.r12, 101);
	assert_int_equal(call(2)->num, TERN_SYS_REPLY);
	assert_int_equal(call(2)->in.rdi, 100);
	assert_int_equal(call(2)->label, 0);
	assert_int_equal(call(2)->length, 1);
	assert_int_equal(call(2)->words[0], 4242);
	assert_int_equal(nreturned, 1);
	assert_int_equal(returned[0], 100);
	check_reply(3, TERN_SERVER_OK, 6);
	assert_int_equal(call(3)->in.r12, 101);
	check_reply(4, TERN_SERVER_ENOREPLY, 0);
}

static void check_delete(unsigned i, uint64_t slot)
{
	const struct fake_call *c = call(i);

	assert_int_equal(c->num, TERN_SYS_CALL);
	assert_int_equal(c->in.rdi, TERN_SLOT_CNODE);
	assert_int_equal(c->label, TERN_INV_CNODE_DELETE);
	assert_int_equal(c->words[0], slot);
	assert_int_equal(c->words[1], 64);
}

static void test_caps(void **state)
{
	(void)state;
	static const struct incoming s[] = {
		{ .label = T_SUM, .len = 6, .caps = 1 },  /* dropped */
		{ .label = T_KEEP, .len = 1, .caps = 1 }, /* kept */
		{ .label = T_SUM, .len = 6 },		  /* none */
		{ .label = T_SUM, .len = 6, .caps = 1, .unwrapped = 1, .cap_badge = 0x5a },
		{ .label = 99, .len = 0, .caps = 1 }, /* refused, still dropped */
	};
	run_caps(s, 5, 1);
	/* RECV; T_SUM: delete 200, REPLY_RECV; T_KEEP: REPLY_RECV (slot 201
	 * next); T_SUM: REPLY_RECV; unwrapped: REPLY_RECV; 99: delete 201,
	 * REPLY_RECV. */
	assert_int_equal(fake_ncalls, 8);
	assert_int_equal(recv_index[0], 200);
	assert_int_equal(recv_depth[0], 64);
	check_delete(1, 200);
	check_reply(2, TERN_SERVER_OK, 6);
	assert_int_equal(recv_index[1], 200);
	check_reply(3, TERN_SERVER_OK, 1);
	assert_int_equal(call(3)->words[0], 200); /* the handler's now */
	assert_int_equal(recv_index[2], 201);
	check_reply(4, TERN_SERVER_OK, 6);
	assert_int_equal(seen_cap, 0);
	check_reply(5, TERN_SERVER_OK, 6);
	assert_int_equal(seen_cap, 0);
	assert_int_equal(seen_unwrapped, 0x5a);
	check_delete(6, 201);
	check_reply(7, TERN_SERVER_ENOLABEL, 0);
	for (unsigned i = 0; i <= 5; i++)
		assert_int_equal(recv_depth[i], 64);
}

static void test_no_caps_unless_asked(void **state)
{
	(void)state;
	static const struct incoming s[] = {
		{ .label = T_SUM, .len = 6, .caps = 1 }, /* a lying kernel: still nothing */
	};
	run(s, 1);
	assert_int_equal(fake_ncalls, 2);
	assert_int_equal(recv_depth[0], 0);
	assert_int_equal(recv_depth[1], 0);
	assert_int_equal(seen_cap, 0);
	check_reply(1, TERN_SERVER_OK, 6);
}

static void test_length_clamped(void **state)
{
	(void)state;
	static const struct incoming s[] = {
		{ .label = T_SUM, .len = 1000, .w = { 1, 2, 3, 4, 5, 6 } }, /* a lying length */
	};
	run(s, 1);
	check_reply(1, TERN_SERVER_OK, 6);
	assert_int_equal(call(1)->words[1], TERN_MSG_MAX_WORDS); /* what the handler saw */
}

/* The client: what it sends, and what it makes of replies. */
static uint64_t client_status, client_len;

static uint64_t answer(const struct fake_call *c, struct tern_sysregs *r)
{
	assert_int_equal(c->num, TERN_SYS_CALL);
	r->rsi = tern_msginfo(client_status, 0, (unsigned)client_len);
	for (unsigned i = 0; i < TERN_MSG_REG_WORDS; i++)
		r->mr[i] = 10 + i;
	fake_ipc.msg[4] = 14;
	fake_ipc.msg[5] = 15;
	return client_status == 0xffff ? TERN_EINVALID_CAPABILITY : TERN_EOK;
}

static void test_client(void **state)
{
	(void)state;
	struct t_sum_req q = { { 1, 2, 3, 4, 5, 6 } };
	struct t_sum_resp r;

	fake_reset(answer);
	client_status = 0;
	client_len = 6;
	assert_int_equal(t_sum_call(EP, &q, &r), TERN_SERVER_OK);
	assert_int_equal(fake_log[0].label, T_SUM);
	assert_int_equal(fake_log[0].length, 6);
	assert_int_equal(fake_log[0].words[5], 6);
	assert_int_equal(r.sum, 10);
	assert_int_equal(r.extra[1], 15);
	client_len = 5; /* a reply shorter than the response struct */
	assert_int_equal(t_sum_call(EP, &q, &r), TERN_SERVER_EMSGSIZE);
	client_status = TERN_SERVER_ENOLABEL;
	client_len = 0;
	assert_int_equal(t_sum_call(EP, &q, &r), TERN_SERVER_ENOLABEL);
	client_status = 0xffff;
	assert_int_equal(t_sum_call(EP, &q, &r), -TERN_EINVALID_CAPABILITY);
	client_status = 0;
	client_len = 6;
	fake_reset(answer);
	assert_int_equal(tern_client_call_cap(EP, T_SUM, 33, &q, 6, &r, 6), TERN_SERVER_OK);
	assert_int_equal(fake_log[0].ncaps, 1);
	assert_int_equal(fake_log[0].caps[0], 33);
	assert_int_equal(tern_client_call(EP, T_SUM, &q, TERN_MSG_MAX_WORDS + 1, &r, 6),
			 -TERN_EINVALID_ARGUMENT);
	assert_int_equal(fake_ncalls, 1); /* refused before any call */
	assert_string_equal(tern_server_strstatus(TERN_SERVER_EMSGSIZE),
			    "message shorter than its struct");
}

/* Interruptible waits (tern_server_intr_start's loop side, the thread
 * not started): the runtime labels answered by the loop itself, only the
 * runtime thread's badge may hand in bits, the bits the server used end
 * waits and the rest is kept for the clients' next waits. */
static uint64_t intr_seen;
static uint64_t intr_fn(struct tern_server *s, uint64_t bits)
{
	(void)s;
	intr_seen |= bits;
	return bits & (1ull << 5); /* a wait of the client with bit 5 ended */
}

static unsigned nth_reply(unsigned k)
{
	for (unsigned i = 0; i < fake_ncalls; i++)
		if (fake_log[i].num == TERN_SYS_REPLY_RECV && k-- == 0)
			return i;
	fail();
	return 0;
}

static void test_intr(void **state)
{
	(void)state;
	static struct tern_server_intr in = { .fn = intr_fn, .ntfn = 77, .badge = 1ull << 59 };
	const struct incoming s[] = {
		{ TERN_SERVER_LABEL_INTR_CAP, 1, { 0 }, 70, 0, 0, 0 },
		{ TERN_SERVER_LABEL_INTR_CAP,
		  1,
		  { 0 },
		  6,
		  0,
		  0,
		  0 }, /* 70 mod 64: a bit of its own */
		{ TERN_SERVER_LABEL_INTR_CAP, 1, { 0 }, 70, 0, 0, 0 }, /* again: the same */
		{ TERN_SERVER_LABEL_INTR_BITS, 1, { (1ull << 5) | (1ull << 6) }, 70, 0, 0, 0 },
		{ TERN_SERVER_LABEL_INTR_BITS,
		  1,
		  { (1ull << 5) | (1ull << 6) },
		  1ull << 59,
		  0,
		  0,
		  0 },
		{ TERN_SERVER_LABEL_RUNTIME + 99, 1, { 0 }, 1, 0, 0, 0 },
	};
	struct tern_server srv = {
		.ep = EP, .ops = ops, .nops = sizeof(ops) / sizeof(ops[0]), .intr = &in
	};

	fake_reset(deliver);
	script = s;
	script_len = 6;
	script_pos = 0;
	next_reply = 100;
	next_slot = 200;
	assert_int_equal(tern_server_run(&srv), STOP);
	const struct fake_call *c = call(nth_reply(0));
	assert_int_equal(c->label, TERN_SERVER_OK);
	assert_int_equal(c->length, 1);
	assert_int_equal(c->words[0], 1ull << 6); /* the bit: badge mod 64, while free */
	assert_int_equal(c->ncaps, 1);
	assert_int_equal(c->caps[0], 200); /* minted once ... */
	c = call(nth_reply(1));
	assert_int_equal(c->words[0], 1ull << 7); /* 6's is taken: the next free one */
	assert_int_equal(c->ncaps, 1);
	assert_int_equal(c->caps[0], 201);
	c = call(nth_reply(2));
	assert_int_equal(c->words[0], 1ull << 6);
	assert_int_equal(c->caps[0], 200); /* ... and handed out again */
	assert_int_equal(next_slot, 202);
	assert_int_equal(call(nth_reply(3))->label, TERN_SERVER_ENOLABEL); /* not the thread */
	assert_int_equal(call(nth_reply(4))->label, TERN_SERVER_OK);
	assert_int_equal(call(nth_reply(5))->label, TERN_SERVER_ENOLABEL);
	assert_int_equal(intr_seen, (1ull << 5) | (1ull << 6));
	assert_int_equal(in.pending, 1ull << 6); /* kept for client 70's next wait */
	assert_int_equal(in.forwarded, 1);
	assert_int_equal(tern_server_intr_bit_of(&srv, 70), 1ull << 6);
	assert_int_equal(tern_server_intr_bit_of(&srv, 6), 1ull << 7);
	assert_int_equal(tern_server_intr_bit_of(&srv, 134), 1ull << 6); /* none: it would share */
	/* Client 70 is gone: its bit is free, its pending bit dropped, every
	 * copy of its cap revoked (ours kept for the next owner). */
	unsigned before = fake_ncalls;
	tern_server_intr_release(&srv, 70);
	assert_int_equal(in.owner[6], 0);
	assert_int_equal(in.pending, 0);
	assert_int_equal(fake_ncalls, before + 1);
	assert_int_equal(call(before)->label, TERN_INV_CNODE_REVOKE);
	assert_int_equal(call(before)->words[0], 200);
	assert_int_equal(in.caps[6], 200);
	assert_int_equal(tern_server_intr_bit_of(&srv, 6), 1ull << 7);
	/* Without interruptible waits the runtime labels are unknown. */
	const struct incoming none[] = { { TERN_SERVER_LABEL_INTR_CAP, 1, { 0 }, 70, 0, 0, 0 } };
	run(none, 1);
	assert_int_equal(call(nth_reply(0))->label, TERN_SERVER_ENOLABEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch_and_lengths),
		cmocka_unit_test(test_defer_and_answer_later),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_no_caps_unless_asked),
		cmocka_unit_test(test_length_clamped),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_intr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
