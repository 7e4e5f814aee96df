/*
 * The example server on the libsys server runtime (sys/server.h): one
 * handler per entry of EXAMPLE_PROTOCOL, the state in a struct passed as
 * the server's context, no globals. It serves the endpoint in
 * TERN_CHILD_SLOT_ARG_CAP and makes its Reply objects from the quota in
 * TERN_CHILD_SLOT_QUOTA.
 */
#include "example_proto.h"
#include "sys/runtime.h"
#include "sys/spawn.h"
#include "sys/printf.h"
#include "sys/syscalls.h"

struct waiter {
	tern_cptr_t reply; /* holds the waiting client */
	uint64_t target;
};

struct counter {
	uint64_t value;
	struct waiter waiters[EXAMPLE_MAX_WAITERS];
	unsigned nwaiters;
};

EXAMPLE_PROTOCOL(TERN_SERVER_HANDLER)

static const struct tern_server_op example_ops[] = { EXAMPLE_PROTOCOL(TERN_SERVER_OP) };

static struct counter *counter_of(struct tern_request *req)
{
	return req->server->ctx;
}

/* Answer every waiter whose target the counter has reached. */
static uint64_t wake_waiters(struct counter *c)
{
	uint64_t woken = 0;

	for (unsigned i = 0; i < c->nwaiters;) {
		struct waiter *w = &c->waiters[i];
		if (w->target > c->value) {
			i++;
			continue;
		}
		struct example_wait_resp r = { .value = c->value };
		tern_server_answer(w->reply, TERN_SERVER_OK, &r, sizeof(r) / 8);
		*w = c->waiters[--c->nwaiters];
		woken++;
	}
	return woken;
}

static int example_add_handle(struct tern_request *req, const struct example_add_req *in,
			      struct example_add_resp *out)
{
	struct counter *c = counter_of(req);

	c->value += in->delta;
	out->woken = wake_waiters(c);
	out->value = c->value;
	return TERN_SERVER_OK;
}

static int example_wait_handle(struct tern_request *req, const struct example_wait_req *in,
			       struct example_wait_resp *out)
{
	struct counter *c = counter_of(req);

	if (c->value >= in->target) {
		out->value = c->value;
		return TERN_SERVER_OK;
	}
	if (c->nwaiters == EXAMPLE_MAX_WAITERS)
		return TERN_SERVER_EAGAIN;
	tern_cptr_t reply = tern_request_defer(req);
	if (!reply)
		return TERN_SERVER_ENOREPLY;
	c->waiters[c->nwaiters++] = (struct waiter){ reply, in->target };
	return TERN_SERVER_DEFERRED;
}

static int example_mirror_handle(struct tern_request *req, const struct example_mirror_req *in,
				 struct example_mirror_resp *out)
{
	(void)req;
	for (unsigned i = 0; i < EXAMPLE_MIRROR_WORDS; i++)
		out->w[i] = example_mirror_word(in->w[i], i);
	return TERN_SERVER_OK;
}

static int example_signal_handle(struct tern_request *req, const struct example_signal_req *in,
				 struct example_signal_resp *out)
{
	if (!req->cap)
		return EXAMPLE_ENOCAP;
	out->slot = req->cap;
	out->result = tern_signal(req->cap);
	if (in->keep)
		tern_request_take_cap(req); /* ours for good; the loop takes a new slot */
	return TERN_SERVER_OK;
}

static int example_give_handle(struct tern_request *req, const struct example_give_req *in,
			       struct example_give_resp *out)
{
	uint64_t *w = (uint64_t *)out;

	if (in->extra > EXAMPLE_GIVE_MAX)
		return TERN_SERVER_EMSGSIZE;
	out->extra = in->extra;
	for (unsigned i = 0; i < in->extra; i++)
		w[1 + i] = example_mirror_word(i, i);
	req->resp_words = 1 + (unsigned)in->extra;
	req->reply_cap = req->server->ep;
	return TERN_SERVER_OK;
}

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	struct counter c = { 0 };
	struct tern_server s = {
		.ep = TERN_CHILD_SLOT_ARG_CAP,
		.ops = example_ops,
		.nops = sizeof(example_ops) / sizeof(example_ops[0]),
		.ctx = &c,
		.accept_caps = 1,
	};
	enum tern_error err = tern_server_run(&s);

	tern_printf("example server: stopped: %d\n", err);
	return 1;
}
