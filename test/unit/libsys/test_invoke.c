/*
 * Invocation and system call stubs against the fake kernel: each stub
 * must produce exactly the label, words (MR0..3 in registers, the rest in
 * the IPC buffer), capability arguments and registers of tern/syscall.h
 * and tern/invocation.h, and copy results out only on success.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <sys/invoke.h>
#include <tern/invocation.h>

#include "fake_kernel.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define W(...) (const uint64_t[]){ __VA_ARGS__ }, N(((const uint64_t[]){ __VA_ARGS__ }))
#define NOW NULL, 0
#define C(...) (const uint64_t[]){ __VA_ARGS__ }, N(((const uint64_t[]){ __VA_ARGS__ }))
#define NOC NULL, 0

static void check_invocation(tern_cptr_t obj, uint64_t label, const uint64_t *words,
			     unsigned nwords, const uint64_t *caps, unsigned ncaps)
{
	const struct fake_call *c = &fake_log[fake_ncalls - 1];

	assert_int_equal(fake_ncalls, 1);
	assert_int_equal(c->num, TERN_SYS_CALL);
	assert_int_equal(c->in.rdi, obj);
	assert_int_equal(c->label, label);
	assert_int_equal(c->length, nwords);
	assert_int_equal(c->ncaps, ncaps);
	for (unsigned i = 0; i < nwords; i++)
		assert_int_equal(c->words[i], words[i]);
	for (unsigned i = 0; i < ncaps; i++)
		assert_int_equal(c->caps[i], caps[i]);
}

static void test_cnode(void **state)
{
	(void)state;
	fake_reset(NULL);
	assert_int_equal(tern_cnode_copy(2, 20, 64, 21, 64, 0xf), TERN_EOK);
	check_invocation(2, TERN_INV_CNODE_COPY, W(20, 64, 21, 64, 0xf), NOC);
	fake_reset(NULL);
	tern_cnode_mint(2, 20, 64, 21, 64, 3, 0xbad0);
	check_invocation(2, TERN_INV_CNODE_MINT, W(20, 64, 21, 64, 3, 0xbad0), NOC);
	fake_reset(NULL);
	tern_cnode_move(2, 20, 64, 21, 64);
	check_invocation(2, TERN_INV_CNODE_MOVE, W(20, 64, 21, 64), NOC);
	fake_reset(NULL);
	tern_cnode_delete(2, 20, 64);
	check_invocation(2, TERN_INV_CNODE_DELETE, W(20, 64), NOC);
	fake_reset(NULL);
	tern_cnode_revoke(2, 20, 64);
	check_invocation(2, TERN_INV_CNODE_REVOKE, W(20, 64), NOC);
	fake_reset(NULL);
	uint64_t derived = 7;
	tern_cnode_derived(2, 20, 64, &derived);
	check_invocation(2, TERN_INV_CNODE_DERIVED, W(20, 64), NOC);
	fake_reset(NULL);
	tern_cnode_copy_from(30, 1, 64, 2, 21, 64, 0xf);
	check_invocation(30, TERN_INV_CNODE_COPY, W(1, 64, 21, 64, 0xf), C(2));
	fake_reset(NULL);
	tern_cnode_mint_from(30, 1, 64, 2, 21, 64, 0xf, 7);
	check_invocation(30, TERN_INV_CNODE_MINT, W(1, 64, 21, 64, 0xf, 7), C(2));
	fake_reset(NULL);
	tern_cnode_move_from(30, 1, 64, 2, 21, 64);
	check_invocation(30, TERN_INV_CNODE_MOVE, W(1, 64, 21, 64), C(2));
}

static uint64_t answer_quota(const struct fake_call *c, struct tern_sysregs *r)
{
	(void)c;
	r->mr[0] = 4096;
	r->mr[1] = 1 << 20;
	return TERN_EOK;
}

static uint64_t refuse(const struct fake_call *c, struct tern_sysregs *r)
{
	(void)c;
	r->mr[0] = 0xdead;
	return TERN_EINSUFFICIENT_RIGHTS;
}

static void test_quota(void **state)
{
	uint64_t used = 0, limit = 0;

	(void)state;
	fake_reset(NULL);
	tern_quota_create(4, TERN_CAP_CNODE, 8, 2, 100, 64);
	/* Five words: the fifth travels in the IPC buffer. */
	check_invocation(4, TERN_INV_QUOTA_CREATE, W(TERN_CAP_CNODE, 8, 2, 100, 64), NOC);
	assert_int_equal(fake_ipc.msg[4], 64);
	fake_reset(NULL);
	tern_quota_split(4, 65536, 2, 101, 64);
	check_invocation(4, TERN_INV_QUOTA_SPLIT, W(65536, 2, 101, 64), NOC);
	fake_reset(answer_quota);
	assert_int_equal(tern_quota_query(4, &used, &limit), TERN_EOK);
	check_invocation(4, TERN_INV_QUOTA_QUERY, NOW, NOC);
	assert_int_equal(used, 4096);
	assert_int_equal(limit, 1 << 20);
	fake_reset(refuse);
	used = limit = 1;
	assert_int_equal(tern_quota_query(4, &used, &limit), TERN_EINSUFFICIENT_RIGHTS);
	assert_int_equal(used, 1);
	assert_int_equal(limit, 1);
}

static uint64_t answer_regs(const struct fake_call *c, struct tern_sysregs *r)
{
	(void)c;
	for (unsigned i = 0; i < sizeof(struct tern_regs) / 8; i++)
		fake_ipc.msg[4 + i] = 1000 + i;
	(void)r;
	return TERN_EOK;
}

static void test_tcb(void **state)
{
	struct tern_regs regs;
	uint64_t words[24] = { 1 };

	(void)state;
	fake_reset(NULL);
	tern_tcb_configure(40, 4, 0x7ffffff80000, 5, 41, 42, 43);
	check_invocation(40, TERN_INV_TCB_CONFIGURE, W(4, 0x7ffffff80000, 5), C(41, 42, 43));
	fake_reset(NULL);
	tern_tcb_set_priority(40, 100);
	check_invocation(40, TERN_INV_TCB_SET_PRIORITY, W(100), NOC);

	for (unsigned i = 0; i < 20; i++)
		((uint64_t *)&regs)[i] = 500 + i;
	for (unsigned i = 0; i < 20; i++)
		words[4 + i] = 500 + i;
	fake_reset(NULL);
	tern_tcb_write_registers(40, 1, &regs);
	check_invocation(40, TERN_INV_TCB_WRITE_REGISTERS, words, 24, NOC);
	assert_memory_equal(&fake_ipc.msg[4], &regs, sizeof(regs));

	fake_reset(answer_regs);
	memset(&regs, 0, sizeof(regs));
	assert_int_equal(tern_tcb_read_registers(40, &regs), TERN_EOK);
	check_invocation(40, TERN_INV_TCB_READ_REGISTERS, NOW, NOC);
	assert_int_equal(regs.rax, 1000);
	assert_int_equal(regs.gs_base, 1019);
	assert_int_equal(regs.rip, 1016);

	fake_reset(NULL);
	tern_tcb_resume(40);
	check_invocation(40, TERN_INV_TCB_RESUME, NOW, NOC);
	fake_reset(NULL);
	tern_tcb_suspend(40);
	check_invocation(40, TERN_INV_TCB_SUSPEND, NOW, NOC);
	fake_reset(NULL);
	tern_tcb_bind_notification(40, 50, 0x3);
	check_invocation(40, TERN_INV_TCB_BIND_NOTIFICATION, W(3), C(50));
	fake_reset(NULL);
	tern_tcb_bind_notification(40, 0, 0);
	check_invocation(40, TERN_INV_TCB_BIND_NOTIFICATION, W(0), NOC);
	fake_reset(NULL);
	tern_tcb_set_personality(40, 0x10000, 0x10000, 0x20000);
	check_invocation(40, TERN_INV_TCB_SET_PERSONALITY, W(0x10000, 0x10000, 0x20000), NOC);
	fake_reset(NULL);
	tern_tcb_set_tls(40, 0x1234, 0x5678);
	check_invocation(40, TERN_INV_TCB_SET_TLS, W(0x1234, 0x5678), NOC);
}

static uint64_t answer_port(const struct fake_call *c, struct tern_sysregs *r)
{
	(void)c;
	r->mr[0] = 0x5a;
	return TERN_EOK;
}

static void test_irq_ioport(void **state)
{
	uint64_t value = 0;

	(void)state;
	fake_reset(NULL);
	tern_irq_control_get(5, 4, 2, 60, 64);
	check_invocation(5, TERN_INV_IRQ_CONTROL_GET, W(4, 2, 60, 64), NOC);
	fake_reset(NULL);
	tern_irq_handler_ack(60);
	check_invocation(60, TERN_INV_IRQ_HANDLER_ACK, NOW, NOC);
	fake_reset(NULL);
	tern_irq_handler_set_notification(60, 61);
	check_invocation(60, TERN_INV_IRQ_HANDLER_SET_NOTIFICATION, NOW, C(61));
	fake_reset(answer_port);
	assert_int_equal(tern_ioport_in(6, 0x3f8 + 5, 1, &value), TERN_EOK);
	check_invocation(6, TERN_INV_IOPORT_IN, W(0x3fd, 1), NOC);
	assert_int_equal(value, 0x5a);
	fake_reset(NULL);
	tern_ioport_out(6, 0x3f8, 1, 'A');
	check_invocation(6, TERN_INV_IOPORT_OUT, W(0x3f8, 1, 'A'), NOC);
	fake_reset(NULL);
	tern_ioport_mint_range(6, 0x3f8, 0x3ff, 2, 70, 64);
	check_invocation(6, TERN_INV_IOPORT_MINT_RANGE, W(0x3f8, 0x3ff, 2, 70, 64), NOC);
}

static void test_vspace_memobj(void **state)
{
	uint64_t pages = 0;

	(void)state;
	fake_reset(NULL);
	tern_vspace_map(3, 0x400000, 80, 2, 5, TERN_RIGHT_READ | TERN_RIGHT_EXEC);
	check_invocation(3, TERN_INV_VSPACE_MAP, W(0x400000, 2, 5, 9), C(80));
	fake_reset(NULL);
	tern_vspace_unmap(3, 0x400000, 5);
	check_invocation(3, TERN_INV_VSPACE_UNMAP, W(0x400000, 5), NOC);
	fake_reset(answer_port);
	assert_int_equal(tern_memobj_size(80, &pages), TERN_EOK);
	check_invocation(80, TERN_INV_MEMOBJ_SIZE, NOW, NOC);
	assert_int_equal(pages, 0x5a);
}

static uint64_t answer_ipc(const struct fake_call *c, struct tern_sysregs *r)
{
	(void)c;
	r->rdi = 0xb0b;
	r->rsi = tern_msginfo(77, 0, 2);
	r->mr[0] = 10;
	r->mr[1] = 20;
	return TERN_EOK;
}

static void check_regs(uint64_t num, uint64_t rdi, uint64_t rsi, uint64_t r12)
{
	const struct fake_call *c = &fake_log[fake_ncalls - 1];

	assert_int_equal(c->num, num);
	assert_int_equal(c->in.rdi, rdi);
	assert_int_equal(c->in.rsi, rsi);
	assert_int_equal(c->in.r12, r12);
}

static void test_syscalls(void **state)
{
	struct tern_msg m = { .info = tern_msginfo(5, 0, 2), .mr = { 1, 2, 3, 4 } };
	uint64_t bits = 0, out[4] = { 0 };
	static const char text[] = "hi";

	(void)state;
	fake_reset(answer_ipc);
	assert_int_equal(tern_call(9, &m), TERN_EOK);
	check_regs(TERN_SYS_CALL, 9, tern_msginfo(5, 0, 2), 0);
	assert_int_equal(fake_log[0].in.mr[3], 4);
	assert_int_equal(m.badge, 0xb0b);
	assert_int_equal(tern_msginfo_label(m.info), 77);
	assert_int_equal(m.mr[1], 20);

	tern_send(9, &m);
	check_regs(TERN_SYS_SEND, 9, m.info, 0);
	tern_nbsend(9, &m);
	check_regs(TERN_SYS_NBSEND, 9, m.info, 0);
	tern_recv(9, 11, &m);
	check_regs(TERN_SYS_RECV, 9, 0, 11);
	tern_nbrecv(9, 11, &m);
	check_regs(TERN_SYS_NBRECV, 9, 0, 11);
	m.info = tern_msginfo(0, 0, 1);
	tern_reply_recv(9, 11, &m);
	check_regs(TERN_SYS_REPLY_RECV, 9, tern_msginfo(0, 0, 1), 11);
	assert_int_equal(m.badge, 0xb0b);
	m.info = tern_msginfo(0, 0, 1);
	tern_reply(11, &m);
	check_regs(TERN_SYS_REPLY, 11, tern_msginfo(0, 0, 1), 11);
	tern_yield();
	assert_int_equal(fake_log[fake_ncalls - 1].num, TERN_SYS_YIELD);
	tern_signal(12);
	check_regs(TERN_SYS_SIGNAL, 12, 0, 0);
	tern_wait(12, &bits);
	check_regs(TERN_SYS_WAIT, 12, 0, 0);
	assert_int_equal(bits, 0xb0b);
	bits = 0;
	tern_poll(12, &bits);
	check_regs(TERN_SYS_POLL, 12, 0, 0);
	assert_int_equal(bits, 0xb0b);
	tern_resume();
	assert_int_equal(fake_log[fake_ncalls - 1].num, TERN_SYS_RESUME);
	tern_debug_puts(text, 2);
	check_regs(TERN_SYS_DEBUG_PUTS, (uint64_t)(uintptr_t)text, 2, 0);
	tern_debug_query(TERN_DEBUG_QUERY_QUOTA, 4, out);
	check_regs(TERN_SYS_DEBUG_QUERY, TERN_DEBUG_QUERY_QUOTA, 0, 0);
	assert_int_equal(fake_log[fake_ncalls - 1].in.mr[0], 4);
	assert_int_equal(out[0], 10);
	assert_int_equal(out[1], 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cnode),	      cmocka_unit_test(test_quota),
		cmocka_unit_test(test_tcb),	      cmocka_unit_test(test_irq_ioport),
		cmocka_unit_test(test_vspace_memobj), cmocka_unit_test(test_syscalls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
