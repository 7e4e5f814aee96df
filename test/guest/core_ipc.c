/*
 * Microkernel core, in the guest: IPC between two address spaces, badges,
 * capability transfer, revocation, errors for bad capabilities and
 * missing rights, deferred replies through Reply objects, messages of
 * every length on the fast and the slow path.
 */
#include "guest.h"
#include "guest_proto.h"
#include "tern/errors.h"

static uint64_t ep;
static struct tern_task server;

static int setup(void)
{
	ep = guest_create(TERN_CAP_ENDPOINT, 0);
	uint64_t ra = guest_create(TERN_CAP_REPLY, 0), rb = guest_create(TERN_CAP_REPLY, 0);
	CHECK(ep && ra && rb);
	CHECK_EQ(guest_spawn("bin/guest_echo", 0, ep, 50, &server), 0);
	CHECK_EQ(guest_give(&server, ECHO_REPLY_A, ra), TERN_EOK);
	CHECK_EQ(guest_give(&server, ECHO_REPLY_B, rb), TERN_EOK);
	return 0;
}

static int echo(tern_cptr_t cap, uint64_t v, uint64_t *badge)
{
	struct tern_msg m = { .info = tern_msginfo(ECHO_ECHO, 0, 1), .mr = { v } };
	int err = tern_call(cap, &m);

	if (err)
		return -err;
	if (badge)
		*badge = m.mr[1];
	return (int)m.mr[0];
}

static int test_ping_pong(void)
{
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(echo(ep, (uint64_t)i, NULL), i + 1);
	return 0;
}

static int test_badge(void)
{
	uint64_t a = guest_slot(), b = guest_slot(), badge = 0;

	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, a, 64, ep, 64, TERN_RIGHTS_ALL, 0x1234),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, b, 64, ep, 64, TERN_RIGHTS_ALL, 0xbeef),
		 TERN_EOK);
	CHECK_EQ(echo(a, 7, &badge), 8);
	CHECK_EQ(badge, 0x1234);
	CHECK_EQ(echo(b, 9, &badge), 10);
	CHECK_EQ(badge, 0xbeef);
	CHECK_EQ(echo(ep, 1, &badge), 2);
	CHECK_EQ(badge, 0);
	/* A badged cap cannot be re-badged. */
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, guest_slot(), 64, a, 64, TERN_RIGHTS_ALL, 5),
		 TERN_EILLEGAL_OPERATION);
	return 0;
}

static int test_cap_transfer(void)
{
	uint64_t n = guest_create(TERN_CAP_NOTIFICATION, 0), bits = 0;
	CHECK(n);
	tern_ipc_buffer()->send_caps[0] = n;
	struct tern_msg m = { .info = tern_msginfo(ECHO_SIGNAL_CAP, 1, 0) };
	CHECK_EQ(tern_call(ep, &m), TERN_EOK);
	CHECK_EQ(m.mr[0], 1);	     /* the server received one cap */
	CHECK_EQ(m.mr[1], TERN_EOK); /* and signalling it worked */
	CHECK_EQ(tern_poll(n, &bits), TERN_EOK);
	CHECK(bits != 0);
	return 0;
}

static int test_revoke(void)
{
	uint64_t e = guest_create(TERN_CAP_ENDPOINT, 0);
	uint64_t c1 = guest_slot(), c2 = guest_slot(), c3 = guest_slot();
	CHECK(e);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, c1, 64, e, 64, TERN_RIGHTS_ALL), TERN_EOK);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, c2, 64, e, 64, TERN_RIGHTS_ALL, 77), TERN_EOK);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, c3, 64, c2, 64, TERN_RIGHTS_ALL), TERN_EOK);
	CHECK_EQ(tern_nbsend(c3, &(struct tern_msg){ 0 }), TERN_EOK);
	CHECK_EQ(tern_cnode_revoke(TERN_SLOT_CNODE, e, 64), TERN_EOK);
	/* Every derived cap is gone; the original stays. */
	CHECK_EQ(tern_nbsend(c1, &(struct tern_msg){ 0 }), TERN_EINVALID_CAPABILITY);
	CHECK_EQ(tern_nbsend(c2, &(struct tern_msg){ 0 }), TERN_EINVALID_CAPABILITY);
	CHECK_EQ(tern_nbsend(c3, &(struct tern_msg){ 0 }), TERN_EINVALID_CAPABILITY);
	CHECK_EQ(tern_nbsend(e, &(struct tern_msg){ 0 }), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, e, 64), TERN_EOK);
	CHECK_EQ(tern_nbsend(e, &(struct tern_msg){ 0 }), TERN_EINVALID_CAPABILITY);
	return 0;
}

static int test_bad_caps(void)
{
	struct tern_msg m = { 0 };
	uint64_t n = guest_create(TERN_CAP_NOTIFICATION, 0), ro = guest_slot(), bits;

	CHECK_EQ(tern_call(4000, &m), TERN_EINVALID_CAPABILITY);		/* empty slot */
	CHECK_EQ(tern_call(1ull << 40, &m), TERN_EFAILED_LOOKUP);		/* guard mismatch */
	CHECK_EQ(tern_cnode_copy(n, 1, 64, 1, 64, 0), TERN_EILLEGAL_OPERATION); /* wrong type */
	CHECK_EQ(tern_tcb_resume(n), TERN_EILLEGAL_OPERATION);			/* not a TCB */
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, ro, 64, ep, 64, TERN_RIGHT_READ, 0), TERN_EOK);
	CHECK_EQ(tern_call(ro, &m), TERN_EINSUFFICIENT_RIGHTS);	 /* no write right */
	CHECK_EQ(tern_wait(ep, &bits), TERN_EILLEGAL_OPERATION); /* not a notification */
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, 99, 0, TERN_SLOT_CNODE, guest_slot(), 64),
		 TERN_EINVALID_ARGUMENT);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_CNODE, 40, TERN_SLOT_CNODE,
				   guest_slot(), 64),
		 TERN_ERANGE_ERROR);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_ENDPOINT, 0, TERN_SLOT_CNODE, ep, 64),
		 TERN_EDELETE_FIRST);
	CHECK_EQ(tern_debug_puts((const char *)0xffff800000000000ull, 8), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_debug_puts((const char *)0x1000, 8), TERN_EBAD_ADDRESS);
	/* A read-only MemObj cap maps read-only, and PROTECT cannot add write. */
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, 1), mo_ro = guest_slot(), q[3];
	CHECK(mo);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, mo_ro, 64, mo, 64, TERN_RIGHT_READ, 0), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, 0x600000000000ull, mo_ro, 0, 1,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, 0x600000000000ull, mo_ro, 0, 1, TERN_RIGHT_READ),
		 TERN_EOK);
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, 0x600000000000ull, 1,
				     TERN_RIGHT_READ | TERN_RIGHT_WRITE),
		 TERN_EINSUFFICIENT_RIGHTS);
	/* Querying the kernel half tells nothing (and must not crash). */
	CHECK_EQ(tern_vspace_query(TERN_SLOT_VSPACE, 0xffff800000000000ull, q), TERN_EOK);
	CHECK_EQ(q[0], 0);
	CHECK_EQ(tern_vspace_query(TERN_SLOT_VSPACE, 1ull << 47, q), TERN_EOK);
	CHECK_EQ(q[0], 0);
	/* Still alive and answering. */
	CHECK_EQ(echo(ep, 41, NULL), 42);
	return 0;
}

static uint64_t defer_done, park;
static volatile uint64_t defer_first_order, defer_first_value;

static void defer_client(uint64_t arg)
{
	(void)arg;
	struct tern_msg m = { .info = tern_msginfo(ECHO_DEFER, 0, 1), .mr = { 111 } };
	tern_call(ep, &m);
	defer_first_order = m.mr[0];
	defer_first_value = m.mr[1];
	tern_signal(defer_done);
	uint64_t bits;
	for (;;)
		tern_wait(park, &bits); /* never signalled */
}

static int test_deferred_reply(void)
{
	defer_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	park = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(defer_done && park);
	/* A higher-priority client runs at once and calls first; the server
	 * keeps it waiting (Reply A) while it serves us (Reply B). */
	uint64_t t = guest_thread(defer_client, 0, 120);
	CHECK(t);
	struct tern_msg m = { .info = tern_msginfo(ECHO_ECHO, 0, 1), .mr = { 222 } };
	CHECK_EQ(tern_call(ep, &m), TERN_EOK);
	/* We are the second caller and are answered first, while the first waits. */
	CHECK_EQ(m.mr[0], 1);
	CHECK_EQ(m.mr[1], 222);
	uint64_t bits;
	CHECK_EQ(tern_wait(defer_done, &bits), TERN_EOK);
	CHECK_EQ(defer_first_order, 2);
	CHECK_EQ(defer_first_value, 111);
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

/* A word no earlier round or other word position produces. */
static uint64_t word(unsigned round, unsigned j)
{
	return ((uint64_t)(round + 1) << 44) ^ (0x9e3779b97f4a7c15ull * (j + 1));
}

static void path_counters(uint64_t *fast, uint64_t *slow)
{
	uint64_t q[4];

	tern_debug_query(TERN_DEBUG_QUERY_FASTPATH, 0, q);
	*fast = q[0];
	*slow = q[1];
}

/* One Call of `len` words (the info word says `sent_len`) and its reply:
 * every word, in registers and in the IPC buffer, must come back as the
 * complement of what was sent. */
static int long_round(unsigned sent_len, unsigned len, unsigned round)
{
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	struct tern_msg m = { .info = tern_msginfo(ECHO_LONG, 0, sent_len) };

	for (unsigned j = 0; j < TERN_MSG_REG_WORDS; j++)
		m.mr[j] = word(round, j);
	for (unsigned j = TERN_MSG_REG_WORDS; j < len; j++)
		b->msg[j] = word(round, j);
	CHECK_EQ(tern_call(ep, &m), TERN_EOK);
	CHECK_EQ(m.info, tern_msginfo(0, 0, len));
	for (unsigned j = 0; j < len; j++) {
		uint64_t got = j < TERN_MSG_REG_WORDS ? m.mr[j] : b->msg[j];
		if (got != ~word(round, j)) {
			tern_printf("GUEST long message: %u words, round %u: word %u is %lx\n", len,
				    round, j, got);
			return -1;
		}
	}
	return 0;
}

#define LONG_ROUNDS 8

/* Messages of every size class up to the maximum, each round trip on the
 * path its length selects (<= 4 words: the fast path both ways; more: the
 * slow path both ways, words 4.. through the IPC buffers), shown by the
 * kernel's path counters. */
static int test_long_messages(void)
{
	static const unsigned lens[] = {
		0, 1, 2, 3, 4, 5, 6, 8, 63, 64, 200, 439, TERN_MSG_MAX_WORDS
	};
	uint64_t fast0, slow0, fast1, slow1;

	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		unsigned len = lens[i];
		path_counters(&fast0, &slow0);
		for (unsigned round = 0; round < LONG_ROUNDS; round++)
			CHECK_EQ(long_round(len, len, round + i * LONG_ROUNDS), 0);
		path_counters(&fast1, &slow1);
		if (len <= TERN_MSG_REG_WORDS) {
			CHECK_EQ(fast1 - fast0, 2 * LONG_ROUNDS);
			CHECK_EQ(slow1 - slow0, 0);
		} else {
			CHECK_EQ(fast1 - fast0, 0);
			CHECK_EQ(slow1 - slow0, 2 * LONG_ROUNDS);
		}
	}
	/* A length field above the maximum delivers the maximum. */
	CHECK_EQ(long_round(1023, TERN_MSG_MAX_WORDS, 1000), 0);
	return 0;
}

/* Bits 12..14 of the info word (unwrapped caps) are the kernel's to set:
 * a sender's are cleared, so such a message takes the slow path, and the
 * reply (fast) arrives intact. */
static int test_info_bits(void)
{
	uint64_t fast0, slow0, fast1, slow1;
	struct tern_msg m = { .info = tern_msginfo(ECHO_INFO, 0, 2) | (7ull << 12),
			      .mr = { 5, 6 } };

	path_counters(&fast0, &slow0);
	CHECK_EQ(tern_call(ep, &m), TERN_EOK);
	path_counters(&fast1, &slow1);
	CHECK_EQ(m.mr[0], tern_msginfo(ECHO_INFO, 0, 2));
	CHECK_EQ(m.info, tern_msginfo(0, 0, 1));
	CHECK_EQ(slow1 - slow0, 1); /* the Call */
	CHECK_EQ(fast1 - fast0, 1); /* the reply */
	return 0;
}

static volatile uint64_t peer_ran;
static uint64_t peer_park;

static void ready_peer(uint64_t arg)
{
	(void)arg;
	uint64_t bits;

	for (;;) {
		peer_ran = 1;
		tern_wait(peer_park, &bits); /* signalled to be ready again */
	}
}

/* A thread ready at the server's priority runs before the server a Call
 * wakes (round robin: the woken server queues behind it), so that Call
 * takes the slow path; the reply (nothing else ready) takes the fast one.
 * The fast path declines that Call at its last check, so a 4-word message
 * checks that no check before it touched an argument register (the slow
 * path stores them only then). */
static int test_fastpath_priority(void)
{
	uint64_t fast0, slow0, fast1, slow1;

	peer_park = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(peer_park);
	uint64_t t = guest_thread(ready_peer, 0, 50); /* the echo server's priority */
	CHECK(t);
	path_counters(&fast0, &slow0);
	CHECK_EQ(echo(ep, 1, NULL), 2);
	path_counters(&fast1, &slow1);
	CHECK_EQ(peer_ran, 1);
	CHECK_EQ(slow1 - slow0, 1);
	CHECK_EQ(fast1 - fast0, 1);
	peer_ran = 0;
	CHECK_EQ(tern_signal(peer_park), TERN_EOK); /* the peer is ready again */
	path_counters(&fast0, &slow0);
	CHECK_EQ(long_round(TERN_MSG_REG_WORDS, TERN_MSG_REG_WORDS, 7), 0);
	CHECK_EQ(peer_ran, 1);
	path_counters(&fast1, &slow1);
	CHECK_EQ(slow1 - slow0, 1);
	CHECK_EQ(fast1 - fast0, 1);
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

/*
 * The frame of a thread that blocked in the fast path (tern/syscall.h,
 * "Registers across a call"). marked_call() first makes a slow syscall
 * (Yield) with junk in every argument register, so the frame holds junk
 * there, then a Call with marks in the callee-saved registers, and
 * records every register the Call returned. While the caller waits for
 * its reply, READ_REGISTERS must show the marks, rcx = rip, r11 = rflags
 * and 0 in the argument registers (not the junk); a reply brings the
 * marks back; a Reply destroyed under the waiting caller returns
 * TERN_EINTERRUPTED with 0 in the message registers.
 */
struct marked_regs {
	uint64_t rax, rdi, rsi, rdx, r8, r9, r10, rbx, rbp, r12, r13, r14, r15;
};
#define MARK(n) (0x5eed000000000000ull | (n))
void marked_call(uint64_t cptr, struct marked_regs *out, uint64_t info);
_Static_assert(TERN_SYS_CALL == 1 && TERN_SYS_YIELD == 8, "marked_call's numbers");
__asm__(".text\n"
	"marked_call:\n"
	"	pushq %rbx\n	pushq %rbp\n	pushq %r12\n	pushq %r13\n"
	"	pushq %r14\n	pushq %r15\n"
	"	pushq %rsi\n	pushq %rdi\n	pushq %rdx\n"
	"	movabsq $0x6a756e6b6a756e6b, %rdi\n	movq %rdi, %rsi\n	movq %rdi, %rdx\n"
	"	movq %rdi, %r8\n	movq %rdi, %r9\n	movq %rdi, %r10\n"
	"	movl $8, %eax\n	syscall\n"
	"	popq %rsi\n	popq %rdi\n"
	"	movabsq $0x5eed000000000001, %rbx\n	movabsq $0x5eed000000000002, %rbp\n"
	"	movabsq $0x5eed000000000003, %r12\n	movabsq $0x5eed000000000004, %r13\n"
	"	movabsq $0x5eed000000000005, %r14\n	movabsq $0x5eed000000000006, %r15\n"
	"	movabsq $0x5eed000000000007, %rdx\n	movabsq $0x5eed000000000008, %r10\n"
	"	movabsq $0x5eed000000000009, %r8\n	movabsq $0x5eed00000000000a, %r9\n"
	"	movl $1, %eax\n	syscall\n"
	"	xchgq %rax, (%rsp)\n"
	"	popq 0(%rax)\n"
	"	movq %rdi, 8(%rax)\n	movq %rsi, 16(%rax)\n	movq %rdx, 24(%rax)\n"
	"	movq %r8, 32(%rax)\n	movq %r9, 40(%rax)\n	movq %r10, 48(%rax)\n"
	"	movq %rbx, 56(%rax)\n	movq %rbp, 64(%rax)\n	movq %r12, 72(%rax)\n"
	"	movq %r13, 80(%rax)\n	movq %r14, 88(%rax)\n	movq %r15, 96(%rax)\n"
	"	popq %r15\n	popq %r14\n	popq %r13\n	popq %r12\n	popq %rbp\n	"
	"popq %rbx\n"
	"	ret\n");

static uint64_t frame_ep, frame_done, frame_park;
static struct marked_regs frame_out[2];

static void marked_caller(uint64_t arg)
{
	(void)arg;
	uint64_t bits;

	for (int i = 0; i < 2; i++) {
		marked_call(frame_ep, &frame_out[i], tern_msginfo(1, 0, 4));
		tern_signal(frame_done);
	}
	for (;;)
		tern_wait(frame_park, &bits); /* never signalled */
}

static int check_marks(const struct marked_regs *o)
{
	CHECK_EQ(o->rbx, MARK(1));
	CHECK_EQ(o->rbp, MARK(2));
	CHECK_EQ(o->r12, MARK(3));
	CHECK_EQ(o->r13, MARK(4));
	CHECK_EQ(o->r14, MARK(5));
	CHECK_EQ(o->r15, MARK(6));
	return 0;
}

static int test_fastpath_frame(void)
{
	uint64_t fast0, slow0, fast1, slow1, bits;
	uint64_t reply = guest_create(TERN_CAP_REPLY, 0);
	struct tern_msg m;
	struct tern_regs r;

	frame_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	frame_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	frame_park = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(reply && frame_ep && frame_done && frame_park);
	uint64_t t = guest_thread(marked_caller, 0, TERN_ROOT_PRIORITY - 40);
	CHECK(t);

	/* Round 1: read the waiting caller's registers, then reply. */
	path_counters(&fast0, &slow0);
	CHECK_EQ(tern_recv(frame_ep, reply, &m), TERN_EOK);
	path_counters(&fast1, &slow1);
	CHECK_EQ(fast1 - fast0, 1); /* the Call came through the fast path */
	CHECK_EQ(m.mr[0], MARK(7));
	CHECK_EQ(m.mr[3], MARK(10));
	CHECK_EQ(tern_tcb_read_registers(t, &r), TERN_EOK);
	CHECK_EQ(r.rbx, MARK(1));
	CHECK_EQ(r.rbp, MARK(2));
	CHECK_EQ(r.r12, MARK(3));
	CHECK_EQ(r.r13, MARK(4));
	CHECK_EQ(r.r14, MARK(5));
	CHECK_EQ(r.r15, MARK(6));
	CHECK_EQ(r.rcx, r.rip);
	CHECK_EQ(r.r11, r.rflags);
	CHECK_EQ(r.rax, 0);
	CHECK_EQ(r.rdi, 0);
	CHECK_EQ(r.rsi, 0);
	CHECK_EQ(r.rdx, 0);
	CHECK_EQ(r.r8, 0);
	CHECK_EQ(r.r9, 0);
	CHECK_EQ(r.r10, 0);
	m = (struct tern_msg){ .info = tern_msginfo(0, 0, 4), .mr = { 11, 12, 13, 14 } };
	CHECK_EQ(tern_reply(reply, &m), TERN_EOK);
	CHECK_EQ(tern_wait(frame_done, &bits), TERN_EOK);
	CHECK_EQ(frame_out[0].rax, TERN_EOK);
	CHECK_EQ(frame_out[0].rdi, 0); /* badge */
	CHECK_EQ(frame_out[0].rsi, tern_msginfo(0, 0, 4));
	CHECK_EQ(frame_out[0].rdx, 11);
	CHECK_EQ(frame_out[0].r10, 12);
	CHECK_EQ(frame_out[0].r8, 13);
	CHECK_EQ(frame_out[0].r9, 14);
	CHECK_EQ(check_marks(&frame_out[0]), 0);

	/* Round 2: the Reply goes away under the waiting caller. */
	path_counters(&fast0, &slow0);
	CHECK_EQ(tern_recv(frame_ep, reply, &m), TERN_EOK);
	path_counters(&fast1, &slow1);
	CHECK_EQ(fast1 - fast0, 1);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, reply, 64), TERN_EOK);
	CHECK_EQ(tern_wait(frame_done, &bits), TERN_EOK);
	CHECK_EQ(frame_out[1].rax, TERN_EINTERRUPTED);
	CHECK_EQ(frame_out[1].rdi, 0);
	CHECK_EQ(frame_out[1].rsi, 0);
	CHECK_EQ(frame_out[1].rdx, 0);
	CHECK_EQ(frame_out[1].r8, 0);
	CHECK_EQ(frame_out[1].r9, 0);
	CHECK_EQ(frame_out[1].r10, 0);
	CHECK_EQ(check_marks(&frame_out[1]), 0);
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

/*
 * Peers that die (issue 12: what a dead process held, its waiting
 * clients get an error). A caller queued on an endpoint that is deleted
 * (its server's task went away) gets TERN_EINVALID_CAPABILITY; a server
 * that answers a Reply whose caller died meanwhile gets
 * TERN_EINVALID_ARGUMENT, nothing else happens to it, and the Reply
 * serves the next caller. (A Reply deleted under its waiting caller,
 * the server's death with the call held: fastpath_frame's round 2.)
 */
static uint64_t dead_ep, dead_done, dead_park;
static int dead_result[2];

static void dead_caller(uint64_t which)
{
	struct tern_msg m = { .info = tern_msginfo(1, 0, 1), .mr = { 5 } };
	uint64_t bits;

	dead_result[which] = tern_call(dead_ep, &m);
	if (!dead_result[which] && m.mr[0] != 6)
		dead_result[which] = -1;
	tern_signal(dead_done);
	for (;;)
		tern_wait(dead_park, &bits); /* never signalled */
}

static int test_dead_peers(void)
{
	uint64_t bits, reply = guest_create(TERN_CAP_REPLY, 0);
	struct tern_msg m;

	dead_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	dead_park = guest_create(TERN_CAP_NOTIFICATION, 0);
	dead_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	CHECK(reply && dead_done && dead_park && dead_ep);
	/* The endpoint goes with a caller queued on it (higher priority:
	 * it is waiting there before we go on). */
	uint64_t t0 = guest_thread(dead_caller, 0, 120);
	CHECK(t0);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, dead_ep, 64), TERN_EOK);
	CHECK_EQ(tern_wait(dead_done, &bits), TERN_EOK);
	CHECK_EQ(dead_result[0], TERN_EINVALID_CAPABILITY);
	CHECK_EQ(tern_tcb_suspend(t0), TERN_EOK);

	/* The caller dies (its TCB deleted) while we hold its Reply. */
	dead_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	CHECK(dead_ep);
	uint64_t t1 = guest_thread(dead_caller, 1, 120);
	CHECK(t1);
	CHECK_EQ(tern_recv(dead_ep, reply, &m), TERN_EOK);
	CHECK_EQ(m.mr[0], 5);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, t1, 64), TERN_EOK);
	m = (struct tern_msg){ .info = tern_msginfo(0, 0, 1), .mr = { 6 } };
	CHECK_EQ(tern_reply(reply, &m), TERN_EINVALID_ARGUMENT);
	/* The same Reply serves the next caller. */
	dead_result[0] = 1;
	uint64_t t2 = guest_thread(dead_caller, 0, 120);
	CHECK(t2);
	CHECK_EQ(tern_recv(dead_ep, reply, &m), TERN_EOK);
	m = (struct tern_msg){ .info = tern_msginfo(0, 0, 1), .mr = { 6 } };
	CHECK_EQ(tern_reply(reply, &m), TERN_EOK);
	CHECK_EQ(tern_wait(dead_done, &bits), TERN_EOK);
	CHECK_EQ(dead_result[0], 0);
	CHECK_EQ(tern_tcb_suspend(t2), TERN_EOK);
	return 0;
}

static const struct guest_case cases[] = {
	{ "setup", setup },
	{ "ping_pong", test_ping_pong },
	{ "badge", test_badge },
	{ "cap_transfer", test_cap_transfer },
	{ "revoke", test_revoke },
	{ "bad_caps", test_bad_caps },
	{ "deferred_reply", test_deferred_reply },
	{ "long_messages", test_long_messages },
	{ "info_bits", test_info_bits },
	{ "fastpath_priority", test_fastpath_priority },
	{ "fastpath_frame", test_fastpath_frame },
	{ "dead_peers", test_dead_peers },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("core_ipc", cases, sizeof(cases) / sizeof(cases[0]));
}
