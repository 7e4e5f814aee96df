/*
 * Microkernel core, in the guest: interrupts and scheduling. A timer IRQ
 * (the PIT on ISA IRQ 0, programmed through the I/O port capability)
 * arrives as a notification; a higher-priority thread woken by it
 * preempts a busy loop; threads of one priority share the CPU by
 * timeslices; creating and destroying 1,000 threads leaves the quota
 * where it started.
 *
 * Every wait that depends on the timer is bounded by the TSC, so a
 * missing interrupt is a FAIL and not a hang.
 */
#include "guest.h"
#include "tern/errors.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_RATE_GEN 0x34 /* channel 0, lobyte/hibyte, mode 2 */
#define PIT_CH0_ONE_SHOT 0x30 /* channel 0, lobyte/hibyte, mode 0 */
#define PIT_DIVISOR_100HZ 11932
#define PIT_IRQ 0
#define ROOT_PRIORITY TERN_ROOT_PRIORITY

static uint64_t ms_to_tsc(uint64_t ms)
{
	return guest_bootinfo->tsc_hz / 1000 * ms;
}

/* The PIT's IRQ handler and the notification it signals. */
struct pit_irq {
	uint64_t handler;
	uint64_t ntfn;
};

static int pit_program(uint8_t mode, uint16_t count)
{
	if (tern_ioport_out(TERN_SLOT_IOPORT, PIT_COMMAND, 1, mode) ||
	    tern_ioport_out(TERN_SLOT_IOPORT, PIT_CHANNEL0, 1, count & 0xff) ||
	    tern_ioport_out(TERN_SLOT_IOPORT, PIT_CHANNEL0, 1, count >> 8))
		return -1;
	return 0;
}

/* Take IRQ 0, bind a fresh notification and start the PIT at ~100 Hz.
 * The line stays masked until the first ack. */
static int pit_open(struct pit_irq *p)
{
	p->handler = guest_slot();
	p->ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(p->handler && p->ntfn);
	CHECK_EQ(tern_irq_control_get(TERN_SLOT_IRQ_CONTROL, PIT_IRQ, TERN_SLOT_CNODE, p->handler,
				      64),
		 TERN_EOK);
	CHECK_EQ(tern_irq_handler_set_notification(p->handler, p->ntfn), TERN_EOK);
	CHECK_EQ(pit_program(PIT_CH0_RATE_GEN, PIT_DIVISOR_100HZ), 0);
	return 0;
}

/* Stop the PIT (a one-shot that is never reloaded), give the line back
 * and delete the notification. */
static int pit_close(struct pit_irq *p)
{
	CHECK_EQ(pit_program(PIT_CH0_ONE_SHOT, 0), 0);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, p->handler, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, p->ntfn, 64), TERN_EOK);
	return 0;
}

/* Poll the notification until it has bits or `ms` pass; returns the bits. */
static uint64_t poll_for(uint64_t ntfn, uint64_t ms)
{
	uint64_t end = guest_rdtsc() + ms_to_tsc(ms), bits = 0;

	while (guest_rdtsc() < end) {
		if (tern_poll(ntfn, &bits) != TERN_EOK || bits)
			return bits;
		__asm__ volatile("pause");
	}
	return 0;
}

static int test_timer_irq(void)
{
	struct pit_irq p;
	uint64_t bits;

	CHECK_EQ(pit_open(&p), 0);
	/* A second handler for the same line is refused. */
	CHECK_EQ(tern_irq_control_get(TERN_SLOT_IRQ_CONTROL, PIT_IRQ, TERN_SLOT_CNODE, guest_slot(),
				      64),
		 TERN_EREVOKE_FIRST);
	/* Masked until acknowledged: nothing arrives for 50 ms (5 periods). */
	CHECK_EQ(poll_for(p.ntfn, 50), 0);
	uint64_t start = guest_rdtsc();
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(tern_irq_handler_ack(p.handler), TERN_EOK);
		/* Poll rather than wait, so a lost interrupt fails in 1 s. */
		bits = poll_for(p.ntfn, 1000);
		CHECK_EQ(bits, 1);
	}
	uint64_t us = (guest_rdtsc() - start) / (guest_bootinfo->tsc_hz / 1000000);
	tern_printf("core_sched: 5 PIT interrupts in %lu us\n", us);
	/* Not acknowledged: the line stays masked, no further signal. */
	CHECK_EQ(poll_for(p.ntfn, 50), 0);
	/* And a blocking wait is woken by the interrupt after an ack. */
	CHECK_EQ(tern_irq_handler_ack(p.handler), TERN_EOK);
	CHECK_EQ(tern_wait(p.ntfn, &bits), TERN_EOK);
	CHECK_EQ(bits, 1);
	CHECK_EQ(pit_close(&p), 0);
	return 0;
}

static volatile uint64_t preempt_flag, preempt_tsc;
static uint64_t park;

/* High-priority thread: sleeps on the timer notification, notes when it
 * ran, then parks for good. */
static void preempt_thread(uint64_t ntfn)
{
	uint64_t bits;

	tern_wait(ntfn, &bits);
	preempt_tsc = guest_rdtsc();
	preempt_flag = 1;
	for (;;)
		tern_wait(park, &bits);
}

static int test_preempt(void)
{
	struct pit_irq p;

	park = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(park);
	/* The previous case gave the line back, so it can be taken again. */
	CHECK_EQ(pit_open(&p), 0);
	uint64_t t = guest_thread(preempt_thread, p.ntfn, 200);
	CHECK(t);
	/* The thread ran at once (priority 200) and is now waiting. */
	CHECK_EQ(preempt_flag, 0);
	CHECK_EQ(tern_irq_handler_ack(p.handler), TERN_EOK);
	uint64_t start = guest_rdtsc(), limit = start + ms_to_tsc(5000);
	/* No system call in this loop: only a preemption can set the flag. */
	while (!preempt_flag && guest_rdtsc() < limit)
		__asm__ volatile("pause");
	CHECK_EQ(preempt_flag, 1);
	tern_printf("core_sched: preempted after %lu us\n",
		    (preempt_tsc - start) / (guest_bootinfo->tsc_hz / 1000000));
	CHECK_EQ(tern_tcb_suspend(t), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, t, 64), TERN_EOK);
	CHECK_EQ(pit_close(&p), 0);
	return 0;
}

static volatile uint64_t rr_count[2];

static void rr_thread(uint64_t i)
{
	for (;;)
		rr_count[i]++;
}

static int test_round_robin(void)
{
	struct pit_irq p;
	uint64_t bits;

	CHECK_EQ(pit_open(&p), 0);
	/* Two busy threads at the root's own priority: neither blocks, so
	 * only timeslice preemption lets both (and the root) run. */
	uint64_t a = guest_thread(rr_thread, 0, ROOT_PRIORITY);
	uint64_t b = guest_thread(rr_thread, 1, ROOT_PRIORITY);
	CHECK(a && b);
	uint64_t start = guest_rdtsc();
	for (int i = 0; i < 10; i++) {
		CHECK_EQ(tern_irq_handler_ack(p.handler), TERN_EOK);
		CHECK_EQ(tern_wait(p.ntfn, &bits), TERN_EOK);
	}
	uint64_t c0 = rr_count[0], c1 = rr_count[1];
	tern_printf("core_sched: round robin %lu / %lu iterations in %lu ms\n", c0, c1,
		    (guest_rdtsc() - start) / (guest_bootinfo->tsc_hz / 1000));
	CHECK(c0 > 0 && c1 > 0);
	CHECK_EQ(tern_tcb_suspend(a), TERN_EOK);
	CHECK_EQ(tern_tcb_suspend(b), TERN_EOK);
	/* Suspended threads make no progress. */
	c0 = rr_count[0];
	c1 = rr_count[1];
	CHECK_EQ(tern_irq_handler_ack(p.handler), TERN_EOK);
	CHECK_EQ(tern_wait(p.ntfn, &bits), TERN_EOK);
	CHECK_EQ(rr_count[0], c0);
	CHECK_EQ(rr_count[1], c1);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, a, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, b, 64), TERN_EOK);
	CHECK_EQ(pit_close(&p), 0);
	return 0;
}

#define CHURN_THREADS 1000
#define CHURN_VA 0x580000000000ul
#define CHURN_STACK_PAGES 2

static volatile uint64_t churn_runs;

static void churn_thread(uint64_t ntfn)
{
	uint64_t bits;

	churn_runs++;
	for (;;)
		tern_wait(ntfn, &bits);
}

static int test_thread_churn(void)
{
	uint64_t stack = guest_create(TERN_CAP_MEMOBJ, CHURN_STACK_PAGES);
	uint64_t ipcbuf = guest_create(TERN_CAP_MEMOBJ, 1);
	uint64_t never = guest_create(TERN_CAP_NOTIFICATION, 0);
	uint64_t tcb = guest_slot(), bits;
	uint64_t ipc_va = CHURN_VA, stack_va = CHURN_VA + 0x2000;

	CHECK(stack && ipcbuf && never && tcb);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, ipc_va, ipcbuf, 0, 1,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_MAP_POPULATE),
		 TERN_EOK);
	/* Populated now: pages made lazily during the loop would be charged. */
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, stack_va, stack, 0, CHURN_STACK_PAGES,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_MAP_POPULATE),
		 TERN_EOK);
	uint64_t used = guest_quota_used(), start = guest_rdtsc();
	for (int i = 0; i < CHURN_THREADS; i++) {
		CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_TCB, 0, TERN_SLOT_CNODE, tcb,
					   64),
			 TERN_EOK);
		CHECK_EQ(tern_tcb_configure(tcb, 0, ipc_va, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE,
					    ipcbuf),
			 TERN_EOK);
		/* Odd threads outrank us: they run at once and are destroyed
		 * while blocked. Even ones are destroyed still on the ready
		 * queue. */
		CHECK_EQ(tern_tcb_set_priority(tcb, i % 2 ? 150 : 50), TERN_EOK);
		struct tern_regs r = { 0 };
		r.rip = (uint64_t)churn_thread;
		r.rsp = stack_va + CHURN_STACK_PAGES * 4096 - 8;
		r.rdi = never;
		CHECK_EQ(tern_tcb_write_registers(tcb, 1, &r), TERN_EOK);
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, tcb, 64), TERN_EOK);
	}
	tern_printf("core_sched: %d threads created and destroyed in %lu ms\n", CHURN_THREADS,
		    (guest_rdtsc() - start) / (guest_bootinfo->tsc_hz / 1000));
	CHECK_EQ(churn_runs, CHURN_THREADS / 2);
	CHECK_EQ(guest_quota_used(), used);
	/* The slot is free again, and the system still works. */
	CHECK_EQ(tern_tcb_resume(tcb), TERN_EINVALID_CAPABILITY);
	uint64_t n = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(n);
	CHECK_EQ(tern_poll(n, &bits), TERN_EOK);
	CHECK_EQ(bits, 0);
	CHECK_EQ(tern_signal(n), TERN_EOK);
	CHECK_EQ(tern_poll(n, &bits), TERN_EOK);
	CHECK_EQ(bits, 1);
	CHECK_EQ(tern_poll(never, &bits), TERN_EOK);
	CHECK_EQ(bits, 0);
	return 0;
}

static const struct guest_case cases[] = {
	{ "timer_irq", test_timer_irq },
	{ "preempt", test_preempt },
	{ "round_robin", test_round_robin },
	{ "thread_churn", test_thread_churn },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("core_sched", cases, sizeof(cases) / sizeof(cases[0]));
}
