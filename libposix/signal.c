/*
 * The signal family: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * sigaltstack, kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo,
 * rt_sigsuspend, pause, rt_sigtimedwait, rt_sigreturn; and delivery
 * (docs/personality.md, "Signal delivery"). The handler table and the
 * process's shared pending set live here, each thread's mask, pending
 * set and alternate stack in posix_threads[] (state.h); signal_calc.c
 * holds the rules, sigframe.c the frame.
 *
 * Delivery happens on the way back to the program: at the end of every
 * syscall (entry.S tests posix_self()->work and calls
 * posix_signal_return), at the end of rt_sigreturn, and in the upcall
 * handler when the upcall interrupted application code. An upcall that
 * finds the thread in libposix only sets `work`: the syscall it
 * interrupted ends (a wait released with TERN_EINTERRUPTED, a server call
 * cut short) and its way back delivers.
 *
 * Entry points: posix_sys_<name> for each syscall above, signals.h.
 */
#include "call.h"
#include "errors.h"
#include "intr.h"
#include "log.h"
#include "sigframe.h"
#include "signal_calc.h"
#include "signals.h"
#include "state.h"
#include "thread.h"
#include "uaccess.h"
#include "vdso/vclock.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/proto_mm.h"
#include "posix/proto_proc.h"
#include "posix/start.h"
#include "posix/syscalls.h"
#include "posix/time.h"
#include "sys/invoke.h"
#include "sys/personality.h"
#include "sys/syscalls.h"
#include "tern/errors.h"
#include "tern/ipc_buffer.h"

/* entry.S reads posix_thread.work through the IPC buffer's user_data. */
_Static_assert(offsetof(struct posix_thread, work) == POSIX_THREAD_WORK_OFFSET, "entry.S");
_Static_assert(offsetof(struct tern_ipc_buffer, user_data) == 3592, "entry.S");

#define BIT(sig) POSIX_SIGBIT(sig)
#define NR_RESTART_SYSCALL 219
#define clock_page ((const volatile struct tern_clock_page *)POSIX_VVAR)

static struct posix_sigstate sigstate;
/* The siginfo of each pending signal: the process's, each thread's. */
static struct posix_siginfo shared_info[POSIX_NSIG];
static struct posix_siginfo thread_info[POSIX_THREADS_MAX][POSIX_NSIG];
/* A fault's sigcontext words, with the signal they belong to. */
static struct {
	int sig;
	uint64_t trapno, err, cr2;
} fault_ctx[POSIX_THREADS_MAX];
/* Further instances of pending real-time signals (Linux queues each;
 * the pending bit and the info slot above hold the first): taken in the
 * order they came. thread -1: the process's set. */
#define RT_QUEUE 64
static struct {
	int16_t sig; /* 0: free */
	int16_t thread;
	uint32_t seq;
	struct posix_siginfo info;
} rt_queue[RT_QUEUE];
static uint32_t rt_seq;

static void rt_push(int sig, int thread, const struct posix_siginfo *info)
{
	for (unsigned i = 0; i < RT_QUEUE; i++)
		if (!rt_queue[i].sig) {
			rt_queue[i].sig = (int16_t)sig;
			rt_queue[i].thread = (int16_t)thread;
			rt_queue[i].seq = rt_seq++;
			rt_queue[i].info = *info;
			return;
		}
	/* Full: merged, as Linux does past RLIMIT_SIGPENDING for kill(). */
}

/* sig was just taken from thread's set (-1: the process's): the next
 * queued instance, if any, becomes the pending one. Lock held. */
static void rt_refill(int sig, int thread)
{
	int best = -1;

	if (sig < POSIX_SIGRTMIN)
		return;
	for (int i = 0; i < RT_QUEUE; i++)
		if (rt_queue[i].sig == sig && rt_queue[i].thread == thread &&
		    (best < 0 || rt_queue[i].seq - rt_queue[best].seq > (1u << 31)))
			best = i;
	if (best < 0)
		return;
	if (thread < 0) {
		shared_info[sig - 1] = rt_queue[best].info;
		sigstate.pending |= BIT(sig);
	} else {
		thread_info[thread][sig - 1] = rt_queue[best].info;
		posix_threads[thread].pending |= BIT(sig);
	}
	rt_queue[best].sig = 0;
}

/* After an action that discards sig: its queued instances go too. */
static void rt_drop(int sig)
{
	for (unsigned i = 0; i < RT_QUEUE; i++) {
		int th = rt_queue[i].thread;
		posix_sigset_t set = th < 0 ? sigstate.pending : posix_threads[th].pending;
		if (rt_queue[i].sig == sig && !(set & BIT(sig)))
			rt_queue[i].sig = 0;
	}
}

/* rt_sigsuspend's saved mask (Linux's saved_sigmask, TIF_RESTORE_SIGMASK). */
static posix_sigset_t saved_mask[POSIX_THREADS_MAX];
static uint8_t restore_mask[POSIX_THREADS_MAX];

/* Threads of the process touch the state; an upcall handler takes the
 * lock only when it interrupted application code, never libposix. */
static volatile int state_lock;

static void lock(void)
{
	/* The holder's thread index + 1: a vfork child that ends holding it
	 * (killed, or an exec) is known (posix_signal_vm_child_done). */
	int me = (int)posix_self()->index + 1, free_ = 0;
	uint64_t spins = 0;
	while (!__atomic_compare_exchange_n(&state_lock, &free_, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		if (++spins == (1ull << 26)) /* seconds: say who holds it, once */
			posix_log("posix: pid %lu thread %d waits for the signal state lock, held "
				  "by thread index %d",
				  (unsigned long)posix_state.pid, me - 1, free_ - 1);
		free_ = 0;
		__asm__ volatile("pause");
	}
}

/* An upcall's bits for the timer part that came while this thread held
 * the lock (its hook generates, which takes the lock: it would wait for
 * itself for good): looked at when the lock is let go. */
static volatile uint64_t hook_deferred;
static void run_upcall_hook(uint64_t bits);

static void unlock(void)
{
	__atomic_store_n(&state_lock, 0, __ATOMIC_RELEASE);
	if (__atomic_load_n(&hook_deferred, __ATOMIC_ACQUIRE)) {
		uint64_t bits = __atomic_exchange_n(&hook_deferred, 0, __ATOMIC_ACQ_REL);
		if (bits)
			run_upcall_hook(bits);
	}
}

static void upcall(struct tern_frame *f);
static long send_proc_kill(int64_t pid, long sig, const struct posix_siginfo *info);
static long send_proc_tgkill(int64_t tgid, int64_t tid, long sig, const struct posix_siginfo *info);
static void fetch_proc(struct posix_thread *t);

int posix_signal_init(const struct posix_start *st)
{
	posix_sig_init(&sigstate, posix_threads, POSIX_THREADS_MAX, &posix_threads[0], st->pid == 1,
		       st->sig_ignored, st->sig_blocked, st->sig_pending);
	posix_sigframe_init();
	tern_personality_set_handler(0, upcall);
	/* What the old image had pending waits at proc with its siginfo
	 * (posix_signal_exec_state). Linux delivers it at the first return
	 * to user mode; here at the first syscall's. */
	if (st->sig_pending) {
		sigstate.pending = 0;
		fetch_proc(&posix_threads[0]);
	}
	return 0;
}

/*
 * execve: the SIG_IGN set and the mask go in the exec request; the
 * pending signals, whose siginfo Linux keeps across exec, are queued
 * with it at proc (to the process, or to this thread), which keeps its
 * queues across exec, and the new image fetches them at start-up (the
 * pending word tells it to). If the exec fails they come back the same
 * way (proc's POSIX_NTFN_PROC). One that proc refuses stays here.
 */
static void exec_requeue(struct posix_thread *t)
{
	for (int sig = 1; sig <= POSIX_NSIG; sig++) {
		if ((sigstate.pending & BIT(sig)) &&
		    send_proc_kill((int64_t)posix_state.pid, sig, &shared_info[sig - 1]) == 0)
			sigstate.pending &= ~BIT(sig);
		if ((t->pending & BIT(sig)) &&
		    send_proc_tgkill((int64_t)posix_state.pid, (int64_t)t->tid, sig,
				     &thread_info[t->index][sig - 1]) == 0)
			t->pending &= ~BIT(sig);
	}
	for (unsigned i = 0; i < RT_QUEUE; i++) {
		int sig = rt_queue[i].sig, th = rt_queue[i].thread;
		if (!sig || (th >= 0 && th != (int)t->index))
			continue;
		long r = th < 0 ? send_proc_kill((int64_t)posix_state.pid, sig, &rt_queue[i].info)
				: send_proc_tgkill((int64_t)posix_state.pid, (int64_t)t->tid, sig,
						   &rt_queue[i].info);
		if (r == 0)
			rt_queue[i].sig = 0;
	}
}

void posix_signal_exec_state(uint64_t *ignored, uint64_t *blocked, uint64_t *pending)
{
	struct posix_thread *t = posix_self();

	*ignored = posix_sig_ignored_set(&sigstate);
	*blocked = t->blocked;
	*pending = t->pending | sigstate.pending;
	if (*pending)
		exec_requeue(t);
}

/* A forked child (libposix/fork.c, clone.h): not init, nothing pending
 * (Linux's copy_process: init_sigpending); actions, mask and alternate
 * stack are kept. */
void posix_signal_fork_child(void)
{
	sigstate.pending = 0;
	sigstate.init = false;
	for (unsigned i = 0; i < RT_QUEUE; i++)
		rt_queue[i].sig = 0;
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++) {
		posix_threads[i].pending = 0;
		restore_mask[i] = 0;
		fault_ctx[i].sig = 0;
	}
}

static void recheck(struct posix_thread *t);

/* In the parent, once the vfork (CLONE_VM, no thread) child at thread
 * index `index` has exec'ed or exited (fork.c): a lock of the signal state
 * it held when it ended (killed in a delivery, say) is let go, since
 * nobody else will, and what came for the parent meanwhile is looked at
 * on the way back of vfork. (FIXME: the child runs on the parent's
 * signal state, its pending set too, where Linux's has a signal struct
 * of its own: its exec takes what the parent has pending.) */
void posix_signal_vm_child_done(unsigned index)
{
	int held = (int)index + 1;
	__atomic_compare_exchange_n(&state_lock, &held, 0, false, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
	recheck(posix_self());
}

/* A fault's signal whose action is the default: proc logs the fault. */
static __attribute__((noreturn)) void killed_by_fault(struct posix_thread *t, int sig)
{
	struct proc_fault_kill_req req = { .thread = t->index, .sig = (uint64_t)sig };
	struct proc_fault_kill_resp resp;

	proc_fault_kill_call(POSIX_SLOT_PROC_EP, &req, &resp);
	for (;;)
		tern_tcb_suspend(POSIX_SLOT_TCB);
}

uint64_t posix_signal_ignored_or_blocked(void)
{
	return posix_sig_ignored_set(&sigstate) | posix_self()->blocked;
}

static __attribute__((noreturn)) void killed_by(int sig)
{
	struct proc_exit_signal_req req = { .sig = (uint64_t)sig };
	struct proc_exit_signal_resp resp;

	proc_exit_signal_call(POSIX_SLOT_PROC_EP, &req, &resp);
	/* proc destroys the thread; reaching here means proc is gone. */
	for (;;)
		tern_tcb_suspend(POSIX_SLOT_TCB);
}

static struct posix_thread *leader(void)
{
	return posix_threads[0].live == POSIX_THREAD_RUNNING ? &posix_threads[0] : posix_self();
}

/* Tell thread w it has a signal to look at. */
static void notify(struct posix_thread *w)
{
	__atomic_or_fetch(&w->work, POSIX_WORK_SIGNAL, __ATOMIC_RELEASE);
	if (w != posix_self())
		tern_signal(POSIX_SLOT_THREAD_SIG(w->index));
}

/* Generation with the lock held; the thread to notify, or NULL. */
static struct posix_thread *generate_locked(int sig, const struct posix_siginfo *info,
					    struct posix_thread *target)
{
	int r = posix_sig_generate(&sigstate, target, leader(), sig);

	/* Discarded, or merged with a pending instance (legacy_queue: no
	 * complete_signal, whoever was told of it already is); a real-time
	 * one is queued behind it. */
	if (r == 2 && sig >= POSIX_SIGRTMIN)
		rt_push(sig, target ? (int)target->index : -1, info);
	if (r != 1)
		return NULL;
	(target ? thread_info[target->index] : shared_info)[sig - 1] = *info;
	return posix_sig_wants(&sigstate, target, posix_self(), sig);
}

void posix_signal_generate(int sig, const struct posix_siginfo *info,
			   struct posix_thread *target_or_null)
{
	lock();
	struct posix_thread *w = generate_locked(sig, info, target_or_null);
	unlock();
	if (w)
		notify(w);
}

static struct posix_siginfo kill_info(int sig, int code)
{
	struct posix_siginfo info = { .si_signo = sig, .si_code = code };

	info.u.kill.pid = (int32_t)posix_state.pid;
	info.u.kill.uid = 0;
	return info;
}

long posix_signal_write_result(long r)
{
	if (r == -EPIPE) {
		/* pipe_write's send_sig(SIGPIPE, current, 0): SI_USER from us. */
		struct posix_siginfo info = kill_info(POSIX_SIGPIPE, POSIX_SI_USER);
		posix_signal_generate(POSIX_SIGPIPE, &info, posix_self());
	}
	return r;
}

/* The fault proc made a signal of (POSIX_NTFN_PROC): force it, as
 * force_sig_fault, with its sigcontext words. */
static void fetch_fault(struct posix_thread *t, struct tern_regs *r)
{
	struct proc_fault_fetch_req req = { .thread = t->index };
	struct proc_fault_fetch_resp resp;

	if (proc_fault_fetch_call(POSIX_SLOT_PROC_EP, &req, &resp) || resp.info.si_signo < 1 ||
	    resp.info.si_signo > POSIX_NSIG)
		return;
	int sig = resp.info.si_signo;
	/* An int3 refused by the kernel's gate: resume after it, as #BP. */
	if ((resp.flags & PROC_FAULT_INT3) && r) {
		/* The error code alone can also be an `int $6` (QEMU's TCG
		 * numbers the gate differently): the instruction decides. */
		uint8_t insn[2] = { 0, 0 };
		copy_from_user(insn, r->rip, 2);
		if (insn[0] == 0xcc || (insn[0] == 0xcd && insn[1] == 3)) {
			r->rip += insn[0] == 0xcc ? 1 : 2;
		} else {
			resp.info = (struct posix_siginfo){ .si_signo = POSIX_SIGSEGV,
							    .si_code = POSIX_SI_KERNEL };
			resp.trapno = 13;
			sig = POSIX_SIGSEGV;
		}
	}
	/* proc sees the page tables, not the mappings: a page fault on a
	 * page that is mapped (PROT_NONE, a write to a read-only one) is
	 * Linux's bad_area_access_error, SEGV_ACCERR. */
	if (sig == POSIX_SIGSEGV && resp.trapno == 14 && resp.info.si_code == POSIX_SEGV_MAPERR) {
		struct mm_mincore_req mreq = { .addr = resp.info.u.fault.addr & ~4095ull,
					       .len = 4096 };
		struct mm_mincore_resp mresp;
		if (mm_mincore_call(POSIX_SLOT_MM_EP, &mreq, &mresp) == 0)
			resp.info.si_code = POSIX_SEGV_ACCERR;
	}
	lock();
	posix_sig_force(&sigstate, t, sig);
	thread_info[t->index][sig - 1] = resp.info;
	t->pending |= BIT(sig);
	fault_ctx[t->index].sig = sig;
	fault_ctx[t->index].trapno = resp.trapno;
	fault_ctx[t->index].err = resp.error;
	fault_ctx[t->index].cr2 = resp.cr2;
	unlock();
}

/* The continue count of the last PROC_SIGFETCH, for PROC_STOP. */
static uint64_t stop_seq[POSIX_THREADS_MAX];

/* proc's signals for t (other processes', the console's, SIGCHLD):
 * PROC_SIGFETCH until none is left, each generated here as sent (a
 * thread-directed one for t). A stop proc asks for: PROC_STOP. */
static void fetch_proc(struct posix_thread *t)
{
	for (;;) {
		struct proc_sigfetch_req req = { .thread = t->index, .mask = 0 };
		struct proc_sigfetch_resp resp;
		if (proc_sigfetch_call(POSIX_SLOT_PROC_EP, &req, &resp))
			return;
		stop_seq[t->index] = resp.seq;
		if (resp.flags & PROC_SIGFETCH_STOP) {
			struct proc_stop_req sreq = { .thread = t->index,
						      .sig = 0,
						      .seq = resp.seq };
			struct proc_stop_resp sresp;
			proc_stop_call(POSIX_SLOT_PROC_EP, &sreq, &sresp);
		}
		int sig = resp.info.si_signo;
		if (sig < 1 || sig > POSIX_NSIG)
			return;
		posix_signal_generate(sig, &resp.info,
				      (resp.flags & PROC_SIGFETCH_THREAD) ? t : NULL);
	}
}

/* A stop signal with its default action: the process stops (proc's
 * group stop); the call returns once it is continued. */
static void stop_for(struct posix_thread *t, int sig)
{
	struct proc_stop_req req = { .thread = t->index,
				     .sig = (uint64_t)sig,
				     .seq = stop_seq[t->index] };
	struct proc_stop_resp resp;

	proc_stop_call(POSIX_SLOT_PROC_EP, &req, &resp);
}

/* force_sigsegv after a frame that could not be set up. */
static void force_sigsegv(struct posix_thread *t, int sig)
{
	struct posix_siginfo info = { .si_signo = POSIX_SIGSEGV, .si_code = POSIX_SI_KERNEL };

	lock();
	if (sig == POSIX_SIGSEGV)
		sigstate.action[POSIX_SIGSEGV - 1].handler = POSIX_SIG_DFL;
	posix_sig_force(&sigstate, t, POSIX_SIGSEGV);
	thread_info[t->index][POSIX_SIGSEGV - 1] = info;
	t->pending |= BIT(POSIX_SIGSEGV);
	unlock();
}

/*
 * The way back (Linux's exit_to_user_mode_loop with
 * arch_do_signal_or_restart): deliver to thread t, whose state to return
 * to is *r, every signal that is due, each handler's frame nesting on the
 * last. sys: *r is a syscall's return (r->rax its result, r->rip after
 * the `syscall`, orig its number), whose restart code becomes -EINTR or
 * a restart.
 */
static void deliver(struct posix_thread *t, struct tern_regs *r, bool sys, uint64_t orig)
{
	for (;;) {
		uint32_t work = __atomic_exchange_n(&t->work, 0, __ATOMIC_ACQUIRE);
		if (work & POSIX_WORK_FETCH) {
			fetch_fault(t, r);
			fetch_proc(t);
		}

		struct posix_sigdelivery d = { 0 };
		struct posix_siginfo info;
		bool shared;
		lock();
		enum posix_sig_act act = posix_sig_next(&sigstate, t, &d.sig, &shared);
		if (act != POSIX_ACT_NONE) {
			info = shared ? shared_info[d.sig - 1] : thread_info[t->index][d.sig - 1];
			rt_refill(d.sig, shared ? -1 : (int)t->index);
		}
		if (act == POSIX_ACT_HANDLER) {
			d.ka = sigstate.action[d.sig - 1];
			d.info = &info;
			if (!shared && fault_ctx[t->index].sig == d.sig) {
				d.trapno = fault_ctx[t->index].trapno;
				d.err = fault_ctx[t->index].err;
				d.cr2 = fault_ctx[t->index].cr2;
				fault_ctx[t->index].sig = 0;
			}
			/* SA_RESETHAND takes effect at once (get_signal). */
			if (d.ka.flags & POSIX_SA_RESETHAND)
				sigstate.action[d.sig - 1].handler = POSIX_SIG_DFL;
		}
		bool from_fault =
			act == POSIX_ACT_KILL && !shared && fault_ctx[t->index].sig == d.sig;
		unlock();
		if (from_fault)
			killed_by_fault(t, d.sig);
		if (act == POSIX_ACT_KILL)
			killed_by(d.sig);
		if (act == POSIX_ACT_STOP) {
			stop_for(t, d.sig);
			continue;
		}

		if (sys) {
			sys = false;
			switch (posix_sig_restart((long)r->rax, act == POSIX_ACT_HANDLER,
						  d.ka.flags)) {
			case POSIX_RESTART_EINTR:
				r->rax = (uint64_t)-EINTR;
				break;
			case POSIX_RESTART_AGAIN:
				r->rax = orig;
				r->rip -= 2;
				break;
			case POSIX_RESTART_BLOCK:
				r->rax = NR_RESTART_SYSCALL;
				r->rip -= 2;
				break;
			case POSIX_RESTART_NONE:
				break;
			}
		}
		if (act == POSIX_ACT_NONE) {
			if (restore_mask[t->index]) {
				/* restore_saved_sigmask: sigsuspend's old mask. */
				restore_mask[t->index] = 0;
				t->blocked = saved_mask[t->index];
				if ((t->pending | sigstate.pending) & ~t->blocked)
					continue;
			}
			if (!__atomic_load_n(&t->work, __ATOMIC_ACQUIRE))
				return;
			continue;
		}
		/* handle_signal. */
		d.oldmask = restore_mask[t->index] ? saved_mask[t->index] : t->blocked;
		if (posix_sigframe_setup(t, r, &d)) {
			force_sigsegv(t, d.sig);
			continue;
		}
		restore_mask[t->index] = 0;
		lock();
		d.ka.flags &= ~POSIX_SA_RESETHAND;
		struct posix_sigaction keep = sigstate.action[d.sig - 1];
		sigstate.action[d.sig - 1].mask = d.ka.mask;
		sigstate.action[d.sig - 1].flags = d.ka.flags;
		posix_sig_delivered(&sigstate, t, d.sig);
		sigstate.action[d.sig - 1].mask = keep.mask;
		sigstate.action[d.sig - 1].flags = keep.flags;
		unlock();
	}
}

/*
 * entry.S, when posix_self()->work is set after a syscall handler: ret is
 * the handler's result, f the syscall frame. Rewrites f (a handler's
 * entry, a restart) and returns the rax to resume with.
 */
uint64_t posix_signal_return(uint64_t ret, struct tern_frame *f)
{
	struct tern_regs r = f->regs;
	uint64_t orig = f->regs.rax;

	r.rax = ret;
	r.rcx = r.rip; /* what `syscall` leaves */
	r.r11 = r.rflags;
	deliver(posix_self(), &r, true, orig);
	f->regs = r;
	return r.rax;
}

/* entry.S's way back after the work test, and its resume tail (labels):
 * an upcall there goes back to the test, or delivers from the state the
 * tail was about to resume. */
extern char posix_entry_back[], posix_entry_tail_popf[], posix_entry_tail_rest[],
	posix_entry_tail_jmp[], posix_entry_tail_end[];
extern char __text_start[], __text_end[];

/* Weak: the timer part looks at its own bits first (it generates). */
void posix_signal_upcall_hook(uint64_t bits) __attribute__((weak));
static void (*volatile const upcall_hook)(uint64_t) = posix_signal_upcall_hook;

static void run_upcall_hook(uint64_t bits)
{
	if (upcall_hook)
		upcall_hook(bits);
}

static void upcall(struct tern_frame *f)
{
	struct posix_thread *t = posix_self();
	struct tern_regs *r = &f->regs;
	uintptr_t rip = (uintptr_t)r->rip;

	if (f->bits & POSIX_NTFN_PROC)
		__atomic_or_fetch(&t->work, POSIX_WORK_FETCH, __ATOMIC_RELEASE);
	if (f->bits & POSIX_NTFN_SIGNAL)
		__atomic_or_fetch(&t->work, POSIX_WORK_SIGNAL, __ATOMIC_RELEASE);
	if (__atomic_load_n(&state_lock, __ATOMIC_ACQUIRE) == (int)t->index + 1)
		__atomic_or_fetch(&hook_deferred, f->bits, __ATOMIC_RELEASE);
	else
		run_upcall_hook(f->bits);
	if (rip >= (uintptr_t)posix_entry_back && rip < (uintptr_t)posix_entry_tail_popf) {
		r->rip = (uint64_t)(uintptr_t)posix_entry_back; /* test work again */
		return;
	}
	if (rip >= (uintptr_t)posix_entry_tail_popf && rip < (uintptr_t)posix_entry_tail_end) {
		/* The tail was resuming a syscall frame: deliver on what it
		 * would have left (rcx = rip, r11 = flags). */
		const struct tern_regs *fr;
		if (rip < (uintptr_t)posix_entry_tail_rest)
			fr = (const struct tern_regs *)(uintptr_t)(r->rsp - 136);
		else
			fr = (const struct tern_regs *)(uintptr_t)(r->rsp - 144);
		if (rip < (uintptr_t)posix_entry_tail_jmp) {
			r->rip = fr->rip;
			r->rflags = fr->rflags;
			r->rsp = fr->rsp;
		} else {
			r->rip = r->rcx;
		}
		r->rcx = r->rip;
		r->r11 = r->rflags;
	} else if (rip >= (uintptr_t)posix_resume_full && rip < (uintptr_t)posix_resume_full_end) {
		*r = t->t.ipc->syscall_frame.regs; /* rt_sigreturn's state */
	} else if (rip >= (uintptr_t)__text_start && rip < (uintptr_t)__text_end) {
		/* In libposix: its way back delivers; a server call it is in
		 * (or about to make) is told (intr.c). */
		posix_intr_upcall();
		return;
	}
	if (__atomic_load_n(&t->work, __ATOMIC_ACQUIRE))
		deliver(t, r, false, 0);
}

long posix_sys_rt_sigreturn(struct posix_call *c)
{
	struct posix_thread *t = posix_self();
	struct tern_regs *r = &c->frame->regs;
	posix_sigset_t mask;

	t->restart_nr = 0; /* restart_block.fn = do_no_restart_syscall */
	if (posix_sigframe_restore(t, r, &mask)) {
		struct posix_siginfo info = { .si_signo = POSIX_SIGSEGV,
					      .si_code = POSIX_SI_KERNEL };
		lock();
		posix_sig_force(&sigstate, t, POSIX_SIGSEGV);
		thread_info[t->index][POSIX_SIGSEGV - 1] = info;
		t->pending |= BIT(POSIX_SIGSEGV);
		unlock();
		t->work |= POSIX_WORK_SIGNAL;
		return 0; /* the way back delivers SIGSEGV */
	}
	t->blocked = mask & ~POSIX_SIG_UNBLOCKABLE;
	if ((t->pending | sigstate.pending) & ~t->blocked)
		t->work |= POSIX_WORK_SIGNAL;
	if (t->work)
		deliver(t, r, false, 0);
	posix_resume_full();
}

/* Something is due for t now (a look at the sets, not a decision). */
static bool due(const struct posix_thread *t)
{
	return ((t->pending | sigstate.pending) & ~t->blocked) != 0;
}

/* After a change of mask or action: what is due now is delivered on the
 * way back of this call. */
static void recheck(struct posix_thread *t)
{
	if (due(t))
		t->work |= POSIX_WORK_SIGNAL;
}

/* SIGCHLD's action, which proc's wait and exit need (PROC_SIGPOLICY):
 * SIG_IGN or SA_NOCLDWAIT reap children at once, SA_NOCLDSTOP sends no
 * SIGCHLD for stops and continues. */
static void chld_policy(void)
{
	const struct posix_sigaction *k = &sigstate.action[POSIX_SIGCHLD - 1];
	struct proc_sigpolicy_req req = { .chld = 0 };
	struct proc_sigpolicy_resp resp;

	if (k->handler == POSIX_SIG_IGN)
		req.chld |= PROC_CHLD_IGNORED;
	if (k->flags & POSIX_SA_NOCLDWAIT)
		req.chld |= PROC_CHLD_NOCLDWAIT;
	if (k->flags & POSIX_SA_NOCLDSTOP)
		req.chld |= PROC_CHLD_NOCLDSTOP;
	proc_sigpolicy_call(POSIX_SLOT_PROC_EP, &req, &resp);
}

long posix_sys_rt_sigaction(struct posix_call *c)
{
	struct posix_sigaction act, old;
	long err;

	if (c->a[3] != POSIX_SIGSET_SIZE)
		return -EINVAL;
	if (c->a[1] && copy_from_user(&act, c->a[1], sizeof(act)))
		return -EFAULT;
	lock();
	err = posix_sig_action(&sigstate, (long)(int)c->a[0], c->a[1] ? &act : NULL,
			       c->a[2] ? &old : NULL);
	if (!err && c->a[1] && (int)c->a[0] >= POSIX_SIGRTMIN)
		rt_drop((int)c->a[0]);
	unlock();
	if (err)
		return err;
	if (c->a[1] && (int)c->a[0] == POSIX_SIGCHLD)
		chld_policy();
	if (c->a[2] && copy_to_user(c->a[2], &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

long posix_sys_rt_sigprocmask(struct posix_call *c)
{
	struct posix_thread *t = posix_self();
	posix_sigset_t set, old;
	long err;

	if (c->a[3] != POSIX_SIGSET_SIZE)
		return -EINVAL;
	if (c->a[1] && copy_from_user(&set, c->a[1], sizeof(set)))
		return -EFAULT;
	err = posix_sig_procmask(t, (long)(int)c->a[0], c->a[1] ? &set : NULL, &old);
	if (err)
		return err;
	if (c->a[2] && copy_to_user(c->a[2], &old, sizeof(old)))
		err = -EFAULT;
	if (c->a[1])
		recheck(t);
	return err;
}

/* Linux copies sigsetsize bytes (fewer than 8 allowed, more EINVAL). */
long posix_sys_rt_sigpending(struct posix_call *c)
{
	posix_sigset_t set = posix_sig_pending(&sigstate, posix_self());

	if (c->a[1] > POSIX_SIGSET_SIZE)
		return -EINVAL;
	return copy_to_user(c->a[0], &set, c->a[1]) ? -EFAULT : 0;
}

long posix_sys_sigaltstack(struct posix_call *c)
{
	struct posix_stack ss, old;
	long err;

	if (c->a[0] && copy_from_user(&ss, c->a[0], sizeof(ss)))
		return -EFAULT;
	err = posix_sig_altstack(posix_self(), c->a[0] ? &ss : NULL, c->a[1] ? &old : NULL,
				 c->frame->regs.rsp);
	if (!err && c->a[1] && copy_to_user(c->a[1], &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

/* A signal to this process (check_kill_permission passed: one root
 * user), or to its thread `target`. Signal 0 only asks whether the
 * target exists. */
static long send_local(long sig, const struct posix_siginfo *info, struct posix_thread *target)
{
	if (sig < 0 || sig > POSIX_NSIG)
		return -EINVAL;
	if (sig == 0)
		return 0;
	posix_signal_generate((int)sig, info, target);
	return 0;
}

static long send_self(long sig, int code, struct posix_thread *target)
{
	if (sig <= 0 || sig > POSIX_NSIG)
		return sig == 0 ? 0 : -EINVAL; /* 0: the target exists */
	struct posix_siginfo info = kill_info((int)sig, code);

	return send_local(sig, &info, target);
}

/* kill() of anything but our own pid (another process, a group, -1, our
 * own group, which may hold others since fork): proc's PROC_KILL, which
 * queues for us too when we are among the targets. info: rt_sigqueueinfo's
 * siginfo, or NULL (SI_USER). */
static long send_proc_kill(int64_t pid, long sig, const struct posix_siginfo *info)
{
	uint64_t msg[sizeof(struct proc_kill_req) / 8 + sizeof(struct posix_siginfo) / 8];
	struct proc_kill_req *req = (struct proc_kill_req *)msg;
	struct proc_kill_resp resp;

	*req = (struct proc_kill_req){ .pid = pid, .sig = sig, .flags = info ? PROC_KILL_INFO : 0 };
	if (info)
		__builtin_memcpy(req + 1, info, sizeof(*info));
	long st = tern_client_call(POSIX_SLOT_PROC_EP, PROC_KILL, msg,
				   (unsigned)((sizeof(*req) + (info ? sizeof(*info) : 0)) / 8),
				   &resp, sizeof(resp) / 8);
	return st ? posix_status_to_errno(st) : 0;
}

/* tkill/tgkill (tgid -1: tkill) of a thread that is not ours. */
static long send_proc_tgkill(int64_t tgid, int64_t tid, long sig, const struct posix_siginfo *info)
{
	uint64_t msg[sizeof(struct proc_tgkill_req) / 8 + sizeof(struct posix_siginfo) / 8];
	struct proc_tgkill_req *req = (struct proc_tgkill_req *)msg;
	struct proc_tgkill_resp resp;

	*req = (struct proc_tgkill_req){
		.tgid = tgid, .tid = tid, .sig = sig, .flags = info ? PROC_KILL_INFO : 0
	};
	if (info)
		__builtin_memcpy(req + 1, info, sizeof(*info));
	long st = tern_client_call(POSIX_SLOT_PROC_EP, PROC_TGKILL, msg,
				   (unsigned)((sizeof(*req) + (info ? sizeof(*info) : 0)) / 8),
				   &resp, sizeof(resp) / 8);
	return st ? posix_status_to_errno(st) : 0;
}

/* Our thread with Linux tid `tid`, or NULL. */
static struct posix_thread *thread_of(uint64_t tid)
{
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
		if (posix_threads[i].live == POSIX_THREAD_RUNNING && posix_threads[i].tid == tid)
			return &posix_threads[i];
	return NULL;
}

long posix_sys_kill(struct posix_call *c)
{
	int pid = (int)c->a[0];
	long sig = (long)(int)c->a[1];

	if (pid == (int)0x80000000)
		return -ESRCH;
	if ((uint64_t)pid == posix_state.pid)
		return send_self(sig, POSIX_SI_USER, NULL);
	return send_proc_kill(pid, sig, NULL); /* others, groups, -1: proc */
}

long posix_sys_tkill(struct posix_call *c)
{
	int tid = (int)c->a[0];
	long sig = (long)(int)c->a[1];

	if (tid <= 0)
		return -EINVAL;
	struct posix_thread *t = thread_of((uint64_t)tid);
	if (t)
		return send_self(sig, POSIX_SI_TKILL, t);
	return send_proc_tgkill(-1, tid, sig, NULL);
}

long posix_sys_tgkill(struct posix_call *c)
{
	int tgid = (int)c->a[0], tid = (int)c->a[1];
	long sig = (long)(int)c->a[2];

	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	struct posix_thread *t = thread_of((uint64_t)tid);
	if (t)
		return (uint64_t)tgid == posix_state.pid ? send_self(sig, POSIX_SI_TKILL, t)
							 : -ESRCH;
	return send_proc_tgkill(tgid, tid, sig, NULL);
}

/*
 * rt_sigqueueinfo and rt_tgsigqueueinfo (do_rt_sigqueueinfo): nobody may
 * pose as the kernel (si_code >= 0) or as tkill except towards its own
 * process (the pid, or the tgid, is the caller's); the siginfo is
 * delivered as given.
 */
static long queue_info(long sig, uint64_t uinfo, int64_t pid, int64_t target_tid,
		       struct posix_thread *target, bool local)
{
	struct posix_siginfo info;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if ((info.si_code >= 0 || info.si_code == POSIX_SI_TKILL) &&
	    (uint64_t)pid != posix_state.pid)
		return -EPERM;
	if (!local)
		return target_tid ? send_proc_tgkill(pid, target_tid, sig, &info)
				  : send_proc_kill(pid, sig, &info);
	return send_local(sig, &info, target);
}

long posix_sys_rt_sigqueueinfo(struct posix_call *c)
{
	int pid = (int)c->a[0];
	long sig = (long)(int)c->a[1];

	return queue_info(sig, c->a[2], pid, 0, NULL, (uint64_t)pid == posix_state.pid);
}

long posix_sys_rt_tgsigqueueinfo(struct posix_call *c)
{
	int tgid = (int)c->a[0], tid = (int)c->a[1];
	long sig = (long)(int)c->a[2];

	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	struct posix_thread *t = thread_of((uint64_t)tid);
	if (t && (uint64_t)tgid != posix_state.pid)
		return -ESRCH;
	return queue_info(sig, c->a[3], tgid, tid, t, t != NULL);
}

/* Wait on the thread's Notification until something is due or an upcall
 * came (TERN_EINTERRUPTED: it set work). */
static void wait_for_signal(struct posix_thread *t)
{
	while (!t->work && !due(t)) {
		uint64_t bits;
		tern_wait(POSIX_SLOT_THREAD_NTFN(t->index), &bits);
	}
	t->work |= POSIX_WORK_SIGNAL;
}

long posix_sys_pause(struct posix_call *c)
{
	(void)c;
	wait_for_signal(posix_self());
	return -POSIX_ERESTARTNOHAND;
}

void posix_signal_wait_mask_begin(uint64_t mask)
{
	struct posix_thread *t = posix_self();

	saved_mask[t->index] = t->blocked;
	restore_mask[t->index] = 1;
	t->blocked = mask & ~POSIX_SIG_UNBLOCKABLE;
	recheck(t);
}

void posix_signal_wait_mask_end(bool interrupted)
{
	struct posix_thread *t = posix_self();

	if (interrupted || !restore_mask[t->index])
		return;
	restore_mask[t->index] = 0;
	t->blocked = saved_mask[t->index];
	recheck(t);
}

long posix_sys_rt_sigsuspend(struct posix_call *c)
{
	struct posix_thread *t = posix_self();
	posix_sigset_t set;

	if (c->a[1] != POSIX_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, c->a[0], sizeof(set)))
		return -EFAULT;
	saved_mask[t->index] = t->blocked;
	restore_mask[t->index] = 1;
	t->blocked = set & ~POSIX_SIG_UNBLOCKABLE;
	wait_for_signal(t);
	return -POSIX_ERESTARTNOHAND;
}

static long take_info(struct posix_thread *t, posix_sigset_t set, struct posix_siginfo *info)
{
	bool shared;

	lock();
	int sig = posix_sig_take(&sigstate, t, set, &shared);
	if (sig) {
		*info = shared ? shared_info[sig - 1] : thread_info[t->index][sig - 1];
		rt_refill(sig, shared ? -1 : (int)t->index);
		if (!shared && fault_ctx[t->index].sig == sig)
			fault_ctx[t->index].sig = 0;
	}
	unlock();
	return sig;
}

long posix_sys_rt_sigtimedwait(struct posix_call *c)
{
	struct posix_thread *t = posix_self();
	struct posix_siginfo info;
	struct posix_timespec ts;
	posix_sigset_t set;
	uint64_t deadline = 0;

	if (c->a[3] != POSIX_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, c->a[0], sizeof(set)))
		return -EFAULT;
	set &= ~POSIX_SIG_UNBLOCKABLE;
	if (c->a[2]) {
		if (copy_from_user(&ts, c->a[2], sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)POSIX_NSEC_PER_SEC)
			return -EINVAL;
	}
	long sig = take_info(t, set, &info);
	bool timed_out = false;
	if (!sig) {
		uint64_t now = vclock_ns(clock_page, CLOCK_MONOTONIC);
		if (c->a[2]) {
			if (!ts.tv_sec && !ts.tv_nsec)
				return -EAGAIN;
			uint64_t ns =
				(uint64_t)ts.tv_sec * POSIX_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
			deadline = ns > ~0ull - now ? ~0ull : now + ns;
			if (tern_timer_set(POSIX_SLOT_THREAD_TIMER(t->index), deadline,
					   POSIX_SLOT_THREAD_NTFN(t->index)) != TERN_EOK)
				return -ENOMEM;
		}
		/* The set's signals are waited for, so unblocked meanwhile
		 * (real_blocked); others that come interrupt the wait. */
		posix_sigset_t real = t->blocked;
		t->blocked &= ~set;
		for (;;) {
			if (t->work || due(t))
				break;
			uint64_t bits;
			enum tern_error e = tern_wait(POSIX_SLOT_THREAD_NTFN(t->index), &bits);
			if (e == TERN_EOK && deadline &&
			    vclock_ns(clock_page, CLOCK_MONOTONIC) >= deadline) {
				timed_out = true;
				break;
			}
		}
		t->blocked = real;
		if (deadline)
			tern_timer_set(POSIX_SLOT_THREAD_TIMER(t->index), 0, 0);
		__atomic_or_fetch(&t->work, POSIX_WORK_SIGNAL, __ATOMIC_RELEASE);
		if (t->work & POSIX_WORK_FETCH) {
			__atomic_and_fetch(&t->work, ~POSIX_WORK_FETCH, __ATOMIC_RELEASE);
			fetch_fault(t, NULL);
			fetch_proc(t);
		}
		sig = take_info(t, set, &info);
		if (!sig)
			return timed_out ? -EAGAIN : -EINTR;
	}
	if (c->a[1] && copy_to_user(c->a[1], &info, sizeof(info)))
		return -EFAULT;
	return sig;
}
