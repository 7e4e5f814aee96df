/*
 * IPC round trip between two address spaces: the root task Calls a
 * minimal server (bench/ipc_server.c), which answers with ReplyRecv.
 *   ipc_call_fast  4 message words in registers: both directions take the
 *                  fast path (checked with the kernel's path counters)
 *   ipc_call_slow  6 message words (2 through the IPC buffers): both
 *                  directions take the slow path
 * The client sends words i, i+1, ... and the server answers each with its
 * complement, so every word of every reply is checked (a word the kernel
 * dropped in either direction would come back wrong, not stale-but-equal).
 * Prints BENCH <name> <iters> <total_ns> <per_iter_ns>. Under QEMU with
 * -icount shift=0 the TSC counts guest instructions, 1 per ns.
 */
#include "guest.h"

#define ITERS 100000
#define WARMUP 1000

/* Inline, so that `words` is a constant in each loop. */
static inline __attribute__((always_inline)) uint64_t run(tern_cptr_t ep, unsigned words,
							  uint64_t label)
{
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	uint64_t t0 = 0;

	for (uint64_t i = 0; i < ITERS + WARMUP; i++) {
		if (i == WARMUP)
			t0 = guest_rdtsc();
		struct tern_msg m = { .info = tern_msginfo(label, 0, words),
				      .mr = { i, i + 1, i + 2, i + 3 } };
		if (words > 4)
			b->msg[4] = i + 4, b->msg[5] = i + 5;
		bool ok = tern_call(ep, &m) == TERN_EOK && m.mr[0] == ~i && m.mr[1] == ~(i + 1) &&
			  m.mr[2] == ~(i + 2) && m.mr[3] == ~(i + 3);
		if (words > 4)
			ok = ok && b->msg[4] == ~(i + 4) && b->msg[5] == ~(i + 5);
		if (!ok) {
			tern_printf("GUEST ipc_bench: bad reply at %lu\n", i);
			return 0;
		}
	}
	return guest_rdtsc() - t0;
}

static int bench(void)
{
	struct tern_task server;
	uint64_t ep = guest_create(TERN_CAP_ENDPOINT, 0);
	uint64_t reply = guest_create(TERN_CAP_REPLY, 0);
	uint64_t q[4];

	CHECK(ep && reply);
	CHECK_EQ(guest_spawn("bin/ipc_server", 0, ep, 50, &server), 0);
	CHECK_EQ(guest_give(&server, 11, reply), TERN_EOK);

	tern_debug_query(TERN_DEBUG_QUERY_FASTPATH, 0, q);
	uint64_t fast0 = q[0], slow0 = q[1];
	uint64_t c = run(ep, 4, 1);
	CHECK(c);
	tern_debug_query(TERN_DEBUG_QUERY_FASTPATH, 0, q);
	guest_bench_report("ipc_call_fast", c, ITERS);
	tern_printf("ipc_bench: fast run took %lu fast-path and %lu slow-path IPCs\n", q[0] - fast0,
		    q[1] - slow0);
	CHECK(q[0] - fast0 >= 2 * ITERS);

	fast0 = q[0], slow0 = q[1];
	c = run(ep, 6, 1);
	CHECK(c);
	tern_debug_query(TERN_DEBUG_QUERY_FASTPATH, 0, q);
	guest_bench_report("ipc_call_slow", c, ITERS);
	tern_printf("ipc_bench: slow run took %lu fast-path and %lu slow-path IPCs\n", q[0] - fast0,
		    q[1] - slow0);
	CHECK(q[1] - slow0 >= 2 * ITERS);
	return 0;
}

static const struct guest_case cases[] = { { "ipc", bench } };

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("ipc_bench", cases, 1);
}
