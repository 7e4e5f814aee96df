/*
 * Personalities, in the guest: the root thread takes a personality whose
 * range is this program's text minus its ".text.app" section, and the
 * application code in that section executes foreign (Linux-numbered)
 * `syscall`s.
 *   reflect_regs     getpid with six distinctive arguments: the handler
 *                    sees number and arguments, the caller gets the
 *                    result in rax, rcx = return address, r11 = rflags,
 *                    every other register, rsp and the flags kept
 *   reflect_rewrite  a handler that rewrites the whole frame (as
 *                    rt_sigreturn would; every register it loads changes)
 *                    and resumes from it
 *   reflect_write    write(1, ...) served by a handler that makes a
 *                    native call (DEBUG_PUTS) from inside the range
 *   reflect_many     1,000 calls, each number and register different
 *   upcall_busy      an upcall interrupts a busy loop in application code
 *                    (a same-priority thread signals whenever the loop's
 *                    timeslice ends; only an upcall that lands in the
 *                    loop ends it); the loop resumes with every register
 *                    and the flags intact
 *   upcall_blocked   an upcall interrupts a blocked native wait, which
 *                    returns TERN_EINTERRUPTED; a re-wait then completes
 *                    normally
 *   reflect_small_stack  the application runs on a 512-byte stack: the
 *                    handler runs on the thread's handler stack and not a
 *                    byte of the application's is written
 *   reflect_nested   a syscall handler raises an upcall; its handler runs
 *                    application code whose syscall is reflected (nested):
 *                    that returns to its caller with its result, and the
 *                    outer syscall still returns its own result to its own
 *                    caller with every register
 *   upcall_saves_ipc_buffer  an upcall whose handler makes native calls and
 *                    a reflected one leaves the interrupted code's message
 *                    words, send caps, receive slot, syscall frame and
 *                    interrupt_ntfn as they were
 * The reply-wait, fault and FPU cases are in personality_wait.c.
 * Ordering comes from priorities and notifications, never from how long
 * anything takes: the timeslice only decides when, not whether.
 */
#include "personality_test.h"

#define LINUX_WRITE 1
#define LINUX_RT_SIGRETURN 15
#define LINUX_GETPID 39
#define GETPID_RESULT 4242
#define LINUX_NESTED 333 /* a number of our own: the handler raises an upcall */
#define LINUX_FULL 334	 /* ours: the handler resumes with RESUME(regs), rcx and r11 set */
#define FULL_RCX 0xc1c1c1c1c1c1c1c1ull
#define FULL_R11 0x0000000000000a87ull /* flags-like, so that it is not taken for rflags */
#define NESTED_RESULT 0x3333ull
#define SMALL_STACK 512
#define HANDLER_STACK (64 * 1024)
#define REWRITE_RAX 0x1515ull
#define SPIN_DONE 0x5a5a5a5aull
/* CF PF ZF SF DF OF, and the always-one bit and IF. */
#define TEST_FLAGS 0xcc7ull
#define ARITH_FLAGS 0xcd5ull

/* Registers in (loaded before the `syscall` or the loop) and out (stored
 * right after), in struct tern_regs layout; rsp_in is the stack pointer
 * before the instruction. Shared with the assembly below. */
struct tern_regs probe_in, probe_out;
uint64_t probe_rsp_in;
volatile uint64_t spin_flag;

void app_probe(void);
void app_spin(void);
extern char app_probe_ret[], app_spin_loop[], app_spin_loop_end[];

/*
 * app_probe: load every register from probe_in (flags included), execute
 * one `syscall`, store every register to probe_out.
 * app_spin: the same around a busy loop that waits for spin_flag without
 * touching the flags (jrcxz), so only rcx changes (to the flag's value).
 * Both sit in .text.app, outside the personality range.
 */
/* clang-format off */
#define LOAD_REGS(rcx)                                  \
	"pushq %rbx; pushq %rbp; pushq %r12\n"          \
	"pushq %r13; pushq %r14; pushq %r15\n"          \
	"movq %rsp, probe_rsp_in(%rip)\n"               \
	"pushq probe_in+136(%rip); popfq\n"             \
	"movq probe_in+0(%rip), %rax\n"                 \
	"movq probe_in+8(%rip), %rbx\n"                 \
	rcx                                             \
	"movq probe_in+24(%rip), %rdx\n"                \
	"movq probe_in+32(%rip), %rsi\n"                \
	"movq probe_in+48(%rip), %rbp\n"                \
	"movq probe_in+64(%rip), %r8\n"                 \
	"movq probe_in+72(%rip), %r9\n"                 \
	"movq probe_in+80(%rip), %r10\n"                \
	"movq probe_in+88(%rip), %r11\n"                \
	"movq probe_in+96(%rip), %r12\n"                \
	"movq probe_in+104(%rip), %r13\n"               \
	"movq probe_in+112(%rip), %r14\n"               \
	"movq probe_in+120(%rip), %r15\n"               \
	"movq probe_in+40(%rip), %rdi\n"

#define STORE_REGS                                      \
	"movq %rsp, probe_out+56(%rip)\n"               \
	"pushfq; popq probe_out+136(%rip)\n"            \
	"movq %rax, probe_out+0(%rip)\n"                \
	"movq %rbx, probe_out+8(%rip)\n"                \
	"movq %rcx, probe_out+16(%rip)\n"               \
	"movq %rdx, probe_out+24(%rip)\n"               \
	"movq %rsi, probe_out+32(%rip)\n"               \
	"movq %rdi, probe_out+40(%rip)\n"               \
	"movq %rbp, probe_out+48(%rip)\n"               \
	"movq %r8, probe_out+64(%rip)\n"                \
	"movq %r9, probe_out+72(%rip)\n"                \
	"movq %r10, probe_out+80(%rip)\n"               \
	"movq %r11, probe_out+88(%rip)\n"               \
	"movq %r12, probe_out+96(%rip)\n"               \
	"movq %r13, probe_out+104(%rip)\n"              \
	"movq %r14, probe_out+112(%rip)\n"              \
	"movq %r15, probe_out+120(%rip)\n"              \
	"movq probe_rsp_in(%rip), %rsp\n"               \
	"cld\n"                                         \
	"popq %r15; popq %r14; popq %r13\n"             \
	"popq %r12; popq %rbp; popq %rbx\n"             \
	"ret\n"

__asm__(".section .text.app, \"ax\"\n"
	".globl app_probe, app_probe_ret\n"
	"app_probe:\n"
	LOAD_REGS("movq probe_in+16(%rip), %rcx\n")
	"syscall\n"
	"app_probe_ret:\n"
	STORE_REGS
	".globl app_spin, app_spin_loop, app_spin_loop_end\n"
	"app_spin:\n"
	LOAD_REGS("")
	"app_spin_loop:\n"
	"movq spin_flag(%rip), %rcx\n"
	"jrcxz app_spin_loop\n"
	"app_spin_loop_end:\n"
	STORE_REGS
	".text\n");
/* clang-format on */

/* app_small_stack(top): run one getpid `syscall` with rsp = top. */
uint64_t small_saved_rsp;
uint64_t app_small_stack(uint64_t top);
/* clang-format off */
__asm__(".section .text.app, \"ax\"\n"
	".globl app_small_stack\n"
	"app_small_stack:\n"
	"movq %rsp, small_saved_rsp(%rip)\n"
	"movq %rdi, %rsp\n"
	"movl $39, %eax\n"
	"syscall\n"
	"movq small_saved_rsp(%rip), %rsp\n"
	"ret\n"
	".text\n");
/* clang-format on */
_Static_assert(LINUX_GETPID == 39, "app_small_stack");

/* getpid, as a libc would have it, in app code. */
TERN_APP_CODE long app_linux_getpid(void)
{
	register long rax __asm__("rax") = LINUX_GETPID;

	__asm__ volatile("syscall" : "+r"(rax) : : "rcx", "r11", "memory");
	return rax;
}

/* A Linux-style syscall wrapper, as a libc would have it, in app code. */
TERN_APP_CODE long app_linux_write(int fd, const void *buf, unsigned long len)
{
	register long rax __asm__("rax") = LINUX_WRITE;
	register long rdi __asm__("rdi") = fd;
	register long rsi __asm__("rsi") = (long)buf;
	register long rdx __asm__("rdx") = (long)len;

	__asm__ volatile("syscall"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(rdx)
			 : "rcx", "r11", "memory");
	return rax;
}

/* The personality: handlers record what they saw. */
/* Not static: the compiler must assume app code (the asm and the calls
 * it cannot see into) changes them. */
struct tern_frame seen_sys, seen_raw, seen_upcall, spin_upcall;
volatile uint64_t sys_count, upcall_count;
void (*volatile upcall_hook)(struct tern_frame *f);
uint64_t upcall_ntfn;
static uint8_t handler_stack[HANDLER_STACK] __attribute__((aligned(16)));
static uint64_t handler_rsp;	  /* the syscall handler's stack pointer */
static volatile int nested_mode;  /* on_upcall: make a nested reflection */
static volatile int clobber_mode; /* on_upcall: overwrite the IPC buffer */
static uint64_t nested_result;	  /* what the nested getpid returned */
static uint64_t nested_outer_rip; /* the outer frame's rip after the upcall */

static uint64_t mix(const struct tern_regs *r)
{
	return (r->rax * 0x9e3779b97f4a7c15ull) ^ r->rdi ^ (r->rsi << 1) ^ (r->rdx << 2) ^
	       (r->r10 << 3) ^ (r->r8 << 4) ^ (r->r9 << 5);
}

/* Registers that resume_frame loads from the frame (struct tern_regs
 * word indices): the rt_sigreturn handler inverts them all. */
static const unsigned rewritten[] = { 1, 3, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15 };

static uint64_t on_syscall(struct tern_frame *f)
{
	seen_sys = *f;
	seen_raw = tern_ipc_buffer()->syscall_frame; /* what the kernel stored */
	handler_rsp = (uint64_t)__builtin_frame_address(0);
	sys_count++;
	switch (f->regs.rax) {
	case LINUX_GETPID:
		return GETPID_RESULT;
	case LINUX_NESTED:
		/* The upcall is delivered as this native call returns. */
		nested_mode = 1;
		tern_signal(upcall_ntfn);
		nested_outer_rip = f->regs.rip;
		return NESTED_RESULT;
	case LINUX_RT_SIGRETURN:
		/* A whole new state, callee-saved registers included. */
		f->regs.rax = REWRITE_RAX;
		for (unsigned i = 0; i < sizeof(rewritten) / sizeof(rewritten[0]); i++)
			((uint64_t *)&f->regs)[rewritten[i]] =
				~((uint64_t *)&f->regs)[rewritten[i]];
		tern_personality_resume_frame(f);
	case LINUX_FULL: {
		/* Every register from memory, rcx and r11 included; a bad
		 * address and a state with a kernel rip are refused. */
		static struct tern_regs full;
		full = f->regs;
		full.rax = REWRITE_RAX;
		full.rcx = FULL_RCX;
		full.r11 = FULL_R11;
		if (tern_resume_regs((const struct tern_regs *)0xffff800000000000ull) !=
		    TERN_EBAD_ADDRESS)
			return 1;
		full.rip = 0xffff800000001000ull;
		if (tern_resume_regs(&full) != TERN_EBAD_ADDRESS)
			return 2;
		full.rip = f->regs.rip;
		tern_resume_regs(&full);
		return 3;
	}
	case LINUX_WRITE:
		if (f->regs.rdi != 1 && f->regs.rdi != 2)
			return (uint64_t)-9; /* -EBADF */
		if (tern_debug_puts((const char *)f->regs.rsi, f->regs.rdx) != TERN_EOK)
			return (uint64_t)-14; /* -EFAULT */
		return f->regs.rdx;
	default:
		return mix(&f->regs);
	}
}

/* Overwrite everything an upcall handler may: real native calls and a
 * reflection, then every field by hand. */
static void clobber_ipc_buffer(void)
{
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	struct tern_regs r;

	tern_tcb_read_registers(TERN_SLOT_TCB, &r);			    /* msg[4..] */
	tern_tcb_bind_notification(TERN_SLOT_TCB, upcall_ntfn, UPCALL_BIT); /* send_caps */
	nested_result = (uint64_t)app_linux_getpid();			    /* syscall_frame */
	for (unsigned i = TERN_MSG_REG_WORDS; i < TERN_MSG_MAX_WORDS; i++)
		b->msg[i] = 0;
	for (unsigned i = 0; i < TERN_MSG_MAX_CAPS; i++)
		b->send_caps[i] = b->recv_badges[i] = 0;
	b->recv_cnode = b->recv_index = b->recv_depth = 0;
	b->interrupt_ntfn = 0;
}

static void on_upcall(struct tern_frame *f)
{
	seen_upcall = *f;
	upcall_count++;
	if (nested_mode) {
		nested_mode = 0;
		nested_result = (uint64_t)app_linux_getpid();
	}
	if (clobber_mode) {
		clobber_mode = 0;
		clobber_ipc_buffer();
	}
	if (upcall_hook)
		upcall_hook(f);
	/* Only an upcall that interrupts the loop ends it. */
	if (f->regs.rip >= (uint64_t)app_spin_loop && f->regs.rip < (uint64_t)app_spin_loop_end) {
		spin_upcall = *f;
		spin_flag = SPIN_DONE;
	}
}

static uint64_t park_ntfn, wait_ntfn;

static int setup(void)
{
	upcall_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	park_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	wait_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(upcall_ntfn && park_ntfn && wait_ntfn);
	CHECK((char *)app_probe >= __app_start && (char *)app_probe < __app_end);
	CHECK((char *)app_linux_write >= __app_start && (char *)app_linux_write < __app_end);
	CHECK((char *)on_syscall >= __app_end && (char *)on_syscall < __text_end);
	tern_personality_set_handler(on_syscall, on_upcall);
	tern_personality_set_stack(tern_ipc_buffer(), handler_stack, sizeof(handler_stack));
	CHECK_EQ(tern_tcb_bind_notification(TERN_SLOT_TCB, upcall_ntfn, UPCALL_BIT), TERN_EOK);
	CHECK_EQ(tern_personality_install(TERN_SLOT_TCB), TERN_EOK);
	return 0;
}

/* Fill probe_in with values derived from seed (rcx and r11 included,
 * which the call must replace). */
static void probe_fill(uint64_t nr, uint64_t seed)
{
	uint64_t *w = (uint64_t *)&probe_in;

	for (int i = 0; i < 16; i++)
		w[i] = seed * 0x0101010101010101ull + (uint64_t)i * 0x1111111111111111ull;
	probe_in.rax = nr;
	probe_in.rsp = 0;
	probe_in.rflags = TEST_FLAGS;
}

/* After app_probe: the handler saw the call, and the caller got the
 * result with every register as Linux leaves it. */
/* A frame of app_probe's `syscall`: every register as loaded, rcx the
 * return address and r11 the flags (what the CPU put there). */
static int frame_check(const struct tern_frame *fr)
{
	const struct tern_regs *s = &fr->regs;

	CHECK_EQ(fr->kind, TERN_UPCALL_SYSCALL);
	CHECK_EQ(s->rax, probe_in.rax);
	CHECK_EQ(s->rbx, probe_in.rbx);
	CHECK_EQ(s->rcx, (uint64_t)app_probe_ret);
	CHECK_EQ(s->rdx, probe_in.rdx);
	CHECK_EQ(s->rsi, probe_in.rsi);
	CHECK_EQ(s->rdi, probe_in.rdi);
	CHECK_EQ(s->rbp, probe_in.rbp);
	CHECK_EQ(s->rsp, probe_rsp_in);
	CHECK_EQ(s->r8, probe_in.r8);
	CHECK_EQ(s->r9, probe_in.r9);
	CHECK_EQ(s->r10, probe_in.r10);
	CHECK_EQ(s->r11 & ARITH_FLAGS, TEST_FLAGS & ARITH_FLAGS);
	CHECK_EQ(s->r12, probe_in.r12);
	CHECK_EQ(s->r13, probe_in.r13);
	CHECK_EQ(s->r14, probe_in.r14);
	CHECK_EQ(s->r15, probe_in.r15);
	CHECK_EQ(s->rip, (uint64_t)app_probe_ret);
	CHECK_EQ(s->rflags & ARITH_FLAGS, TEST_FLAGS & ARITH_FLAGS);
	return 0;
}

/* After app_probe: the caller got the result with every register as
 * Linux leaves it. */
static int probe_check_out(uint64_t expect_rax)
{
	const struct tern_regs *o = &probe_out;
	CHECK_EQ(o->rax, expect_rax);
	CHECK_EQ(o->rcx, (uint64_t)app_probe_ret);
	CHECK_EQ(o->r11 & ARITH_FLAGS, TEST_FLAGS & ARITH_FLAGS);
	CHECK_EQ(o->rflags & ARITH_FLAGS, TEST_FLAGS & ARITH_FLAGS);
	CHECK_EQ(o->rsp, probe_rsp_in);
	CHECK_EQ(o->rbx, probe_in.rbx);
	CHECK_EQ(o->rdx, probe_in.rdx);
	CHECK_EQ(o->rsi, probe_in.rsi);
	CHECK_EQ(o->rdi, probe_in.rdi);
	CHECK_EQ(o->rbp, probe_in.rbp);
	CHECK_EQ(o->r8, probe_in.r8);
	CHECK_EQ(o->r9, probe_in.r9);
	CHECK_EQ(o->r10, probe_in.r10);
	CHECK_EQ(o->r12, probe_in.r12);
	CHECK_EQ(o->r13, probe_in.r13);
	CHECK_EQ(o->r14, probe_in.r14);
	CHECK_EQ(o->r15, probe_in.r15);
	return 0;
}

/* The handler's frame (its copy) and the kernel's (in the IPC buffer)
 * both hold the call; the caller got the result. */
static int probe_check(uint64_t expect_rax)
{
	if (frame_check(&seen_sys) || frame_check(&seen_raw))
		return -1;
	return probe_check_out(expect_rax);
}

static int test_reflect_regs(void)
{
	uint64_t n = sys_count;

	probe_fill(LINUX_GETPID, 0xa5);
	probe_in.rdi = 0x1111111111111111ull;
	probe_in.rsi = 0x2222222222222222ull;
	probe_in.rdx = 0x3333333333333333ull;
	probe_in.r10 = 0x4444444444444444ull;
	probe_in.r8 = 0x5555555555555555ull;
	probe_in.r9 = 0x6666666666666666ull;
	app_probe();
	CHECK_EQ(sys_count, n + 1);
	/* The handler ran on the handler stack, with the frame copied there. */
	CHECK(handler_rsp > (uint64_t)handler_stack &&
	      handler_rsp < (uint64_t)handler_stack + sizeof(handler_stack));
	return probe_check(GETPID_RESULT);
}

/* The handler rewrites the frame and resumes from it in full. */
static int test_reflect_rewrite(void)
{
	probe_fill(LINUX_RT_SIGRETURN, 0x77);
	app_probe();
	const struct tern_regs *o = &probe_out;
	const uint64_t *in = (const uint64_t *)&probe_in, *out = (const uint64_t *)o;
	CHECK_EQ(o->rax, REWRITE_RAX);
	for (unsigned i = 0; i < sizeof(rewritten) / sizeof(rewritten[0]); i++)
		CHECK_EQ(out[rewritten[i]], ~in[rewritten[i]]);
	CHECK_EQ(o->rcx, (uint64_t)app_probe_ret);
	CHECK_EQ(o->r11 & ARITH_FLAGS, TEST_FLAGS & ARITH_FLAGS);
	CHECK_EQ(o->rflags & ARITH_FLAGS, TEST_FLAGS & ARITH_FLAGS);
	CHECK_EQ(o->rsp, probe_rsp_in);
	return 0;
}

/* RESUME with a register block: a full restore, rcx and r11 too (what
 * rt_sigreturn needs), refused for bad memory and bad states. */
static int test_resume_regs(void)
{
	probe_fill(LINUX_FULL, 0x5a);
	app_probe();
	const struct tern_regs *o = &probe_out;
	CHECK_EQ(o->rax, REWRITE_RAX);
	CHECK_EQ(o->rcx, FULL_RCX);
	CHECK_EQ(o->r11, FULL_R11);
	CHECK_EQ(o->rbx, probe_in.rbx);
	CHECK_EQ(o->r15, probe_in.r15);
	CHECK_EQ(o->rsp, probe_rsp_in);
	return 0;
}

static int test_reflect_write(void)
{
	static const char msg[] = "personality: hello through a reflected write\n";
	uint64_t n = sys_count;

	CHECK_EQ(app_linux_write(1, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	CHECK_EQ(sys_count, n + 1);
	CHECK_EQ(seen_sys.regs.rax, LINUX_WRITE);
	CHECK_EQ(seen_sys.regs.rsi, (uint64_t)msg);
	CHECK_EQ(app_linux_write(7, msg, 1), (uint64_t)-9);
	return 0;
}

static int test_reflect_many(void)
{
	uint64_t n = sys_count;

	for (uint64_t i = 0; i < 1000; i++) {
		/* Every number but those with results of their own. */
		uint64_t nr = (i * 37) % 512;
		if (nr == LINUX_GETPID || nr == LINUX_WRITE || nr == LINUX_RT_SIGRETURN ||
		    nr == LINUX_NESTED || nr == LINUX_FULL)
			nr += 100;
		probe_fill(nr, i * 0x9e3779b9ull + 1);
		app_probe();
		if (probe_check(mix(&probe_in)) != 0) {
			tern_printf("GUEST personality: iteration %lu (number %lu) failed\n", i,
				    nr);
			return -1;
		}
	}
	CHECK_EQ(sys_count, n + 1000);
	return 0;
}

/* A peer at our priority: it runs whenever our timeslice ends, signals
 * and gives the CPU back. */
static void spin_signaller(uint64_t arg)
{
	(void)arg;
	for (;;) {
		tern_signal(upcall_ntfn);
		tern_yield();
	}
}

static int test_upcall_busy(void)
{
	uint64_t n = upcall_count;

	spin_flag = 0;
	probe_fill(0, 0x3c);
	uint64_t t = guest_thread(spin_signaller, 0, TERN_ROOT_PRIORITY);
	CHECK(t);
	app_spin();
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);

	CHECK(upcall_count >= n + 1);
	CHECK_EQ(spin_upcall.kind, TERN_UPCALL_NOTIFICATION);
	CHECK_EQ(spin_upcall.bits, UPCALL_BIT);
	CHECK_EQ(spin_upcall.regs.rsp, probe_rsp_in);
	CHECK_EQ(spin_upcall.regs.rcx, 0);
	CHECK_EQ(spin_upcall.regs.r11, probe_in.r11);

	const struct tern_regs *o = &probe_out;
	CHECK_EQ(o->rcx, SPIN_DONE);
	CHECK_EQ(o->rflags & ARITH_FLAGS, TEST_FLAGS & ARITH_FLAGS);
	CHECK_EQ(o->rsp, probe_rsp_in);
	CHECK_EQ(o->rax, probe_in.rax);
	CHECK_EQ(o->rbx, probe_in.rbx);
	CHECK_EQ(o->rdx, probe_in.rdx);
	CHECK_EQ(o->rsi, probe_in.rsi);
	CHECK_EQ(o->rdi, probe_in.rdi);
	CHECK_EQ(o->rbp, probe_in.rbp);
	CHECK_EQ(o->r8, probe_in.r8);
	CHECK_EQ(o->r9, probe_in.r9);
	CHECK_EQ(o->r10, probe_in.r10);
	CHECK_EQ(o->r11, probe_in.r11);
	CHECK_EQ(o->r12, probe_in.r12);
	CHECK_EQ(o->r13, probe_in.r13);
	CHECK_EQ(o->r14, probe_in.r14);
	CHECK_EQ(o->r15, probe_in.r15);
	return 0;
}

static void blocked_signaller(uint64_t arg)
{
	uint64_t bits;

	(void)arg;
	tern_signal(upcall_ntfn); /* runs once the root blocks: interrupts it */
	tern_signal(wait_ntfn);	  /* runs once it blocks again: completes it */
	for (;;)
		tern_wait(park_ntfn, &bits);
}

static int test_upcall_blocked(void)
{
	uint64_t n = upcall_count, bits = 0;

	/* Lower priority: it runs only while we are blocked. */
	uint64_t t = guest_thread(blocked_signaller, 0, TERN_ROOT_PRIORITY - 50);
	CHECK(t);
	CHECK_EQ(tern_wait(wait_ntfn, &bits), TERN_EINTERRUPTED);
	CHECK_EQ(upcall_count, n + 1);
	CHECK_EQ(seen_upcall.kind, TERN_UPCALL_NOTIFICATION);
	CHECK_EQ(seen_upcall.bits, UPCALL_BIT);
	CHECK_EQ(seen_upcall.regs.rax, TERN_EINTERRUPTED);
	/* The interrupted call was native, so inside the range. */
	CHECK(seen_upcall.regs.rip >= (uint64_t)__app_end &&
	      seen_upcall.regs.rip < (uint64_t)__text_end);
	CHECK_EQ(tern_wait(wait_ntfn, &bits), TERN_EOK);
	CHECK_EQ(bits, 1);
	CHECK_EQ(upcall_count, n + 1);
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	return 0;
}

static int test_reflect_small_stack(void)
{
	static uint8_t small[SMALL_STACK] __attribute__((aligned(16)));

	for (unsigned i = 0; i < sizeof(small); i++)
		small[i] = (uint8_t)(0xa5 ^ i);
	CHECK_EQ(app_small_stack((uint64_t)small + sizeof(small)), GETPID_RESULT);
	for (unsigned i = 0; i < sizeof(small); i++)
		CHECK_EQ(small[i], (uint8_t)(0xa5 ^ i));
	CHECK(handler_rsp > (uint64_t)handler_stack &&
	      handler_rsp < (uint64_t)handler_stack + sizeof(handler_stack));
	return 0;
}

static int test_reflect_nested(void)
{
	uint64_t n = sys_count, u = upcall_count;

	nested_result = 0;
	probe_fill(LINUX_NESTED, 0x5e);
	app_probe();
	CHECK_EQ(upcall_count, u + 1);
	CHECK_EQ(sys_count, n + 2);
	CHECK_EQ(nested_result, GETPID_RESULT);
	CHECK_EQ(nested_outer_rip, (uint64_t)app_probe_ret);
	/* The upcall interrupted the syscall handler, on the handler stack. */
	CHECK(seen_upcall.regs.rip >= (uint64_t)__app_end &&
	      seen_upcall.regs.rip < (uint64_t)__text_end);
	CHECK(seen_upcall.regs.rsp > (uint64_t)handler_stack &&
	      seen_upcall.regs.rsp < (uint64_t)handler_stack + sizeof(handler_stack));
	return probe_check_out(NESTED_RESULT);
}

static uint64_t ipc_pattern(unsigned i)
{
	return 0x1bcf00000000ull + i * 0x10001ull;
}

static int test_upcall_saves_ipc_buffer(void)
{
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	uint64_t *raw = (uint64_t *)&b->syscall_frame;
	uint64_t u = upcall_count;

	for (unsigned i = TERN_MSG_REG_WORDS; i < TERN_MSG_MAX_WORDS; i++)
		b->msg[i] = ipc_pattern(i);
	for (unsigned i = 0; i < TERN_MSG_MAX_CAPS; i++) {
		b->send_caps[i] = ipc_pattern(1000 + i);
		b->recv_badges[i] = ipc_pattern(1100 + i);
	}
	b->recv_cnode = ipc_pattern(1200);
	b->recv_index = ipc_pattern(1201);
	b->recv_depth = ipc_pattern(1202);
	for (unsigned i = 0; i < sizeof(b->syscall_frame) / 8; i++)
		raw[i] = ipc_pattern(1300 + i);
	b->interrupt_ntfn = ipc_pattern(1400); /* names no cap: never used */
	clobber_mode = 1;
	CHECK_EQ(tern_signal(upcall_ntfn), TERN_EOK); /* the upcall runs as it returns */
	uint64_t nested = nested_result;
	uint64_t ntfn = b->interrupt_ntfn;
	b->interrupt_ntfn = 0;
	CHECK_EQ(upcall_count, u + 1);
	CHECK_EQ(nested, GETPID_RESULT);
	for (unsigned i = TERN_MSG_REG_WORDS; i < TERN_MSG_MAX_WORDS; i++)
		CHECK_EQ(b->msg[i], ipc_pattern(i));
	for (unsigned i = 0; i < TERN_MSG_MAX_CAPS; i++) {
		CHECK_EQ(b->send_caps[i], ipc_pattern(1000 + i));
		CHECK_EQ(b->recv_badges[i], ipc_pattern(1100 + i));
	}
	CHECK_EQ(b->recv_cnode, ipc_pattern(1200));
	CHECK_EQ(b->recv_index, ipc_pattern(1201));
	CHECK_EQ(b->recv_depth, ipc_pattern(1202));
	for (unsigned i = 0; i < sizeof(b->syscall_frame) / 8; i++)
		CHECK_EQ(raw[i], ipc_pattern(1300 + i));
	CHECK_EQ(ntfn, ipc_pattern(1400));
	return 0;
}

static const struct guest_case cases[] = { { "setup", setup },
					   { "reflect_regs", test_reflect_regs },
					   { "reflect_rewrite", test_reflect_rewrite },
					   { "resume_regs", test_resume_regs },
					   { "reflect_write", test_reflect_write },
					   { "reflect_many", test_reflect_many },
					   { "upcall_busy", test_upcall_busy },
					   { "upcall_blocked", test_upcall_blocked },
					   { "reflect_small_stack", test_reflect_small_stack },
					   { "reflect_nested", test_reflect_nested },
					   { "upcall_saves_ipc_buffer",
					     test_upcall_saves_ipc_buffer },
					   PERSONALITY_WAIT_CASES };

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("personality", cases, sizeof(cases) / sizeof(cases[0]));
}
