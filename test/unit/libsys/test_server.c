/*
 * The server runtime (libsys/src/server.c) against the fake kernel: the
 * loop receives a scripted run of requests and every reply is checked:
 * label, length and words; unknown labels and short requests are refused
 * without a handler; the response is zeroed between requests; a deferred
 * request is followed by a plain Recv on a fresh Reply and answered later
 * through the kept one; a handler that claims to defer without doing so
 * gets the caller an error, not a hang. Then the client side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <sys/server.h>
#include <sys/thread.h>

#include "fake_kernel.h"

#define EP 7
#define STOP TERN_EINVALID_CAPABILITY

#define TEST_PROTOCOL(X)         \
	X(T_SUM, 5, t_sum)       \
	X(T_LATER, 6, t_later)   \
	X(T_BROKEN, 7, t_broken) \
	X(T_REFUSE, 8, t_refuse)

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

enum { TEST_PROTOCOL(TERN_PROTOCOL_ENUM) };
TEST_PROTOCOL(TERN_PROTOCOL_ASSERTS)
TEST_PROTOCOL(TERN_SERVER_HANDLER)
TEST_PROTOCOL(TERN_CLIENT_STUB)
static const struct tern_server_op ops[] = { TEST_PROTOCOL(TERN_SERVER_OP) };

static unsigned handler_calls;
static tern_cptr_t kept_reply;

static int t_sum_handle(struct tern_request *req, const struct t_sum_req *in,
			struct t_sum_resp *out)
{
	const uint64_t *w = in->w;

	handler_calls++;
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

/* The fake thread runtime: a Reply pool handing out 100, 101, ... */
static tern_cptr_t next_reply, returned[8];
static unsigned nreturned;

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
};
static const struct incoming *script;
static unsigned script_len, script_pos;

static uint64_t deliver(const struct fake_call *c, struct tern_sysregs *r)
{
	if (c->num != TERN_SYS_RECV && c->num != TERN_SYS_REPLY_RECV)
		return TERN_EOK; /* a Reply */
	assert_int_equal(c->in.rdi, EP);
	if (script_pos == script_len)
		return STOP;
	const struct incoming *m = &script[script_pos++];
	r->rsi = tern_msginfo(m->label, 0, m->len);
	r->rdi = m->badge;
	for (unsigned i = 0; i < TERN_MSG_REG_WORDS; i++)
		r->mr[i] = m->w[i];
	for (unsigned i = TERN_MSG_REG_WORDS; i < 8; i++)
		fake_ipc.msg[i] = m->w[i];
	return TERN_EOK;
}

static void run(const struct incoming *s, unsigned n)
{
	struct tern_server srv = { .ep = EP, .ops = ops, .nops = sizeof(ops) / sizeof(ops[0]) };

	fake_reset(deliver);
	script = s;
	script_len = n;
	script_pos = 0;
	next_reply = 100;
	nreturned = 0;
	handler_calls = 0;
	kept_reply = 0;
	assert_int_equal(tern_server_run(&srv), STOP);
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
		{ T_SUM, 6, { 1, 2, 3, 4, 5, 6 }, 0x77 },
		{ T_SUM, 7, { 0, 2, 3, 4, 5, 6, 10 }, 0 }, /* a trailing word */
		{ T_SUM, 5, { 1, 2, 3, 4, 5 }, 0 },	   /* one short */
		{ T_SUM, 0, { 0 }, 0 },
		{ 99, 2, { 1, 2 }, 0 },
		{ 0, 0, { 0 }, 0 },
		{ T_REFUSE, 1, { 5 }, 0 },
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
		{ T_LATER, 1, { 9 }, 0 },
		{ T_SUM, 6, { 0, 1, 1, 1, 1, 1 }, 0 }, /* answers the deferred one */
		{ T_BROKEN, 1, { 0 }, 0 },
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
	assert_string_equal(tern_server_strstatus(TERN_SERVER_EMSGSIZE),
			    "message shorter than its struct");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch_and_lengths),
		cmocka_unit_test(test_defer_and_answer_later),
		cmocka_unit_test(test_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
