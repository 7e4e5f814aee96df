/*
 * Faults as signals (docs/personality.md, "Signal delivery"). proc is
 * every Linux thread's fault endpoint (badge pid | POSIX_BADGE_THREAD(i)):
 * a fault the kernel could not resolve becomes a thread-directed signal
 * with Linux's siginfo (arch/x86/kernel/traps.c, mm/fault.c), kept in the
 * thread's slot here and announced on its Notification (POSIX_NTFN_PROC);
 * the fault is then answered, so the upcall runs before the instruction
 * is retried, and libposix takes the signal with PROC_FAULT_FETCH (it
 * forces it as force_sig_fault does: a blocked, ignored or default action
 * ends the process with the signal's status). A handler that returns
 * retries the instruction.
 *
 * The process dies at once, with the signal's wait status, when the
 * thread faults again before it fetched the last one (it cannot take the
 * signal: no upcall, a handler's frame that faults), or when the fault is
 * inside libposix (its uaccess routines' faults never come here: the
 * kernel resumes them at their fix-up), as Linux kills a task whose
 * signal frame cannot be written.
 *
 * Entry points: proc_fault, proc_fault_fetch, proc_fault_kill.
 */
#include "proc.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/proto_proc.h"
#include "posix/signal.h"
#include "posix/status.h"
#include "sys/printf.h"
#include "sys/syscalls.h"
#include "tern/fault.h"

/* A thread's signal from its last fault, until fetched. */
struct fault_slot {
	const struct process *p; /* NULL: free */
	uint64_t pid;
	unsigned thread;
	bool fetched; /* kept for PROC_FAULT_KILL's log line */
	uint64_t trapno, error, cr2, flags, rip;
	struct posix_siginfo info;
};
#define FAULT_SLOTS 128
static struct fault_slot slots[FAULT_SLOTS];

static bool slot_live(struct proc_server *ps, const struct fault_slot *s)
{
	return s->p && proc_find(ps, s->pid) == s->p && s->p->state == PROC_RUNNING;
}

static struct fault_slot *slot_find(struct proc_server *ps, const struct process *p,
				    unsigned thread)
{
	for (unsigned i = 0; i < FAULT_SLOTS; i++)
		if (slots[i].p == p && slots[i].pid == p->pid && slots[i].thread == thread &&
		    slot_live(ps, &slots[i]))
			return &slots[i];
	return NULL;
}

static struct fault_slot *slot_new(struct proc_server *ps, const struct process *p, unsigned thread)
{
	struct fault_slot *s = slot_find(ps, p, thread); /* a fetched one */

	for (unsigned i = 0; !s && i < FAULT_SLOTS; i++)
		if (!slot_live(ps, &slots[i]))
			s = &slots[i];
	return s;
}

/* The #GP error code of an `int 3` through a gate that refuses user
 * mode: IDT entry 3 (index << 3 | IDT bit; QEMU's TCG gives the entry's
 * byte offset, index << 4, as test/guest/security.c notes). */
#define GP_INT3 ((3u << 3) | 2u)
#define GP_INT3_TCG ((3u << 4) | 2u)
#define VEC_GP 13

#define PF_PROT 1ull /* page-fault error code: a protection violation */
#define USER_TOP 0x0000800000000000ull

/* Linux's signal and siginfo for an exception in user mode. */
static void fault_info(uint64_t vector, const struct proc_fault_req *in, struct posix_siginfo *si)
{
	*si = (struct posix_siginfo){ .si_code = POSIX_SI_KERNEL };
	switch (vector) {
	case 0: /* #DE: do_error_trap(..., FPE_INTDIV, error_get_trap_addr) */
		si->si_signo = POSIX_SIGFPE;
		si->si_code = POSIX_FPE_INTDIV;
		si->u.fault.addr = in->rip;
		break;
	case 1: /* #DB: a single step */
		si->si_signo = POSIX_SIGTRAP;
		si->si_code = POSIX_TRAP_TRACE;
		si->u.fault.addr = in->rip;
		break;
	case 3: /* #BP: do_int3_user's do_trap(..., NULL): force_sig, SI_KERNEL */
		si->si_signo = POSIX_SIGTRAP;
		break;
	case 6: /* #UD */
		si->si_signo = POSIX_SIGILL;
		si->si_code = POSIX_ILL_ILLOPN;
		si->u.fault.addr = in->rip;
		break;
	case 16: /* #MF, #XM: math_error's si_code needs the FPU status */
	case 19:
		si->si_signo = POSIX_SIGFPE;
		si->si_code = 0;
		si->u.fault.addr = in->rip;
		break;
	case 17: /* #AC */
		si->si_signo = POSIX_SIGBUS;
		si->si_code = POSIX_BUS_ADRALN;
		si->u.fault.addr = in->addr;
		break;
	case 11: /* #NP, #SS: SIGBUS, SI_KERNEL */
	case 12:
		si->si_signo = POSIX_SIGBUS;
		break;
	case 14: /* #PF: bad_area / bad_area_access_error */
		si->si_signo = POSIX_SIGSEGV;
		/* The kernel half is never a mapping (fault_in_kernel_space:
		 * bad_area_nosemaphore, SEGV_MAPERR) though its pages are present. */
		si->si_code = (in->error & PF_PROT) && in->addr < USER_TOP ? POSIX_SEGV_ACCERR
									   : POSIX_SEGV_MAPERR;
		si->u.fault.addr = in->addr;
		break;
	default: /* #GP, #TS, #OF, #BR ...: SIGSEGV, SI_KERNEL */
		si->si_signo = POSIX_SIGSEGV;
		break;
	}
}

static void log_kill(const struct process *p, int sig, uint64_t vector, uint64_t rip, uint64_t addr)
{
	tern_logf(0, "proc: pid %lu killed by signal %d (vector %lu, rip %lx, addr %lx)",
		  (unsigned long)p->pid, sig, (unsigned long)vector, (unsigned long)rip,
		  (unsigned long)addr);
}

/* why: for the reader of this code; the log line is Linux-like. */
static int kill_for(struct proc_server *ps, struct process *p, int sig, uint64_t vector,
		    const struct proc_fault_req *in, const char *why)
{
	(void)why;
	log_kill(p, sig, vector, in->rip, in->addr);
	proc_exit(ps, p, proc_kill_status(p, sig));
	return POSIX_STATUS(EFAULT); /* not 0: the thread is never restarted */
}

int proc_fault(struct proc_server *ps, struct process *p, uint64_t badge, uint64_t vector,
	       const struct proc_fault_req *in)
{
	struct posix_siginfo si;
	uint64_t t = badge >> POSIX_BADGE_THREAD_SHIFT;
	unsigned thread = t ? (unsigned)(t - 1) : 0;

	/* Out of memory behind a mapping (the quota its page would be
	 * charged to is spent): Linux's OOM killer's SIGKILL for the
	 * process with the highest badness (oom.c), which no handler can
	 * catch. Another one killed, the thread tries its page again. */
	if (vector == 14 && (in->error & TERN_FAULT_QUOTA))
		return proc_oom(ps, p) ? POSIX_STATUS(EFAULT) /* never restarted */ : 0;
	uint64_t flags = 0;
	if (vector == VEC_GP &&
	    ((in->error & 0xffff) == GP_INT3 || (in->error & 0xffff) == GP_INT3_TCG)) {
		vector = 3; /* Linux's #BP (do_int3_user) */
		flags = PROC_FAULT_INT3;
	}
	fault_info(vector, in, &si);
	if (thread >= POSIX_THREADS_MAX || !p->threads[thread].live)
		return kill_for(ps, p, si.si_signo, vector, in, "no such thread");
	if (in->rip >= POSIX_BASE && in->rip < POSIX_END)
		return kill_for(ps, p, si.si_signo, vector, in, "inside libposix");
	struct fault_slot *s = slot_find(ps, p, thread);
	if (s && !s->fetched)
		return kill_for(ps, p, si.si_signo, vector, in, "faulted again before taking it");
	s = slot_new(ps, p, thread);
	if (!s || !p->threads[thread].proc_ntfn)
		return kill_for(ps, p, si.si_signo, vector, in, "no room");
	*s = (struct fault_slot){
		.p = p,
		.pid = p->pid,
		.thread = thread,
		.trapno = vector,
		.error = flags ? 0 : in->error & 0xffffffffull,
		.cr2 = vector == 14 ? in->addr : 0,
		.flags = flags,
		.rip = in->rip,
		.info = si,
	};
	tern_signal(p->threads[thread].proc_ntfn);
	return 0; /* resumes: the upcall runs before the instruction again */
}

int proc_fault_fetch(struct proc_server *ps, struct process *p,
		     const struct proc_fault_fetch_req *in, struct proc_fault_fetch_resp *out)
{
	*out = (struct proc_fault_fetch_resp){ 0 };
	if (in->thread >= POSIX_THREADS_MAX)
		return POSIX_STATUS(EINVAL);
	struct fault_slot *s = slot_find(ps, p, (unsigned)in->thread);
	if (!s)
		return 0; /* si_signo 0: nothing */
	if (s->fetched)
		return 0;
	out->trapno = s->trapno;
	out->error = s->error;
	out->cr2 = s->cr2;
	out->flags = s->flags;
	out->info = s->info;
	s->fetched = true;
	return 0;
}

int proc_fault_kill(struct proc_server *ps, struct process *p, const struct proc_fault_kill_req *in)
{
	if (in->sig < 1 || in->sig > POSIX_NSIG || in->thread >= POSIX_THREADS_MAX)
		return POSIX_STATUS(EINVAL);
	struct fault_slot *s = slot_find(ps, p, (unsigned)in->thread);
	if (s && s->fetched && (uint64_t)s->info.si_signo == in->sig)
		log_kill(p, (int)in->sig, s->trapno, s->rip, s->cr2);
	if (s)
		s->p = NULL;
	proc_exit(ps, p, proc_kill_status(p, (unsigned)in->sig));
	return 0;
}
