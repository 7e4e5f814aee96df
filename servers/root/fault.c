/*
 * Faults of the system's servers (docs/architecture.md "The root task"):
 * every server's fault endpoint is root_ep, badged 1 + its enum
 * root_server. A fault is reported on the console with the vector, the
 * registers and a backtrace (the frame-pointer chain, read from the
 * server's stack, which root made and can map). The console driver is
 * then restarted: its task is destroyed (the kernel ends the calls it
 * held: a client waiting in one gets an error, TERN_EINTERRUPTED) and a
 * new one serves the same endpoint with the same quota and caps, so no
 * client's cap changes. Any other server is the system's state (files,
 * processes, address spaces): the machine stops with a failure status.
 * `tern.fault=NAME[:MS]` on the command line makes server NAME fault on
 * purpose MS ms (default 1000) after init started, for the tests
 * (robust.fault_*): root cancels what it is waiting for and resumes it
 * with rsp 0, so it faults in its own code, with its own frames above.
 */
#include "servers.h"

#include "common/string.h"
#include "sys/invoke.h"
#include "sys/printf.h"
#include "sys/runtime.h"
#include "sys/syscalls.h"
#include "sys/thread.h"
#include "tern/bootinfo.h"
#include "tern/fault.h"
#include "tern/invocation.h"
#include "tern/syscall.h"

#define ROOT_RESTARTS 3
#define BT_FRAMES 16
#define PAGE 4096ul
/* Where root maps a server's stack to follow its frames. */
#define BT_WINDOW 0x5f0000000000ul

static const char *const vector_names[32] = {
	[0] = "divide error",	[1] = "debug",	      [3] = "breakpoint",
	[4] = "overflow",	[5] = "bound range",  [6] = "invalid opcode",
	[7] = "no FPU",		[8] = "double fault", [10] = "invalid TSS",
	[11] = "no segment",	[12] = "stack fault", [13] = "general protection",
	[14] = "page fault",	[16] = "x87 error",   [17] = "alignment check",
	[18] = "machine check", [19] = "SIMD error",
};

/* The frame-pointer chain from rbp, inside the server's main stack
 * (a thread of its own has its stack elsewhere: then rip alone). */
static void backtrace(struct root_server_info *s, const struct tern_regs *r)
{
	const uint64_t lo = TERN_CHILD_STACK_TOP - TERN_CHILD_STACK_SIZE, hi = TERN_CHILD_STACK_TOP;
	const uint64_t pages = TERN_CHILD_STACK_SIZE / PAGE;

	tern_logf(0, "root: backtrace of %s:", s->name);
	tern_logf(0, "root:   #0 %016lx", r->rip);
	enum tern_error err = TERN_EINVALID_CAPABILITY;
	if (!s->task.stack || (err = tern_vspace_map(TERN_SLOT_VSPACE, BT_WINDOW, s->task.stack, 0,
						     pages, TERN_RIGHT_READ)) != TERN_EOK) {
		tern_logf(0, "root:   (its stack cannot be read: %s)", tern_strerror(err));
		return;
	}
	uint64_t fp = r->rbp;
	for (unsigned i = 1; i < BT_FRAMES; i++) {
		if (fp < lo || fp > hi - 16 || (fp & 7))
			break;
		const uint64_t *f = (const uint64_t *)(BT_WINDOW + (fp - lo));
		uint64_t next = f[0], ret = f[1];
		if (!ret)
			break;
		tern_logf(0, "root:   #%u %016lx", i, ret);
		if (next <= fp)
			break; /* frames go up the stack */
		fp = next;
	}
	tern_vspace_unmap(TERN_SLOT_VSPACE, BT_WINDOW, pages);
}

static void report_fault(struct root_server_info *s, const struct tern_msg *m)
{
	uint64_t vec = TERN_FAULT_VECTOR(tern_msginfo_label(m->info));
	struct tern_regs r = { 0 };

	tern_logf(0, "root: server %s died: %s (vector %lu) at rip %lx, addr %lx, error %lx",
		  s->name, vec < 32 && vector_names[vec] ? vector_names[vec] : "exception", vec,
		  m->mr[2], m->mr[0], m->mr[1]);
	if (tern_tcb_read_registers(s->task.tcb, &r) != TERN_EOK)
		return;
	tern_logf(0, "root:  rax %016lx rbx %016lx rcx %016lx rdx %016lx", r.rax, r.rbx, r.rcx,
		  r.rdx);
	tern_logf(0, "root:  rsi %016lx rdi %016lx rbp %016lx rsp %016lx", r.rsi, r.rdi, r.rbp,
		  r.rsp);
	tern_logf(0, "root:  r8  %016lx r9  %016lx r10 %016lx r11 %016lx", r.r8, r.r9, r.r10,
		  r.r11);
	tern_logf(0, "root:  r12 %016lx r13 %016lx r14 %016lx r15 %016lx", r.r12, r.r13, r.r14,
		  r.r15);
	tern_logf(0, "root:  rip %016lx rflags %016lx fs %016lx gs %016lx", r.rip, r.rflags,
		  r.fs_base, r.gs_base);
	backtrace(s, &r);
}

/* The console again: the old task goes (and with it every call it
 * held), a new one serves the same endpoint. 0 when it runs. */
static int restart(enum root_server id)
{
	struct root_server_info *s = &root_servers[id];

	if (s->restarts >= ROOT_RESTARTS) {
		tern_logf(0, "root: %s died %u times", s->name, s->restarts + 1);
		return -1;
	}
	s->restarts++;
	s->running = 0;
	tern_task_destroy(&s->task);
	tern_logf(0, "root: restarting %s (restart %u of at most %u)", s->name, s->restarts,
		  ROOT_RESTARTS);
	return root_start(id, s->arg, s->quota, s->caps, s->ncaps);
}

void root_serve_faults(void)
{
	tern_cptr_t reply = 0;
	tern_object_create(TERN_CAP_REPLY, 0, &reply);
	for (;;) {
		struct tern_msg m = { 0 };
		if (tern_recv(root_ep, reply, &m) != TERN_EOK)
			continue;
		uint64_t label = tern_msginfo_label(m.info);
		unsigned id = (unsigned)(m.badge - 1);
		if (label >= TERN_FAULT_LABEL_BASE && label < TERN_FAULT_LABEL_BASE + 256 &&
		    id < SRV_COUNT) {
			report_fault(&root_servers[id], &m);
			/* Nobody answers the fault: the task is destroyed or
			 * the machine stops. */
			if (id == SRV_CONSOLE && restart(SRV_CONSOLE) == 0)
				continue;
			tern_logf(0,
				  "root: the system cannot go on without %s; stopping with a "
				  "failure status",
				  root_servers[id].name);
			tern_machine_exit(TERN_SLOT_MACHINE, TERN_MACHINE_EXIT, 1);
		}
		/* Anything else from a server: answered with an error. */
		struct tern_msg no = { .info = tern_msginfo(TERN_EINVALID_ARGUMENT, 0, 0) };
		tern_reply(reply, &no);
	}
}

/* ---- faults on purpose (tern.fault=NAME[:MS]) ---- */

static int inject_id = -1;
static uint64_t inject_ms = 1000;

static void inject_main(void *arg)
{
	(void)arg;
	struct root_server_info *s = &root_servers[inject_id];
	tern_cptr_t timer = 0, ntfn = 0;
	uint64_t now[4] = { 0 };

	if (tern_object_create(TERN_CAP_TIMER, 0, &timer) ||
	    tern_object_create(TERN_CAP_NOTIFICATION, 0, &ntfn) ||
	    tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, now) ||
	    tern_timer_set(timer, now[0] + inject_ms * 1000000ul, ntfn)) {
		tern_logf(3, "root: tern.fault: no timer");
		return;
	}
	tern_wait(ntfn, NULL);
	struct tern_regs r;
	if (!s->running || tern_tcb_read_registers(s->task.tcb, &r) != TERN_EOK)
		return;
	tern_logf(4, "root: tern.fault: making %s fault", s->name);
	r.rsp = 0; /* its next push, pop or return faults */
	tern_tcb_write_registers(s->task.tcb, 1, &r);
}

void root_fault_inject_start(void)
{
	const char *cl = tern_bootinfo()->cmdline, *w = NULL;
	static const char key[] = "tern.fault=";

	/* The word at the start of the line or after a space. */
	for (size_t i = 0; cl[i] && i < sizeof(tern_bootinfo()->cmdline); i++)
		if ((i == 0 || cl[i - 1] == ' ') && !strncmp(cl + i, key, sizeof(key) - 1))
			w = cl + i;
	if (!w)
		return;
	w += sizeof(key) - 1;
	for (unsigned i = 0; i < SRV_COUNT; i++) {
		const char *name = root_servers[i].name + 4; /* after "bin/" */
		size_t n = strlen(name);
		if (!strncmp(w, name, n) && (w[n] == ':' || w[n] == ' ' || w[n] == 0)) {
			inject_id = (int)i;
			if (w[n] == ':') {
				uint64_t ms = 0;
				for (const char *d = w + n + 1; *d >= '0' && *d <= '9'; d++)
					ms = ms * 10 + (uint64_t)(*d - '0');
				inject_ms = ms;
			}
		}
	}
	if (inject_id < 0) {
		tern_logf(3, "root: tern.fault: no such server");
		return;
	}
	struct tern_thread *t;
	struct tern_thread_args a = { .fn = inject_main, .priority = tern_own_priority() };
	if (tern_thread_create(&a, &t))
		tern_logf(3, "root: tern.fault: no thread");
}
