/*
 * Native system calls: reflection check, the IPC fast path, then the
 * dispatch table generated from TERN_SYSCALLS (tern/syscall.h).
 */
#include "kernel/syscall.h"

#include "kernel/ipc.h"
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "kernel/personality.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/tcb.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/random.h"
#include "kernel/uaccess.h"
#include "common/string.h"
#include "kernel/vm.h"
#include "kernel/zero_pool.h"
#include "tern/syscall.h"

typedef void (*syscall_fn)(struct tcb *t);

#define SYSCALL_INSN_LEN 2 /* 0f 05 */

/* Look up the cap named by rdi; on failure the error is the call's result. */
static struct cap *invoked_cap(struct tcb *t, tern_cptr_t cptr)
{
	struct cte *slot;
	int err = cspace_lookup_cap(&t->cspace_root.cap, cptr, &slot);

	if (!err && cap_is_null(&slot->cap))
		err = TERN_EINVALID_CAPABILITY;
	if (err) {
		t->ctx.rax = (uint64_t)err;
		return NULL;
	}
	return &slot->cap;
}

static struct reply *reply_arg(struct tcb *t, int *err)
{
	struct cte *slot;

	*err = TERN_EOK;
	if (t->ctx.r12 == 0)
		return NULL;
	*err = cspace_lookup_cap(&t->cspace_root.cap, t->ctx.r12, &slot);
	if (!*err && slot->cap.type != TERN_CAP_REPLY)
		*err = TERN_EINVALID_CAPABILITY;
	return *err ? NULL : slot->cap.obj;
}

static int object_invoke(struct tcb *t, struct cap *c, uint64_t label)
{
	int err = msg_check_args(t, c, label);

	if (err)
		return err;
	switch (c->type) {
	case TERN_CAP_CNODE:
		return cnode_invoke(t, c, label);
	case TERN_CAP_QUOTA:
		return quota_invoke(t, c, label);
	case TERN_CAP_TCB:
		return tcb_invoke(t, c, label);
	case TERN_CAP_IRQ_CONTROL:
	case TERN_CAP_IRQ_HANDLER:
		return irq_invoke(t, c, label);
	case TERN_CAP_IOPORT:
		return ioport_invoke(t, c, label);
	case TERN_CAP_VSPACE:
		return vspace_invoke(t, c, label);
	case TERN_CAP_MEMOBJ:
		return memobj_invoke(t, c, label);
	case TERN_CAP_MACHINE:
		return machine_invoke(t, c, label);
	case TERN_CAP_TIMER:
		return timer_invoke(t, c, label);
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

static void sys_CALL(struct tcb *t)
{
	struct cap *c = invoked_cap(t, t->ctx.rdi);

	if (!c)
		return;
	if (c->type == TERN_CAP_ENDPOINT) {
		if (!(c->rights & TERN_RIGHT_WRITE)) {
			t->ctx.rax = TERN_EINSUFFICIENT_RIGHTS;
			return;
		}
		endpoint_send(t, c->obj, c->badge, c->rights & TERN_RIGHT_GRANT, true, true);
		return;
	}
	/* An object invocation: the kernel answers at once. The invoked cap is
	 * copied, since the invocation may delete its slot. */
	struct cap copy = *c;
	tern_msginfo_t info = t->ctx.rsi;
	int err = object_invoke(t, &copy, tern_msginfo_label(info));
	if (err == PREEMPT_RESTART) {
		/* Stopped at a preemption point with its progress in the object:
		 * execute the call again (rdi, rsi and the message are as they
		 * were) once the interrupt has been taken. */
		t->ctx.rax = TERN_SYS_CALL;
		t->ctx.rip -= SYSCALL_INSN_LEN;
		irqoff.preemptions++;
		return;
	}
	t->ctx.rax = (uint64_t)err;
	if (t->ctx.rsi == info)
		t->ctx.rsi = tern_msginfo(0, 0, 0);
}

static void send_common(struct tcb *t, bool blocking)
{
	struct cap *c = invoked_cap(t, t->ctx.rdi);

	if (!c)
		return;
	if (!(c->rights & TERN_RIGHT_WRITE)) {
		t->ctx.rax = TERN_EINSUFFICIENT_RIGHTS;
	} else if (c->type == TERN_CAP_ENDPOINT) {
		t->ctx.rax = TERN_EOK;
		endpoint_send(t, c->obj, c->badge, c->rights & TERN_RIGHT_GRANT, false, blocking);
	} else if (c->type == TERN_CAP_NOTIFICATION) {
		t->ctx.rax = TERN_EOK;
		notification_signal(c->obj, c->badge);
	} else {
		t->ctx.rax = TERN_EILLEGAL_OPERATION;
	}
}

static void sys_SEND(struct tcb *t)
{
	send_common(t, true);
}

static void sys_NBSEND(struct tcb *t)
{
	send_common(t, false);
}

static void recv_common(struct tcb *t, bool blocking)
{
	struct cap *c = invoked_cap(t, t->ctx.rdi);
	int err;

	if (!c)
		return;
	if (!(c->rights & TERN_RIGHT_READ)) {
		t->ctx.rax = TERN_EINSUFFICIENT_RIGHTS;
		return;
	}
	if (c->type == TERN_CAP_NOTIFICATION) {
		notification_wait(t, c->obj, blocking);
		return;
	}
	if (c->type != TERN_CAP_ENDPOINT) {
		t->ctx.rax = TERN_EILLEGAL_OPERATION;
		return;
	}
	struct reply *r = reply_arg(t, &err);
	if (err) {
		t->ctx.rax = (uint64_t)err;
		return;
	}
	endpoint_recv(t, c->obj, r, blocking);
}

static void sys_RECV(struct tcb *t)
{
	recv_common(t, true);
}

static void sys_NBRECV(struct tcb *t)
{
	recv_common(t, false);
}

static void sys_REPLY(struct tcb *t)
{
	int err;
	struct reply *r = reply_arg(t, &err);

	if (!err && !r)
		err = TERN_EINVALID_CAPABILITY;
	t->ctx.rax = (uint64_t)(err ? err : reply_send(t, r));
}

static void sys_REPLY_RECV(struct tcb *t)
{
	int err;
	struct reply *r = reply_arg(t, &err);

	if (err) {
		t->ctx.rax = (uint64_t)err;
		return;
	}
	if (r && r->caller)
		reply_send(t, r);
	recv_common(t, true);
}

static void sys_YIELD(struct tcb *t)
{
	t->ctx.rax = TERN_EOK;
	sched_yield();
}

static void sys_SIGNAL(struct tcb *t)
{
	struct cap *c = invoked_cap(t, t->ctx.rdi);

	if (!c)
		return;
	if (c->type != TERN_CAP_NOTIFICATION || !(c->rights & TERN_RIGHT_WRITE)) {
		t->ctx.rax = c->type != TERN_CAP_NOTIFICATION ? TERN_EILLEGAL_OPERATION
							      : TERN_EINSUFFICIENT_RIGHTS;
		return;
	}
	t->ctx.rax = TERN_EOK;
	notification_signal(c->obj, c->badge);
}

static void wait_common(struct tcb *t, bool blocking)
{
	struct cap *c = invoked_cap(t, t->ctx.rdi);

	if (!c)
		return;
	if (c->type != TERN_CAP_NOTIFICATION || !(c->rights & TERN_RIGHT_READ)) {
		t->ctx.rax = c->type != TERN_CAP_NOTIFICATION ? TERN_EILLEGAL_OPERATION
							      : TERN_EINSUFFICIENT_RIGHTS;
		return;
	}
	notification_wait(t, c->obj, blocking);
}

static void sys_WAIT(struct tcb *t)
{
	wait_common(t, true);
}

static void sys_POLL(struct tcb *t)
{
	wait_common(t, false);
}

static void sys_RESUME(struct tcb *t)
{
	int err = personality_resume(t, t->ctx.rdi);

	if (err)
		t->ctx.rax = (uint64_t)err;
}

#define DEBUG_PUTS_MAX 1024

static void sys_DEBUG_PUTS(struct tcb *t)
{
	char buf[DEBUG_PUTS_MAX];
	uint64_t len = t->ctx.rsi;

	if (len > DEBUG_PUTS_MAX)
		len = DEBUG_PUTS_MAX;
	if (copy_from_user(t, buf, user_ptr(t->ctx.rdi), len)) {
		t->ctx.rax = TERN_EBAD_ADDRESS;
		return;
	}
	if (t->ctx.rdx & TERN_DEBUG_PUTS_LINE)
		console_write_line(buf, len);
	else
		console_write(buf, len, (t->ctx.rdx & TERN_DEBUG_PUTS_RAW) != 0);
	t->ctx.rax = TERN_EOK;
}

#define LOG_MAX 200 /* printk formats into 256 bytes, prefix and level included */

/* A line for the system log from user space (servers, libposix): the
 * kernel's prefix and levels, one line however the text ends. */
static void sys_LOG(struct tcb *t)
{
	char buf[LOG_MAX + 1];
	uint64_t len = t->ctx.rsi, level = t->ctx.rdx;

	if (len > LOG_MAX)
		len = LOG_MAX;
	if (level > 7) {
		t->ctx.rax = TERN_EINVALID_ARGUMENT;
		return;
	}
	if (copy_from_user(t, buf, user_ptr(t->ctx.rdi), len)) {
		t->ctx.rax = TERN_EBAD_ADDRESS;
		return;
	}
	while (len && buf[len - 1] == '\n')
		len--;
	for (uint64_t i = 0; i < len; i++)
		if (buf[i] == '\n' || buf[i] == '\001')
			buf[i] = ' ';
	buf[len] = 0;
	printk("\001%c%s\n", (char)('0' + level), buf);
	t->ctx.rax = TERN_EOK;
}

/* Random bytes for user space, generated on the kernel stack and copied
 * out (a buffer that is bad part-way may get its first pages written, as
 * Linux's getrandom may), then wiped. */
static void sys_RANDOM(struct tcb *t)
{
	uint8_t buf[TERN_RANDOM_MAX];
	uint64_t len = t->ctx.rsi;

	if (len > TERN_RANDOM_MAX) {
		t->ctx.rax = TERN_EINVALID_ARGUMENT;
		return;
	}
	random_bytes(buf, len);
	int err = copy_to_user(t, user_ptr(t->ctx.rdi), buf, len);
	memset(buf, 0, len);
	__asm__ volatile("" : : "r"(buf) : "memory"); /* keep the wipe */
	t->ctx.rax = err ? TERN_EBAD_ADDRESS : TERN_EOK;
}

static void sys_DEBUG_QUERY(struct tcb *t)
{
	struct trap_frame *f = &t->ctx;
	struct percpu *c = this_cpu();

	f->rax = TERN_EOK;
	switch (f->rdi) {
	case TERN_DEBUG_QUERY_QUOTA: {
		struct cap *q = invoked_cap(t, f->rdx);
		if (!q)
			return;
		if (q->type != TERN_CAP_QUOTA) {
			f->rax = TERN_EINVALID_CAPABILITY;
			return;
		}
		f->rdx = ((struct quota *)q->obj)->used;
		f->r10 = ((struct quota *)q->obj)->limit;
		break;
	}
	case TERN_DEBUG_QUERY_CLOCK_NS:
		f->rdx = clock_monotonic_ns();
		break;
	case TERN_DEBUG_QUERY_TSC_HZ:
		f->rdx = kclock.conv.tsc_hz;
		break;
	case TERN_DEBUG_QUERY_FASTPATH:
		f->rdx = c->fastpath_hits;
		f->r10 = c->slowpath_ipcs;
		break;
	case TERN_DEBUG_QUERY_VM:
		f->rdx = vm_stats.faults;
		f->r10 = vm_stats.zero_fills;
		f->r8 = vm_stats.huge_pages;
		f->r9 = vm_stats.cow_copies;
		break;
	case TERN_DEBUG_QUERY_IRQ_OFF: {
		if (!irqoff.enabled) {
			f->rax = TERN_EILLEGAL_OPERATION; /* boot with irqoff_stats */
			break;
		}
		bool reset = f->rdx == 1;
		f->rdx = irqoff.max;
		f->r10 = irqoff.entries;
		f->r8 = irqoff.preemptions;
		if (reset)
			irqoff.max = irqoff.entries = irqoff.preemptions = 0;
		break;
	}
	case TERN_DEBUG_QUERY_FRAMES:
		f->rdx = pmm_free_pages() + zero_pool_frames();
		f->r10 = kheap_pages();
		break;
	case TERN_DEBUG_QUERY_MEMORY:
		f->rdx = pmm_usable_bytes();
		f->r10 = (pmm_free_pages() + zero_pool_frames()) * PAGE_SIZE;
		break;
	case TERN_DEBUG_QUERY_PROFILE:
		f->rdx = profile_on;
		break;
	default:
		f->rax = TERN_EINVALID_ARGUMENT;
	}
}

static const syscall_fn syscall_table[TERN_SYS_COUNT] = {
#define SYSCALL_ENTRY(name, num) [TERN_SYS_##name] = sys_##name,
	TERN_SYSCALLS(SYSCALL_ENTRY)
#undef SYSCALL_ENTRY
};

static void unknown_syscall(struct tcb *t, uint64_t nr)
{
	static uint64_t logged[4];

	if (nr < 256 && !(logged[nr / 64] & (1ull << (nr % 64)))) {
		logged[nr / 64] |= 1ull << (nr % 64);
		printk(KERN_WARNING "syscall: unknown native call %lu (logged once)\n", nr);
	}
	t->ctx.rax = TERN_ENO_SUCH_CALL;
}

void syscall_from_user(struct trap_frame *f)
{
	struct percpu *c = this_cpu();
	struct tcb *t = c->current;
	uint64_t nr = f->rax;

	irqoff_begin();
	if (personality_reflects(t, f->rip)) {
		personality_reflect(t);
		irqoff_end();
		return_to_user(f);
	}
	c->syscall_tcb = t;
	if (nr == TERN_SYS_CALL || nr == TERN_SYS_REPLY_RECV || nr == TERN_SYS_SEND ||
	    nr == TERN_SYS_RECV)
		c->slowpath_ipcs++;
	if (nr < TERN_SYS_COUNT && syscall_table[nr])
		syscall_table[nr](t);
	else
		unknown_syscall(t, nr);
	c->syscall_tcb = NULL;
	if (c->deferred_free) {
		kobj_free(c->deferred_free);
		c->deferred_free = NULL;
	}
	kernel_exit();
}
