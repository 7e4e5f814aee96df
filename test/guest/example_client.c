/*
 * Clients of the example server (example_server.c, a child task): the
 * counter, a WAIT deferred by the server and answered by another
 * client's ADD, and the errors the runtime answers for an unknown label
 * and for requests shorter than their struct (the server survives both).
 */
#include "example_client.h"

#include "example_proto.h"
#include "guest.h"
#include "sys/ipc.h"
#include "tern/errors.h"

#define SERVER_PRIORITY TERN_ROOT_PRIORITY
#define SERVER_QUOTA (1ul << 20)
#define WAITER_PRIORITY (TERN_ROOT_PRIORITY + 20)

tern_cptr_t example_ep;
static struct tern_task server;

int example_start(void)
{
	uint64_t quota = guest_slot();

	example_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	CHECK(quota && example_ep);
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, SERVER_QUOTA, TERN_SLOT_CNODE, quota, 64),
		 TERN_EOK);
	struct tern_spawn_args a = { .priority = SERVER_PRIORITY,
				     .arg_cap = example_ep,
				     .child_quota = quota };
	CHECK_EQ(guest_spawn_args("bin/guest_example_server", &a, &server), 0);
	return 0;
}

int example_counter(void)
{
	struct example_add_req q = { .delta = 5 };
	struct example_add_resp r;

	CHECK_EQ(example_add_call(example_ep, &q, &r), TERN_SERVER_OK);
	CHECK_EQ(r.value, 5);
	q.delta = 3;
	CHECK_EQ(example_add_call(example_ep, &q, &r), TERN_SERVER_OK);
	CHECK_EQ(r.value, 8);
	CHECK_EQ(r.woken, 0);
	struct example_wait_req w = { .target = 8 };
	struct example_wait_resp wr;
	CHECK_EQ(example_wait_call(example_ep, &w, &wr), TERN_SERVER_OK); /* reached: at once */
	CHECK_EQ(wr.value, 8);
	return 0;
}

static volatile int waiter_status = -1;
static volatile uint64_t waiter_value;
static tern_cptr_t waiter_done;

static void waiter(uint64_t target)
{
	struct example_wait_req w = { .target = target };
	struct example_wait_resp r = { 0 };

	waiter_status = example_wait_call(example_ep, &w, &r);
	waiter_value = r.value;
	tern_signal(waiter_done);
}

int example_deferred_wait(void)
{
	struct example_add_req q = { .delta = 0 };
	struct example_add_resp r;
	uint64_t bits;

	CHECK_EQ(example_add_call(example_ep, &q, &r), TERN_SERVER_OK);
	uint64_t start = r.value;
	waiter_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(waiter_done);
	/* The waiter outranks us: it runs now, its WAIT is deferred, and it
	 * stays blocked on the server while we go on. */
	CHECK(guest_thread(waiter, start + 10, WAITER_PRIORITY));
	CHECK_EQ(tern_poll(waiter_done, &bits), TERN_EOK);
	CHECK_EQ(bits, 0);
	CHECK_EQ(waiter_status, -1);
	q.delta = 4; /* not enough yet */
	CHECK_EQ(example_add_call(example_ep, &q, &r), TERN_SERVER_OK);
	CHECK_EQ(r.woken, 0);
	CHECK_EQ(waiter_status, -1);
	q.delta = 6; /* reaches the target: this call answers the waiter */
	CHECK_EQ(example_add_call(example_ep, &q, &r), TERN_SERVER_OK);
	CHECK_EQ(r.value, start + 10);
	CHECK_EQ(r.woken, 1);
	CHECK_EQ(tern_wait(waiter_done, &bits), TERN_EOK);
	CHECK_EQ(waiter_status, TERN_SERVER_OK);
	CHECK_EQ(waiter_value, start + 10);
	return 0;
}

/* A capability with a request: used and dropped by the runtime, or kept
 * by the handler; the server's CNode shows which. */
int example_cap_transfer(void)
{
	uint64_t n = guest_create(TERN_CAP_NOTIFICATION, 0), probe = guest_slot(), bits = 0;
	struct example_signal_req q = { .keep = 0 };
	struct example_signal_resp r;
	CHECK(n && probe);

	CHECK_EQ(tern_client_call_cap(example_ep, EXAMPLE_SIGNAL, n, &q, 1, &r, 2), TERN_SERVER_OK);
	CHECK_EQ(r.result, TERN_EOK);
	CHECK_EQ(tern_poll(n, &bits), TERN_EOK);
	CHECK(bits != 0);
	/* Dropped: the server's receive slot is empty again. */
	CHECK_EQ(tern_cnode_copy_from(TERN_SLOT_CNODE, probe, 64, server.cspace, r.slot, 64,
				      TERN_RIGHTS_ALL),
		 TERN_EFAILED_LOOKUP);
	uint64_t first = r.slot;
	q.keep = 1;
	CHECK_EQ(tern_client_call_cap(example_ep, EXAMPLE_SIGNAL, n, &q, 1, &r, 2), TERN_SERVER_OK);
	CHECK_EQ(r.slot, first); /* the same slot, reused */
	CHECK_EQ(tern_cnode_copy_from(TERN_SLOT_CNODE, probe, 64, server.cspace, r.slot, 64,
				      TERN_RIGHTS_ALL),
		 TERN_EOK); /* kept */
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, probe, 64), TERN_EOK);
	/* The next cap lands in a fresh slot; without one, the handler says so. */
	q.keep = 0;
	CHECK_EQ(tern_client_call_cap(example_ep, EXAMPLE_SIGNAL, n, &q, 1, &r, 2), TERN_SERVER_OK);
	CHECK(r.slot != first);
	CHECK_EQ(tern_client_call(example_ep, EXAMPLE_SIGNAL, &q, 1, &r, 2), EXAMPLE_ENOCAP);
	return 0;
}

/*
 * A capability in a reply: received only where the client asked for it
 * (a stale receive slot in the IPC buffer gets nothing), and a reply
 * whose length the handler chose.
 */
int example_reply_cap(void)
{
	struct example_give_req q = { .extra = 0 };
	struct example_give_resp r;
	struct example_add_req aq = { .delta = 0 };
	struct example_add_resp ar;
	uint64_t slot = guest_slot(), stale = guest_slot(), probe = guest_slot();
	CHECK(slot && stale && probe);

	CHECK_EQ(tern_client_call_recv_cap(example_ep, EXAMPLE_GIVE, &q, 1, &r, 1, slot),
		 TERN_SERVER_OK);
	CHECK_EQ(example_add_call(slot, &aq, &ar),
		 TERN_SERVER_OK); /* it is the server's endpoint */
	/* Into an occupied slot: the reply comes, its cap cannot land. */
	CHECK_EQ(tern_client_call_recv_cap(example_ep, EXAMPLE_GIVE, &q, 1, &r, 1, slot),
		 TERN_SERVER_ENOCAP);
	/* A plain call receives none, whatever the buffer said before. */
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	ipc->recv_cnode = TERN_SLOT_CNODE;
	ipc->recv_index = stale;
	ipc->recv_depth = 64;
	CHECK_EQ(tern_client_call(example_ep, EXAMPLE_GIVE, &q, 1, &r, 1), TERN_SERVER_OK);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, probe, 64, stale, 64, TERN_RIGHTS_ALL),
		 TERN_EFAILED_LOOKUP);
	/* Variable length: as many words as the handler said. */
	uint64_t w[1 + EXAMPLE_GIVE_MAX];
	q.extra = 5;
	struct tern_client_msg m = { .label = EXAMPLE_GIVE,
				     .req = &q,
				     .req_words = 1,
				     .resp = w,
				     .resp_min = 1,
				     .resp_max = 1 + EXAMPLE_GIVE_MAX };
	CHECK_EQ(tern_client_transact(example_ep, &m), TERN_SERVER_OK);
	CHECK_EQ(m.resp_got, 6);
	CHECK_EQ(m.cap_received, 0);
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(w[1 + i], example_mirror_word(i, i));
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, slot, 64), TERN_EOK);
	return 0;
}

int example_unknown_label(void)
{
	uint64_t words[2] = { 1, 2 }, resp[2];
	struct example_add_req q = { .delta = 1 };
	struct example_add_resp r;

	CHECK_EQ(tern_client_call(example_ep, 99, words, 2, resp, 0), TERN_SERVER_ENOLABEL);
	CHECK_EQ(tern_client_call(example_ep, 0, words, 2, resp, 0), TERN_SERVER_ENOLABEL);
	CHECK_EQ(example_add_call(example_ep, &q, &r), TERN_SERVER_OK); /* still serving */
	return 0;
}

int example_short_message(void)
{
	uint64_t words[EXAMPLE_MIRROR_WORDS] = { 0 }, resp[EXAMPLE_MIRROR_WORDS];
	struct example_add_req q = { .delta = 1 };
	struct example_add_resp r;

	/* Each label with one word fewer than its struct, down to none. */
	CHECK_EQ(tern_client_call(example_ep, EXAMPLE_ADD, words, 0, resp, 2),
		 TERN_SERVER_EMSGSIZE);
	CHECK_EQ(tern_client_call(example_ep, EXAMPLE_WAIT, words, 0, resp, 1),
		 TERN_SERVER_EMSGSIZE);
	for (unsigned n = 0; n < EXAMPLE_MIRROR_WORDS; n++)
		CHECK_EQ(tern_client_call(example_ep, EXAMPLE_MIRROR, words, n, resp,
					  EXAMPLE_MIRROR_WORDS),
			 TERN_SERVER_EMSGSIZE);
	/* A reply shorter than the response struct is refused by the client. */
	CHECK_EQ(tern_client_call(example_ep, EXAMPLE_ADD, words, 1, resp, 3),
		 TERN_SERVER_EMSGSIZE);
	CHECK_EQ(example_add_call(example_ep, &q, &r), TERN_SERVER_OK);
	return 0;
}
