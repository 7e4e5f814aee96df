/*
 * Personalities, part two: upcalls that arrive while a thread waits for
 * something it cannot give up, and state a fork must carry.
 *   upcall_reply_answered    an upcall arrives while the root waits for
 *                    the reply to a Call a server thread holds: the call
 *                    is not cancelled; the server's reply (sent with
 *                    ReplyRecv, so the fast path must step aside) is
 *                    delivered, then the upcall runs, with the reply in
 *                    its frame, and the Call returns the reply
 *   upcall_reply_interrupted the same with the root's interrupt_ntfn set:
 *                    the kernel signals the server's interrupt notification
 *                    with the root's badge, the server ends the call with
 *                    the label TERN_EINTERRUPTED, then the upcall runs
 *   interrupt_forward_never_upcalls  interrupt_ntfn names a notification
 *                    bound to another (waiting) thread with an upcall bit:
 *                    nothing is forwarded, that thread's wait goes on
 *   upcall_during_fault_keeps_fault  (the hole: an upcall posted while a
 *                    page fault was with the fault handler dropped the
 *                    fault) a thread faults, an upcall is posted while the
 *                    root holds the fault message, and again while the
 *                    message is still queued; the fault reaches the root,
 *                    its reply is accepted, the upcall runs, then the
 *                    store is retried
 *   fault_reply_recv the fault handler answers a fault with ReplyRecv
 *                    and receives the thread's next fault in the same
 *                    call; the thread's registers survive both faults (a
 *                    lowest-priority watchdog turns a lost answer into a
 *                    wrong message instead of a hang)
 *   fpu_copy_to_child        TCB_COPY_FPU gives a new thread the
 *                    MXCSR and x87 control word of the root, from the live
 *                    registers and from the saved state; without it a
 *                    thread starts with the defaults
 * Every helper thread runs below the root's priority, so it runs exactly
 * when the root blocks; ordering never depends on time.
 */
#include "personality_test.h"
#include "tern/fault.h"

#define HELPER_PRIORITY (TERN_ROOT_PRIORITY - 10)
#define SIGNALLER_PRIORITY (TERN_ROOT_PRIORITY - 50)
#define VEC_PAGE_FAULT 14
#define FAULT_VA 0x610000000000ull /* nothing is mapped here */
#define PAGE 4096ull

#define SRV_ANSWER 1	    /* reply when srv_go is signalled */
#define SRV_INTERRUPTIBLE 2 /* wait until interrupted */
#define SRV_ANSWER_WORD 0xa115a115ull
#define CLIENT_BADGE 0x40ull

static uint64_t srv_ep, srv_reply, srv_go, srv_intr, client_intr, done_ntfn, park_ntfn;
static uint64_t srv_thread, fault_ep, fault_reply, fallback_intr;
static volatile uint64_t srv_replies;	    /* replies the server has sent */
static volatile uint64_t replies_at_upcall; /* srv_replies when the upcall ran */
static volatile uint64_t upcall_root_count;

static void park(void)
{
	uint64_t bits;

	for (;;)
		tern_wait(park_ntfn, &bits);
}

/*
 * The server: holds each call until told (SRV_ANSWER: srv_go) or until
 * interrupted (SRV_INTERRUPTIBLE: a signal on srv_intr, whose badge names
 * the client), then answers with ReplyRecv. A new call makes it forget a
 * stale interrupt of that client (tern/personality.h).
 */
static void server_main(uint64_t arg)
{
	struct tern_msg m;
	uint64_t bits;

	(void)arg;
	tern_recv(srv_ep, srv_reply, &m);
	for (;;) {
		tern_poll(srv_intr, &bits);
		uint64_t op = m.mr[0];
		m = (struct tern_msg){ .info = tern_msginfo(0, 0, 1) };
		if (op == SRV_ANSWER) {
			tern_wait(srv_go, &bits);
			m.mr[0] = SRV_ANSWER_WORD;
		} else {
			tern_wait(srv_intr, &bits);
			m.info = tern_msginfo(TERN_EINTERRUPTED, 0, 1);
			m.mr[0] = bits;
		}
		srv_replies++;
		tern_reply_recv(srv_ep, srv_reply, &m);
	}
}

#define FALLBACK_BADGE 0x80ull

/* Runs once the root and the server are both blocked: the root waits for
 * its reply. arg: also release an SRV_ANSWER call. An SRV_INTERRUPTIBLE
 * call the kernel did not interrupt is ended with another badge, so that
 * failure shows as a wrong answer, not a hang (when the kernel did, the
 * root suspends us before we get here again). */
static void signaller_main(uint64_t release)
{
	tern_signal(upcall_ntfn);
	if (release)
		tern_signal(srv_go);
	else
		tern_signal(fallback_intr);
	park();
}

static void record_reply_upcall(struct tern_frame *f)
{
	(void)f;
	replies_at_upcall = srv_replies;
	upcall_root_count++;
}

static int server_setup(void)
{
	if (srv_thread)
		return 0;
	srv_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	srv_reply = guest_create(TERN_CAP_REPLY, 0);
	srv_go = guest_create(TERN_CAP_NOTIFICATION, 0);
	srv_intr = guest_create(TERN_CAP_NOTIFICATION, 0);
	done_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	park_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	client_intr = guest_slot();
	fallback_intr = guest_slot();
	CHECK(srv_ep && srv_reply && srv_go && srv_intr && done_ntfn && park_ntfn);
	/* The client's cap: signal only, badged with the client's bit. */
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, client_intr, 64, srv_intr, 64, TERN_RIGHT_WRITE,
				 CLIENT_BADGE),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, fallback_intr, 64, srv_intr, 64, TERN_RIGHT_WRITE,
				 FALLBACK_BADGE),
		 TERN_EOK);
	srv_thread = guest_thread(server_main, 0, HELPER_PRIORITY);
	CHECK(srv_thread);
	return 0;
}

/* One held call with an upcall posted while the root waits: returns the
 * reply; the upcall must have run after the reply and before the Call
 * returned. */
static int held_call(uint64_t op, struct tern_msg *m)
{
	uint64_t u = upcall_root_count, replies = srv_replies;

	CHECK_EQ(server_setup(), 0);
	uint64_t sig = guest_thread(signaller_main, op == SRV_ANSWER, SIGNALLER_PRIORITY);
	CHECK(sig);
	upcall_hook = record_reply_upcall;
	*m = (struct tern_msg){ .info = tern_msginfo(0, 0, 1), .mr = { op } };
	enum tern_error err = tern_call(srv_ep, m);
	upcall_hook = NULL;
	CHECK_EQ(tern_tcb_suspend(sig), TERN_EOK);
	CHECK_EQ(err, TERN_EOK); /* not TERN_EINTERRUPTED: the call was delivered */
	CHECK_EQ(srv_replies, replies + 1);
	CHECK_EQ(upcall_root_count, u + 1);	  /* the upcall ran before the Call returned */
	CHECK_EQ(replies_at_upcall, replies + 1); /* and after the reply */
	CHECK_EQ(seen_upcall.kind, TERN_UPCALL_NOTIFICATION);
	CHECK_EQ(seen_upcall.bits, UPCALL_BIT);
	/* The upcall frame holds the reply: RESUME returns it to the caller. */
	CHECK_EQ(seen_upcall.regs.rax, TERN_EOK);
	CHECK_EQ(seen_upcall.regs.rsi, m->info);
	CHECK_EQ(seen_upcall.regs.rdx, m->mr[0]);
	return 0;
}

int test_upcall_reply_answered(void)
{
	struct tern_msg m;

	if (held_call(SRV_ANSWER, &m))
		return -1;
	CHECK_EQ(tern_msginfo_label(m.info), 0);
	CHECK_EQ(m.mr[0], SRV_ANSWER_WORD);
	return 0;
}

int test_upcall_reply_interrupted(void)
{
	struct tern_msg m;

	CHECK_EQ(server_setup(), 0);
	tern_personality_set_interrupt(client_intr);
	int r = held_call(SRV_INTERRUPTIBLE, &m);
	tern_personality_set_interrupt(0);
	if (r)
		return -1;
	CHECK_EQ(tern_msginfo_label(m.info), TERN_EINTERRUPTED);
	CHECK_EQ(m.mr[0], CLIENT_BADGE); /* the server learnt who was interrupted */
	return 0;
}

static uint64_t waiter_ntfn;
static volatile uint64_t waiter_result;

static void waiter_main(uint64_t arg)
{
	uint64_t bits;

	(void)arg;
	waiter_result = tern_wait(waiter_ntfn, &bits);
	tern_signal(done_ntfn);
	park();
}

/* The root's interrupt_ntfn names a notification bound to another thread
 * with an upcall bit: the kernel does not forward (it would upcall that
 * thread, and chains of such forwards would run on the kernel stack). */
int test_interrupt_forward_never_upcalls(void)
{
	struct tern_msg m;
	uint64_t bits;

	CHECK_EQ(server_setup(), 0);
	uint64_t bound = guest_create(TERN_CAP_NOTIFICATION, 0), cap = guest_slot();
	waiter_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(bound && cap && waiter_ntfn);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, cap, 64, bound, 64, TERN_RIGHT_WRITE, UPCALL_BIT),
		 TERN_EOK);
	waiter_result = ~0ull;
	uint64_t t = guest_thread(waiter_main, 0, HELPER_PRIORITY);
	CHECK(t);
	CHECK_EQ(tern_personality_install(t), TERN_EOK);
	CHECK_EQ(tern_tcb_bind_notification(t, bound, UPCALL_BIT), TERN_EOK);
	tern_personality_set_interrupt(cap);
	int r = held_call(SRV_INTERRUPTIBLE, &m); /* the waiter blocks first */
	tern_personality_set_interrupt(0);
	if (r)
		return -1;
	CHECK_EQ(m.mr[0], FALLBACK_BADGE); /* nothing reached the server */
	CHECK_EQ(tern_signal(waiter_ntfn), TERN_EOK);
	CHECK_EQ(tern_wait(done_ntfn, &bits), TERN_EOK);
	CHECK_EQ(waiter_result, TERN_EOK); /* its wait was not interrupted */
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

static int fault_setup(void)
{
	if (fault_ep)
		return 0;
	CHECK_EQ(server_setup(), 0);
	fault_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	fault_reply = guest_create(TERN_CAP_REPLY, 0);
	CHECK(fault_ep && fault_reply);
	return 0;
}

static int map_page(uint64_t va)
{
	uint64_t obj = guest_create(TERN_CAP_MEMOBJ, 1);

	CHECK(obj);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, va, obj, 0, 1,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE),
		 TERN_EOK);
	return 0;
}

#define VICTIM_VALUE 0x7777aaaa5555ull

static void fault_victim(uint64_t va)
{
	*(volatile uint64_t *)va = VICTIM_VALUE; /* faults: nothing mapped yet */
	tern_signal(done_ntfn);
	park();
}

static uint64_t victim_ntfn;

/* Lower than the victim: runs once it has faulted (and we wait). */
static void queued_fault_signaller(uint64_t arg)
{
	(void)arg;
	tern_signal(victim_ntfn); /* the fault message is still queued */
	tern_signal(done_ntfn);
	park();
}

/* Phase `queued`: the upcall arrives while the fault message waits in the
 * fault endpoint's queue; else while we hold it. Either way the fault
 * must reach us, our reply be accepted and the upcall run after it. */
static int upcall_during_fault(int queued)
{
	uint64_t va = FAULT_VA + (queued ? 8 * PAGE : 0), u = upcall_count, bits, sig = 0;
	struct tern_msg m;

	CHECK_EQ(fault_setup(), 0);
	victim_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	uint64_t t = guest_thread_faults(fault_victim, va, HELPER_PRIORITY, fault_ep);
	CHECK(victim_ntfn && t);
	CHECK_EQ(tern_personality_install(t), TERN_EOK);
	CHECK_EQ(tern_tcb_bind_notification(t, victim_ntfn, UPCALL_BIT), TERN_EOK);
	if (queued) {
		sig = guest_thread(queued_fault_signaller, 0, SIGNALLER_PRIORITY);
		CHECK(sig);
		CHECK_EQ(tern_wait(done_ntfn, &bits), TERN_EOK);
		CHECK_EQ(tern_tcb_suspend(sig), TERN_EOK);
	}
	/* Queued: the message must be there already. Else the thread runs
	 * and faults now. */
	CHECK_EQ(queued ? tern_nbrecv(fault_ep, fault_reply, &m)
			: tern_recv(fault_ep, fault_reply, &m),
		 TERN_EOK);
	CHECK_EQ(tern_msginfo_label(m.info), TERN_FAULT_LABEL_BASE + VEC_PAGE_FAULT);
	CHECK_EQ(m.mr[0], va);
	if (!queued)
		CHECK_EQ(tern_signal(victim_ntfn), TERN_EOK); /* while we hold the fault */
	CHECK_EQ(upcall_count, u);
	CHECK_EQ(map_page(va), 0);
	struct tern_msg r = { .info = tern_msginfo(0, 0, 0) };
	CHECK_EQ(tern_reply(fault_reply, &r), TERN_EOK); /* the fault was still ours */
	CHECK_EQ(tern_wait(done_ntfn, &bits), TERN_EOK);
	CHECK_EQ(upcall_count, u + 1);
	CHECK_EQ(seen_upcall.bits, UPCALL_BIT);
	CHECK_EQ(seen_upcall.regs.rip, m.mr[2]); /* before the retried store */
	CHECK_EQ(*(volatile uint64_t *)va, VICTIM_VALUE);
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

int test_upcall_during_fault_keeps_fault(void)
{
	if (upcall_during_fault(0))
		return -1;
	return upcall_during_fault(1);
}

/* fault_regs_victim: load every register but rsp and r11 from fregs_in,
 * store rbx to fault_page1 and then fault_page2 (through r11), store every
 * register to fregs_out. */
struct tern_regs fregs_in, fregs_out;
uint64_t fregs_rsp, fault_page1, fault_page2;
void fault_regs_victim(void);
/* clang-format off */
__asm__(".text\n"
	".globl fault_regs_victim\n"
	"fault_regs_victim:\n"
	"pushq %rbx; pushq %rbp; pushq %r12\n"
	"pushq %r13; pushq %r14; pushq %r15\n"
	"movq %rsp, fregs_rsp(%rip)\n"
	"movq fregs_in+0(%rip), %rax\n"
	"movq fregs_in+8(%rip), %rbx\n"
	"movq fregs_in+16(%rip), %rcx\n"
	"movq fregs_in+24(%rip), %rdx\n"
	"movq fregs_in+32(%rip), %rsi\n"
	"movq fregs_in+40(%rip), %rdi\n"
	"movq fregs_in+48(%rip), %rbp\n"
	"movq fregs_in+64(%rip), %r8\n"
	"movq fregs_in+72(%rip), %r9\n"
	"movq fregs_in+80(%rip), %r10\n"
	"movq fregs_in+96(%rip), %r12\n"
	"movq fregs_in+104(%rip), %r13\n"
	"movq fregs_in+112(%rip), %r14\n"
	"movq fregs_in+120(%rip), %r15\n"
	"movq fault_page1(%rip), %r11\n"
	"movq %rbx, (%r11)\n"
	"movq fault_page2(%rip), %r11\n"
	"movq %rbx, (%r11)\n"
	"movq %rax, fregs_out+0(%rip)\n"
	"movq %rbx, fregs_out+8(%rip)\n"
	"movq %rcx, fregs_out+16(%rip)\n"
	"movq %rdx, fregs_out+24(%rip)\n"
	"movq %rsi, fregs_out+32(%rip)\n"
	"movq %rdi, fregs_out+40(%rip)\n"
	"movq %rbp, fregs_out+48(%rip)\n"
	"movq %rsp, fregs_out+56(%rip)\n"
	"movq %r8, fregs_out+64(%rip)\n"
	"movq %r9, fregs_out+72(%rip)\n"
	"movq %r10, fregs_out+80(%rip)\n"
	"movq %r12, fregs_out+96(%rip)\n"
	"movq %r13, fregs_out+104(%rip)\n"
	"movq %r14, fregs_out+112(%rip)\n"
	"movq %r15, fregs_out+120(%rip)\n"
	"popq %r15; popq %r14; popq %r13\n"
	"popq %r12; popq %rbp; popq %rbx\n"
	"ret\n");
/* clang-format on */

static void fault_regs_main(uint64_t arg)
{
	(void)arg;
	fault_regs_victim();
	tern_signal(done_ntfn);
	park();
}

#define WATCHDOG_LABEL 0x3d09

/* Lowest of all: runs only if the root and the faulting thread are both
 * stuck, and then wakes the root with a message that is no fault. */
static void watchdog_main(uint64_t arg)
{
	struct tern_msg m = { .info = tern_msginfo(WATCHDOG_LABEL, 0, 0) };

	(void)arg;
	tern_send(fault_ep, &m);
	park();
}

static int fault_check(const struct tern_msg *m, uint64_t va)
{
	CHECK_EQ(tern_msginfo_label(m->info), TERN_FAULT_LABEL_BASE + VEC_PAGE_FAULT);
	CHECK_EQ(m->mr[0], va);
	CHECK_EQ(m->mr[3], fregs_rsp);
	return 0;
}

int test_fault_reply_recv(void)
{
	uint64_t *w = (uint64_t *)&fregs_in, bits;
	struct tern_msg m;

	CHECK_EQ(fault_setup(), 0);
	for (int i = 0; i < 16; i++)
		w[i] = 0xfa0100000000ull + (uint64_t)i * 0x1000100010001ull;
	fault_page1 = FAULT_VA + 2 * PAGE;
	fault_page2 = FAULT_VA + 4 * PAGE;
	uint64_t t = guest_thread_faults(fault_regs_main, 0, HELPER_PRIORITY, fault_ep);
	uint64_t dog = guest_thread(watchdog_main, 0, SIGNALLER_PRIORITY);
	CHECK(t && dog);
	CHECK_EQ(tern_recv(fault_ep, fault_reply, &m), TERN_EOK);
	if (fault_check(&m, fault_page1))
		return -1;
	CHECK_EQ(map_page(fault_page1), 0);
	/* Answer the first fault and wait for the next in one call. */
	m = (struct tern_msg){ .info = tern_msginfo(0, 0, 0) };
	CHECK_EQ(tern_reply_recv(fault_ep, fault_reply, &m), TERN_EOK);
	CHECK_EQ(tern_tcb_suspend(dog), TERN_EOK);
	if (fault_check(&m, fault_page2))
		return -1;
	CHECK_EQ(*(volatile uint64_t *)fault_page1, fregs_in.rbx);
	CHECK_EQ(map_page(fault_page2), 0);
	m = (struct tern_msg){ .info = tern_msginfo(0, 0, 0) };
	CHECK_EQ(tern_reply(fault_reply, &m), TERN_EOK);
	CHECK_EQ(tern_wait(done_ntfn, &bits), TERN_EOK);
	CHECK_EQ(*(volatile uint64_t *)fault_page2, fregs_in.rbx);
	/* Neither answer touched the thread's registers. */
	for (int i = 0; i < 16; i++) {
		if (i == 7 || i == 11) /* rsp, r11 */
			continue;
		CHECK_EQ(((uint64_t *)&fregs_out)[i], w[i]);
	}
	CHECK_EQ(fregs_out.rsp, fregs_rsp);
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

#define MXCSR_DEFAULT 0x1f80u
#define FCW_DEFAULT 0x37fu
#define MXCSR_PARENT 0x7f80u /* round toward zero */
#define FCW_PARENT 0x27fu    /* 53-bit precision */

static uint32_t child_mxcsr[3];
static uint16_t child_fcw[3];

static void set_fpu_controls(uint32_t mxcsr, uint16_t fcw)
{
	__asm__ volatile("ldmxcsr %0; fldcw %1" ::"m"(mxcsr), "m"(fcw));
}

static void fpu_child(uint64_t i)
{
	__asm__ volatile("stmxcsr %0; fnstcw %1" : "=m"(child_mxcsr[i]), "=m"(child_fcw[i]));
	tern_signal(done_ntfn);
	park();
}

/* A new thread; with copy, it gets the root's FPU state before it runs. */
static int fpu_run_child(uint64_t i, int copy)
{
	uint64_t bits;
	uint64_t t = guest_thread(fpu_child, i, HELPER_PRIORITY);

	CHECK(t);
	if (copy)
		CHECK_EQ(tern_tcb_copy_fpu(t, TERN_SLOT_TCB), TERN_EOK);
	CHECK_EQ(tern_wait(done_ntfn, &bits), TERN_EOK);
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

int test_fpu_copy_to_child(void)
{
	CHECK_EQ(server_setup(), 0);
	CHECK_EQ(tern_tcb_copy_fpu(TERN_SLOT_TCB, TERN_SLOT_CNODE), TERN_EINVALID_CAPABILITY);
	set_fpu_controls(MXCSR_PARENT, FCW_PARENT); /* the root owns the FPU now */
	int r = fpu_run_child(0, 1);		    /* copied from the live registers */
	if (!r)
		r = fpu_run_child(1, 1); /* from the saved state: child 0 took the FPU */
	if (!r)
		r = fpu_run_child(2, 0);
	set_fpu_controls(MXCSR_DEFAULT, FCW_DEFAULT);
	if (r)
		return -1;
	CHECK_EQ(child_mxcsr[0], MXCSR_PARENT);
	CHECK_EQ(child_fcw[0], FCW_PARENT);
	CHECK_EQ(child_mxcsr[1], MXCSR_PARENT);
	CHECK_EQ(child_fcw[1], FCW_PARENT);
	CHECK_EQ(child_mxcsr[2], MXCSR_DEFAULT);
	CHECK_EQ(child_fcw[2], FCW_DEFAULT);
	return 0;
}
