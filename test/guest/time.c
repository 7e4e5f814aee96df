/*
 * Time and randomness, in the guest: Timer objects (fire near their
 * deadline, cancel, re-arm, a deadline already past, deleted while armed
 * from either side, many at once, every bad argument refused), the RTC's
 * base in the clock page (CLOCK_REALTIME is after 2024), the RANDOM call
 * (two calls differ, bad buffers and lengths refused) and the memory
 * query behind sysinfo.
 *
 * Every wait has a watchdog: a second timer on the same notification
 * with its own badge bit, so a timer that never fires is a FAIL, not a
 * hang.
 */
#include "guest.h"
#include "tern/clock.h"
#include "tern/errors.h"

#define MS 1000000ull
#define BIT_T 1ull	     /* the timer under test */
#define BIT_DOG (1ull << 63) /* the watchdog */

static const volatile struct tern_clock_page *clock;

static uint64_t now_ns(void)
{
	return tern_clock_ns(clock, guest_rdtsc());
}

/* A notification and two badged caps to it (the test's and the dog's). */
struct rig {
	uint64_t ntfn, cap_t, cap_dog, timer, dog;
};

static int rig_open(struct rig *r)
{
	r->ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	r->cap_t = guest_slot();
	r->cap_dog = guest_slot();
	r->timer = guest_create(TERN_CAP_TIMER, 0);
	r->dog = guest_create(TERN_CAP_TIMER, 0);
	CHECK(r->ntfn && r->cap_t && r->cap_dog && r->timer && r->dog);
	CHECK_EQ(
		tern_cnode_mint(TERN_SLOT_CNODE, r->cap_t, 64, r->ntfn, 64, TERN_RIGHTS_ALL, BIT_T),
		TERN_EOK);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, r->cap_dog, 64, r->ntfn, 64, TERN_RIGHTS_ALL,
				 BIT_DOG),
		 TERN_EOK);
	return 0;
}

static void rig_close(struct rig *r)
{
	uint64_t slots[] = { r->timer, r->dog, r->cap_t, r->cap_dog, r->ntfn };

	for (unsigned i = 0; i < 5; i++)
		if (slots[i])
			tern_cnode_delete(TERN_SLOT_CNODE, slots[i], 64);
}

/* Wait with the watchdog armed `dog_ms` from now; the bits seen. */
static uint64_t wait_dog(struct rig *r, uint64_t dog_ms)
{
	uint64_t bits = 0;

	if (tern_timer_set(r->dog, now_ns() + dog_ms * MS, r->cap_dog) != TERN_EOK)
		return ~0ull;
	if (tern_wait(r->ntfn, &bits) != TERN_EOK)
		return ~0ull;
	tern_timer_set(r->dog, 0, 0);
	return bits;
}

static int timer_fires(void)
{
	struct rig r = { 0 };
	int err = rig_open(&r);
	if (err)
		return err;
	uint64_t deadline = now_ns() + 2 * MS;
	CHECK_EQ(tern_timer_set(r.timer, deadline, r.cap_t), TERN_EOK);
	uint64_t bits = wait_dog(&r, 1000);
	uint64_t late = now_ns() - deadline;
	CHECK_EQ(bits, BIT_T);
	CHECK(now_ns() >= deadline);
	/* Well before the 5 ms scheduler tick: the LAPIC is armed for it (in
	 * icount mode; under TCG in real time a halted vCPU wakes late). */
	tern_printf("GUEST time: a 2 ms timer woke its waiter %lu us late\n", late / 1000);
	CHECK(late < MS);
	/* Once: no second signal. */
	bits = wait_dog(&r, 20);
	CHECK_EQ(bits, BIT_DOG);
	rig_close(&r);
	return 0;
}

static int timer_cancel(void)
{
	struct rig r = { 0 };
	int err = rig_open(&r);
	if (err)
		return err;
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 3 * MS, r.cap_t), TERN_EOK);
	CHECK_EQ(tern_timer_set(r.timer, 0, 0), TERN_EOK);
	CHECK_EQ(tern_timer_set(r.timer, 0, 0), TERN_EOK); /* cancelling twice is fine */
	CHECK_EQ(wait_dog(&r, 20), BIT_DOG);
	rig_close(&r);
	return 0;
}

static int timer_rearm(void)
{
	struct rig r = { 0 };
	int err = rig_open(&r);
	if (err)
		return err;
	/* A far deadline moved near: fires at the near one, once. */
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 10000 * MS, r.cap_t), TERN_EOK);
	uint64_t near = now_ns() + 2 * MS;
	CHECK_EQ(tern_timer_set(r.timer, near, r.cap_t), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 1000), BIT_T);
	CHECK(now_ns() >= near);
	/* A near deadline moved far: does not fire at the near one. */
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 2 * MS, r.cap_t), TERN_EOK);
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 10000 * MS, r.cap_t), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 20), BIT_DOG);
	/* Re-armed with another cap: that cap's badge is signalled. */
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 1 * MS, r.cap_dog), TERN_EOK);
	uint64_t bits = 0;
	CHECK_EQ(tern_wait(r.ntfn, &bits), TERN_EOK);
	CHECK_EQ(bits, BIT_DOG);
	/* A deadline already past fires at once. */
	CHECK_EQ(tern_timer_set(r.timer, 1, r.cap_t), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 1000), BIT_T);
	rig_close(&r);
	return 0;
}

static int timer_deleted_while_armed(void)
{
	struct rig r = { 0 };
	uint64_t used = guest_quota_used();
	int err = rig_open(&r);
	if (err)
		return err;
	/* The timer deleted: nothing fires, and the queue is intact. */
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 2 * MS, r.cap_t), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, r.timer, 64), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 20), BIT_DOG);
	/* The notification deleted under an armed timer (and under a waiting
	 * one): the timer is disarmed and works again with another. */
	uint64_t n2 = guest_create(TERN_CAP_NOTIFICATION, 0);
	r.timer = guest_create(TERN_CAP_TIMER, 0);
	CHECK(n2 && r.timer);
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 1 * MS, n2), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, n2, 64), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 10), BIT_DOG);
	CHECK_EQ(tern_timer_set(r.timer, now_ns() + 1 * MS, r.cap_t), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 1000), BIT_T);
	/* A copy of the timer cap deleted leaves it armed; the original
	 * deleted destroys it. */
	uint64_t copy = guest_slot();
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, copy, 64, r.timer, 64, TERN_RIGHTS_ALL),
		 TERN_EOK);
	CHECK_EQ(tern_timer_set(copy, now_ns() + 2 * MS, r.cap_t), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, copy, 64), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 1000), BIT_T);
	/* 200 armed timers deleted: the quota comes back whole. */
	uint64_t many[200];
	for (int i = 0; i < 200; i++) {
		many[i] = guest_create(TERN_CAP_TIMER, 0);
		CHECK(many[i]);
		CHECK_EQ(tern_timer_set(many[i], now_ns() + (uint64_t)(i + 50) * MS, r.cap_t),
			 TERN_EOK);
	}
	for (int i = 0; i < 200; i++)
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, many[i], 64), TERN_EOK);
	CHECK_EQ(wait_dog(&r, 300), BIT_DOG);
	rig_close(&r);
	CHECK_EQ(guest_quota_used(), used);
	return 0;
}

/* 62 timers at shuffled deadlines, each with its own badge bit: every one
 * fires, none before its deadline. */
static int timer_many(void)
{
	struct rig r = { 0 };
	int err = rig_open(&r);
	if (err)
		return err;
	uint64_t timers[62], caps[62], deadline[62], fired_at[62] = { 0 };
	uint64_t t0 = now_ns();
	for (int i = 0; i < 62; i++) {
		timers[i] = guest_create(TERN_CAP_TIMER, 0);
		caps[i] = guest_slot();
		CHECK(timers[i] && caps[i]);
		CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, caps[i], 64, r.ntfn, 64, TERN_RIGHTS_ALL,
					 1ull << (i + 1)),
			 TERN_EOK);
		deadline[i] = t0 + 2 * MS + (uint64_t)((i * 37) % 62) * 250000;
		CHECK_EQ(tern_timer_set(timers[i], deadline[i], caps[i]), TERN_EOK);
	}
	uint64_t all = ((1ull << 62) - 1) << 1, seen = 0;
	CHECK_EQ(tern_timer_set(r.dog, now_ns() + 2000 * MS, r.cap_dog), TERN_EOK);
	while (seen != all) {
		uint64_t bits = 0;
		CHECK_EQ(tern_wait(r.ntfn, &bits), TERN_EOK);
		CHECK(!(bits & BIT_DOG));
		uint64_t t = now_ns();
		for (int i = 0; i < 62; i++)
			if (bits & (1ull << (i + 1)))
				fired_at[i] = t;
		seen |= bits;
	}
	for (int i = 0; i < 62; i++)
		CHECK(fired_at[i] >= deadline[i]);
	for (int i = 0; i < 62; i++) {
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, timers[i], 64), TERN_EOK);
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, caps[i], 64), TERN_EOK);
	}
	rig_close(&r);
	return 0;
}

/* 2,000 timers due at the same moment: one interrupt fires at most
 * TIMER_FIRE_BATCH of them, so no interrupts-off stretch grows with the
 * number (boot with irqoff_stats; icount: the stretch is in guest
 * instructions). */
#define SAME_DEADLINE 2000

static int timer_expiry_bounded(void)
{
	static uint64_t timers[SAME_DEADLINE];
	struct rig r = { 0 };
	uint64_t out[4];
	int err = rig_open(&r);
	if (err)
		return err;
	for (int i = 0; i < SAME_DEADLINE; i++) {
		timers[i] = guest_create(TERN_CAP_TIMER, 0);
		CHECK(timers[i]);
	}
	uint64_t deadline = now_ns() + 20 * MS;
	for (int i = 0; i < SAME_DEADLINE; i++)
		CHECK_EQ(tern_timer_set(timers[i], deadline, r.cap_t), TERN_EOK);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_IRQ_OFF, 1, out), TERN_EOK); /* reset */
	/* Busy in user mode meanwhile, so the timer interrupts come from user
	 * mode, where the stretch is measured (not from the idle halt). */
	while (now_ns() < deadline + 3 * MS)
		;
	uint64_t bits = 0;
	CHECK_EQ(tern_poll(r.ntfn, &bits), TERN_EOK);
	CHECK_EQ(bits, BIT_T);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_IRQ_OFF, 0, out), TERN_EOK);
	uint64_t ns = out[0] * 1000 / (guest_bootinfo->tsc_hz / 1000000);
	tern_printf(
		"GUEST time: %d timers at one deadline: longest interrupts-off stretch %lu ns\n",
		SAME_DEADLINE, ns);
	CHECK(ns < 50000);
	for (int i = 0; i < SAME_DEADLINE; i++)
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, timers[i], 64), TERN_EOK);
	rig_close(&r);
	return 0;
}

static int timer_bad_arguments(void)
{
	struct rig r = { 0 };
	int err = rig_open(&r);
	if (err)
		return err;
	uint64_t ep = guest_create(TERN_CAP_ENDPOINT, 0);
	uint64_t ro_ntfn = guest_slot(), ro_timer = guest_slot();
	CHECK(ep && ro_ntfn && ro_timer);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, ro_ntfn, 64, r.ntfn, 64, TERN_RIGHT_READ),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, ro_timer, 64, r.timer, 64, TERN_RIGHT_READ),
		 TERN_EOK);
	uint64_t soon = now_ns() + 1 * MS;
	/* No cap with a deadline; a cap that is not a notification; a
	 * notification without the write right; a timer cap without it. */
	struct tern_msg m = { .info = tern_msginfo(TERN_INV_TIMER_SET, 0, 1), .mr = { soon } };
	CHECK_EQ(tern_call(r.timer, &m), TERN_EINVALID_ARGUMENT);
	CHECK_EQ(tern_timer_set(r.timer, soon, ep), TERN_EINVALID_CAPABILITY);
	CHECK_EQ(tern_timer_set(r.timer, soon, 0xdead), TERN_EFAILED_LOOKUP);
	CHECK_EQ(tern_timer_set(r.timer, soon, ro_ntfn), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_timer_set(ro_timer, soon, r.cap_t), TERN_EINSUFFICIENT_RIGHTS);
	/* No deadline word at all; an unknown label; TIMER_SET on another type. */
	m = (struct tern_msg){ .info = tern_msginfo(TERN_INV_TIMER_SET, 0, 0) };
	CHECK_EQ(tern_call(r.timer, &m), TERN_ETRUNCATED_MESSAGE);
	m = (struct tern_msg){ .info = tern_msginfo(TERN_INV_TIMER_SET + 1, 0, 1) };
	CHECK_EQ(tern_call(r.timer, &m), TERN_EILLEGAL_OPERATION);
	CHECK_EQ(tern_timer_set(r.ntfn, soon, r.cap_t), TERN_EILLEGAL_OPERATION);
	/* None of these armed anything. */
	CHECK_EQ(wait_dog(&r, 10), BIT_DOG);
	tern_cnode_delete(TERN_SLOT_CNODE, ro_timer, 64);
	tern_cnode_delete(TERN_SLOT_CNODE, ro_ntfn, 64);
	tern_cnode_delete(TERN_SLOT_CNODE, ep, 64);
	rig_close(&r);
	return 0;
}

static int rtc_sane(void)
{
	uint64_t wall = (clock->realtime_base + now_ns()) / 1000000000ull;

	tern_printf("GUEST time: CLOCK_REALTIME %lu s since the epoch\n", wall);
	CHECK(wall >= 1704067200ull); /* 2024-01-01 */
	CHECK(wall < 4102444800ull);  /* 2100-01-01 */
	return 0;
}

static int random_call(void)
{
	uint8_t a[TERN_RANDOM_MAX], b[TERN_RANDOM_MAX];

	CHECK_EQ(tern_random(a, sizeof(a)), TERN_EOK);
	CHECK_EQ(tern_random(b, sizeof(b)), TERN_EOK);
	int same = 0;
	for (unsigned i = 0; i < sizeof(a); i++)
		same += a[i] == b[i];
	CHECK(same < 32); /* 1 in 256 per byte by chance */
	CHECK_EQ(tern_random(a, 0), TERN_EOK);
	CHECK_EQ(tern_random(a, TERN_RANDOM_MAX + 1), TERN_EINVALID_ARGUMENT);
	CHECK_EQ(tern_random((void *)0, 16), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_random((void *)0x1000, 16), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_random((void *)0xffff800000000000ul, 16), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_random((void *)0x7ffffffffff8ul, 16), TERN_EBAD_ADDRESS);
	/* The clock page is read-only. */
	CHECK_EQ(tern_random((void *)(uintptr_t)guest_bootinfo->clock_vaddr, 8), TERN_EBAD_ADDRESS);
	return 0;
}

static int memory_query(void)
{
	uint64_t out[4];

	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_MEMORY, 0, out), TERN_EOK);
	CHECK(out[0] >= 256ull << 20); /* tests boot with at least 256 MiB */
	CHECK(out[1] > 0 && out[1] < out[0]);
	return 0;
}

static const struct guest_case cases[] = {
	{ "timer_fires", timer_fires },
	{ "timer_cancel", timer_cancel },
	{ "timer_rearm", timer_rearm },
	{ "timer_deleted_while_armed", timer_deleted_while_armed },
	{ "timer_many", timer_many },
	{ "timer_expiry_bounded", timer_expiry_bounded },
	{ "timer_bad_arguments", timer_bad_arguments },
	{ "rtc_sane", rtc_sane },
	{ "random_call", random_call },
	{ "memory_query", memory_query },
};

int main(void)
{
	clock = (const volatile struct tern_clock_page *)(uintptr_t)guest_bootinfo->clock_vaddr;
	guest_run("time", cases, sizeof(cases) / sizeof(cases[0]));
}
