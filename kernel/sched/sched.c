/*
 * Scheduling decisions and the way out of the kernel.
 *
 * kernel_exit: pick who runs (the current thread keeps the CPU unless it
 * blocked, used up its timeslice, or a higher priority is ready), switch
 * address space, TSS stack, TLS bases and FPU state if the thread changed,
 * run the thread's exit work (hooks of the layers above, such as upcall
 * delivery), and return to user mode. With nothing to run,
 * the idle loop halts with interrupts on.
 */
#include "kernel/sched.h"

#include "apic/apic.h"
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/tls.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/vm.h"
#include "kernel/zero_pool.h"

#define KSTACK_SIZE 16384

struct percpu cpu0;
static uint8_t kstack[KSTACK_SIZE] __aligned(16);
static struct tcb idle_tcb;
static exit_work_fn exit_hooks[EXIT_WORK_COUNT];

void idle_loop(void) __noreturn;
void idle_enter(uint64_t stack_top) __noreturn;

/* The LAPIC timer serves the tick and the Timer objects (kernel/timer.h):
 * it is armed for whichever comes first. */
static uint64_t next_tick_ns, armed_ns;

static void timer_arm(uint64_t now, uint64_t next_timer)
{
	uint64_t at = next_timer < next_tick_ns ? next_timer : next_tick_ns;

	armed_ns = at;
	lapic_timer_oneshot_ns(at > now ? at - now : 0);
}

static void on_tick(struct trap_frame *tf, void *ctx)
{
	(void)tf;
	(void)ctx;
	struct percpu *c = this_cpu();
	uint64_t now = clock_monotonic_ns();

	if (now >= next_tick_ns) {
		c->ticks++;
		if (c->current != c->idle && c->current->timeslice)
			c->current->timeslice--;
		next_tick_ns = now + TICK_NS;
	}
	timer_arm(now, timers_expire(now));
	lapic_eoi();
}

void sched_timer_update(void)
{
	uint64_t next = timers_next_ns();

	if (next < armed_ns)
		timer_arm(clock_monotonic_ns(), next);
}

void sched_init(void)
{
	struct percpu *c = this_cpu();

	c->self = c;
	c->kstack_top = (uint64_t)&kstack[KSTACK_SIZE];
	c->idle = &idle_tcb;
	c->current = &idle_tcb;
	c->cr3 = read_cr3();
	idle_tcb.state = TS_IDLE;
	rq_init(&c->ready);
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	tss_set_kernel_stack(c->kstack_top);

	irq_register(VEC_TIMER, on_tick, NULL);
	lapic_timer_set_vector(VEC_TIMER);
	next_tick_ns = clock_monotonic_ns() + TICK_NS;
	timer_arm(clock_monotonic_ns(), ~0ull);
}

void sched_ready(struct tcb *t)
{
	t->state = TS_RUNNING;
	if (!t->rq.queued && t != this_cpu()->current)
		rq_enqueue_tail(&this_cpu()->ready, &t->rq, t->priority);
}

void sched_unready(struct tcb *t)
{
	if (t->rq.queued)
		rq_remove(&this_cpu()->ready, &t->rq);
}

void sched_block(struct tcb *t, enum thread_state state)
{
	sched_unready(t);
	t->state = state;
}

void sched_wake(struct tcb *t)
{
	sched_ready(t);
}

void sched_yield(void)
{
	struct tcb *cur = sched_current();

	cur->timeslice = 0;
}

static struct tcb *rq_tcb(struct rq_node *n)
{
	return (struct tcb *)((char *)n - offsetof(struct tcb, rq));
}

/* Choose the thread to run next and make it current. */
static void schedule(void)
{
	struct percpu *c = this_cpu();
	struct tcb *cur = c->current;
	int top = rq_highest_prio(&c->ready);

	if (cur != c->idle && cur->state == TS_RUNNING) {
		if (top < 0 || (top <= cur->priority && cur->timeslice > 0) ||
		    (top < cur->priority))
			return;
		/* Preempted: behind its peers if its slice ran out, else first. */
		if (cur->timeslice == 0) {
			cur->timeslice = TIMESLICE_TICKS;
			rq_enqueue_tail(&c->ready, &cur->rq, cur->priority);
		} else {
			rq_enqueue_head(&c->ready, &cur->rq, cur->priority);
		}
	}
	struct rq_node *n = rq_peek_highest(&c->ready);
	if (!n) {
		c->current = c->idle;
		return;
	}
	rq_remove(&c->ready, n);
	struct tcb *next = rq_tcb(n);
	if (next->timeslice == 0)
		next->timeslice = TIMESLICE_TICKS;
	c->current = next;
}

void sched_set_exit_hook(enum exit_work_bit bit, exit_work_fn fn)
{
	exit_hooks[bit] = fn;
}

static void run_exit_work(struct tcb *t)
{
	uint8_t work = t->exit_work;

	t->exit_work = 0;
	for (unsigned bit = 0; bit < EXIT_WORK_COUNT; bit++)
		if ((work & (1u << bit)) && exit_hooks[bit])
			exit_hooks[bit](t);
}

void kernel_exit(void)
{
	struct percpu *c = this_cpu();

	for (;;) {
		schedule();
		struct tcb *t = c->current;
		if (t == c->idle)
			idle_enter(c->kstack_top);
		if (!tcb_vspace(t)) {
			/* Its address space is gone: it cannot run again. */
			printk("sched: thread %p has no address space; suspended\n", t);
			t->state = TS_INACTIVE;
			continue;
		}
		if (unlikely(t->exit_work))
			run_exit_work(t);
		irqoff_end();
		switch_to_user(t);
	}
}

void switch_tls_selectors(void)
{
	tls_selector_loaded(this_cpu());
}

void idle_loop(void)
{
	struct percpu *c = this_cpu();

	for (;;) {
		irq_disable();
		irqoff_end(); /* the stretch that brought us here */
		if (!rq_empty(&c->ready))
			kernel_exit();
		/* Nothing to run: prepare zeroed blocks for huge-page faults. */
		irqoff_begin();
		bool refilled = zero_pool_refill_one();
		irqoff_end();
		if (refilled)
			continue;
		/* sti takes effect after the next instruction: no lost wake-up. */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}
