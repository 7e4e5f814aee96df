/*
 * Invocation stubs: marshal arguments into a message, Call the object,
 * copy results out. Entry points: one per TERN_INV_* (sys/invoke.h).
 */
#include <stdint.h>

#include "common/string.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "tern/invocation.h"

#define REGS_WORDS (sizeof(struct tern_regs) / sizeof(uint64_t))
#define WORDS(...) (const uint64_t[]){ __VA_ARGS__ }, sizeof((uint64_t[]){ __VA_ARGS__ }) / 8
#define NO_WORDS NULL, 0
#define CAPS(...) (const tern_cptr_t[]){ __VA_ARGS__ }, sizeof((tern_cptr_t[]){ __VA_ARGS__ }) / 8
#define NO_CAPS NULL, 0

/* Words past MR3 go to msg[4..]; results are read from the same places. */
static enum tern_error invoke(tern_cptr_t obj, enum tern_invocation label, const uint64_t *args,
			      unsigned nargs, const tern_cptr_t *caps, unsigned ncaps,
			      uint64_t *results, unsigned nresults)
{
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	struct tern_msg m = { .info = tern_msginfo(label, ncaps, nargs) };
	enum tern_error err;

	for (unsigned i = 0; i < nargs; i++) {
		if (i < TERN_MSG_REG_WORDS)
			m.mr[i] = args[i];
		else
			ipc->msg[i] = args[i];
	}
	for (unsigned i = 0; i < ncaps; i++)
		ipc->send_caps[i] = caps[i];
	err = tern_call(obj, &m);
	if (err != TERN_EOK)
		return err;
	for (unsigned i = 0; i < nresults; i++)
		results[i] = i < TERN_MSG_REG_WORDS ? m.mr[i] : ipc->msg[i];
	return TERN_EOK;
}

static enum tern_error invoke_cnode(tern_cptr_t cnode, enum tern_invocation label,
				    tern_cptr_t src_root, const uint64_t *args, unsigned nargs)
{
	if (src_root)
		return invoke(cnode, label, args, nargs, CAPS(src_root), NULL, 0);
	return invoke(cnode, label, args, nargs, NO_CAPS, NULL, 0);
}

enum tern_error tern_cnode_copy_from(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				     tern_cptr_t src_root, uint64_t src_index, uint64_t src_depth,
				     uint64_t rights)
{
	return invoke_cnode(cnode, TERN_INV_CNODE_COPY, src_root,
			    WORDS(dst_index, dst_depth, src_index, src_depth, rights));
}

enum tern_error tern_cnode_mint_from(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				     tern_cptr_t src_root, uint64_t src_index, uint64_t src_depth,
				     uint64_t rights, uint64_t badge)
{
	return invoke_cnode(cnode, TERN_INV_CNODE_MINT, src_root,
			    WORDS(dst_index, dst_depth, src_index, src_depth, rights, badge));
}

enum tern_error tern_cnode_move_from(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				     tern_cptr_t src_root, uint64_t src_index, uint64_t src_depth)
{
	return invoke_cnode(cnode, TERN_INV_CNODE_MOVE, src_root,
			    WORDS(dst_index, dst_depth, src_index, src_depth));
}

enum tern_error tern_cnode_copy(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				uint64_t src_index, uint64_t src_depth, uint64_t rights)
{
	return tern_cnode_copy_from(cnode, dst_index, dst_depth, 0, src_index, src_depth, rights);
}

enum tern_error tern_cnode_mint(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				uint64_t src_index, uint64_t src_depth, uint64_t rights,
				uint64_t badge)
{
	return tern_cnode_mint_from(cnode, dst_index, dst_depth, 0, src_index, src_depth, rights,
				    badge);
}

enum tern_error tern_cnode_move(tern_cptr_t cnode, uint64_t dst_index, uint64_t dst_depth,
				uint64_t src_index, uint64_t src_depth)
{
	return tern_cnode_move_from(cnode, dst_index, dst_depth, 0, src_index, src_depth);
}

enum tern_error tern_cnode_delete(tern_cptr_t cnode, uint64_t index, uint64_t depth)
{
	return invoke(cnode, TERN_INV_CNODE_DELETE, WORDS(index, depth), NO_CAPS, NULL, 0);
}

enum tern_error tern_cnode_remove(tern_cptr_t cnode, uint64_t index, uint64_t depth)
{
	return invoke(cnode, TERN_INV_CNODE_REMOVE, WORDS(index, depth), NO_CAPS, NULL, 0);
}

enum tern_error tern_cnode_revoke(tern_cptr_t cnode, uint64_t index, uint64_t depth)
{
	return invoke(cnode, TERN_INV_CNODE_REVOKE, WORDS(index, depth), NO_CAPS, NULL, 0);
}

enum tern_error tern_cnode_derived(tern_cptr_t cnode, uint64_t index, uint64_t depth,
				   uint64_t *derived)
{
	uint64_t out[1] = { 0 };
	enum tern_error err =
		invoke(cnode, TERN_INV_CNODE_DERIVED, WORDS(index, depth), NO_CAPS, out, 1);

	*derived = out[0];
	return err;
}

enum tern_error tern_quota_create(tern_cptr_t quota, uint64_t type, uint64_t size,
				  tern_cptr_t dst_cnode, uint64_t dst_index, uint64_t dst_depth)
{
	return invoke(quota, TERN_INV_QUOTA_CREATE,
		      WORDS(type, size, dst_cnode, dst_index, dst_depth), NO_CAPS, NULL, 0);
}

enum tern_error tern_quota_split(tern_cptr_t quota, uint64_t bytes, tern_cptr_t dst_cnode,
				 uint64_t dst_index, uint64_t dst_depth)
{
	return invoke(quota, TERN_INV_QUOTA_SPLIT, WORDS(bytes, dst_cnode, dst_index, dst_depth),
		      NO_CAPS, NULL, 0);
}

enum tern_error tern_quota_query(tern_cptr_t quota, uint64_t *used, uint64_t *limit)
{
	uint64_t res[2];
	enum tern_error err = invoke(quota, TERN_INV_QUOTA_QUERY, NO_WORDS, NO_CAPS, res, 2);

	if (err == TERN_EOK) {
		if (used)
			*used = res[0];
		if (limit)
			*limit = res[1];
	}
	return err;
}

enum tern_error tern_tcb_configure(tern_cptr_t tcb, tern_cptr_t fault_ep, uint64_t ipc_buf_vaddr,
				   uint64_t ipc_page, tern_cptr_t cspace, tern_cptr_t vspace,
				   tern_cptr_t ipc_memobj)
{
	return invoke(tcb, TERN_INV_TCB_CONFIGURE, WORDS(fault_ep, ipc_buf_vaddr, ipc_page),
		      CAPS(cspace, vspace, ipc_memobj), NULL, 0);
}

enum tern_error tern_tcb_set_priority(tern_cptr_t tcb, uint64_t priority)
{
	return invoke(tcb, TERN_INV_TCB_SET_PRIORITY, WORDS(priority), NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_write_registers(tern_cptr_t tcb, int resume, const struct tern_regs *regs)
{
	uint64_t args[TERN_MSG_REG_WORDS + REGS_WORDS] = { resume ? 1 : 0 };

	memcpy(&args[TERN_MSG_REG_WORDS], regs, sizeof(*regs));
	return invoke(tcb, TERN_INV_TCB_WRITE_REGISTERS, args, TERN_MSG_REG_WORDS + REGS_WORDS,
		      NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_read_registers(tern_cptr_t tcb, struct tern_regs *regs)
{
	uint64_t res[TERN_MSG_REG_WORDS + REGS_WORDS];
	enum tern_error err = invoke(tcb, TERN_INV_TCB_READ_REGISTERS, NO_WORDS, NO_CAPS, res,
				     TERN_MSG_REG_WORDS + REGS_WORDS);

	if (err == TERN_EOK)
		memcpy(regs, &res[TERN_MSG_REG_WORDS], sizeof(*regs));
	return err;
}

enum tern_error tern_tcb_resume(tern_cptr_t tcb)
{
	return invoke(tcb, TERN_INV_TCB_RESUME, NO_WORDS, NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_suspend(tern_cptr_t tcb)
{
	return invoke(tcb, TERN_INV_TCB_SUSPEND, NO_WORDS, NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_bind_notification(tern_cptr_t tcb, tern_cptr_t ntfn, uint64_t upcall_mask)
{
	if (ntfn)
		return invoke(tcb, TERN_INV_TCB_BIND_NOTIFICATION, WORDS(upcall_mask), CAPS(ntfn),
			      NULL, 0);
	return invoke(tcb, TERN_INV_TCB_BIND_NOTIFICATION, WORDS(upcall_mask), NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_set_personality(tern_cptr_t tcb, uint64_t entry, uint64_t code_lo,
					 uint64_t code_hi)
{
	return invoke(tcb, TERN_INV_TCB_SET_PERSONALITY, WORDS(entry, code_lo, code_hi), NO_CAPS,
		      NULL, 0);
}

enum tern_error tern_machine_exit(tern_cptr_t machine, uint64_t action, uint64_t code)
{
	return invoke(machine, TERN_INV_MACHINE_EXIT, WORDS(action, code), NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_set_fault_fixup(tern_cptr_t tcb, uint64_t lo, uint64_t hi, uint64_t fixup)
{
	return invoke(tcb, TERN_INV_TCB_SET_FAULT_FIXUP, WORDS(lo, hi, fixup), NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_set_tls(tern_cptr_t tcb, uint64_t fs_base, uint64_t gs_base)
{
	return invoke(tcb, TERN_INV_TCB_SET_TLS, WORDS(fs_base, gs_base), NO_CAPS, NULL, 0);
}

enum tern_error tern_tcb_copy_fpu(tern_cptr_t tcb, tern_cptr_t source_tcb)
{
	return invoke(tcb, TERN_INV_TCB_COPY_FPU, NO_WORDS, CAPS(source_tcb), NULL, 0);
}

enum tern_error tern_irq_control_get(tern_cptr_t irq_control, uint64_t isa_irq,
				     tern_cptr_t dst_cnode, uint64_t dst_index, uint64_t dst_depth)
{
	return invoke(irq_control, TERN_INV_IRQ_CONTROL_GET,
		      WORDS(isa_irq, dst_cnode, dst_index, dst_depth), NO_CAPS, NULL, 0);
}

enum tern_error tern_irq_handler_ack(tern_cptr_t handler)
{
	return invoke(handler, TERN_INV_IRQ_HANDLER_ACK, NO_WORDS, NO_CAPS, NULL, 0);
}

enum tern_error tern_irq_handler_set_notification(tern_cptr_t handler, tern_cptr_t ntfn)
{
	return invoke(handler, TERN_INV_IRQ_HANDLER_SET_NOTIFICATION, NO_WORDS, CAPS(ntfn), NULL,
		      0);
}

enum tern_error tern_ioport_in(tern_cptr_t ioport, uint64_t port, uint64_t width, uint64_t *value)
{
	return invoke(ioport, TERN_INV_IOPORT_IN, WORDS(port, width), NO_CAPS, value, 1);
}

enum tern_error tern_ioport_out(tern_cptr_t ioport, uint64_t port, uint64_t width, uint64_t value)
{
	return invoke(ioport, TERN_INV_IOPORT_OUT, WORDS(port, width, value), NO_CAPS, NULL, 0);
}

enum tern_error tern_ioport_mint_range(tern_cptr_t ioport, uint64_t first, uint64_t last,
				       tern_cptr_t dst_cnode, uint64_t dst_index,
				       uint64_t dst_depth)
{
	return invoke(ioport, TERN_INV_IOPORT_MINT_RANGE,
		      WORDS(first, last, dst_cnode, dst_index, dst_depth), NO_CAPS, NULL, 0);
}

enum tern_error tern_vspace_map(tern_cptr_t vspace, uint64_t vaddr, tern_cptr_t memobj,
				uint64_t offset_pages, uint64_t pages, uint64_t rights)
{
	return invoke(vspace, TERN_INV_VSPACE_MAP, WORDS(vaddr, offset_pages, pages, rights),
		      CAPS(memobj), NULL, 0);
}

enum tern_error tern_vspace_unmap(tern_cptr_t vspace, uint64_t vaddr, uint64_t pages)
{
	return invoke(vspace, TERN_INV_VSPACE_UNMAP, WORDS(vaddr, pages), NO_CAPS, NULL, 0);
}

enum tern_error tern_vspace_protect(tern_cptr_t vspace, uint64_t vaddr, uint64_t pages,
				    uint64_t rights)
{
	return invoke(vspace, TERN_INV_VSPACE_PROTECT, WORDS(vaddr, pages, rights), NO_CAPS, NULL,
		      0);
}

enum tern_error tern_vspace_query(tern_cptr_t vspace, uint64_t vaddr, uint64_t out[3])
{
	return invoke(vspace, TERN_INV_VSPACE_QUERY, WORDS(vaddr), NO_CAPS, out, 3);
}

enum tern_error tern_memobj_size(tern_cptr_t memobj, uint64_t *pages)
{
	return invoke(memobj, TERN_INV_MEMOBJ_SIZE, NO_WORDS, NO_CAPS, pages, 1);
}

enum tern_error tern_memobj_mapped(tern_cptr_t memobj, uint64_t *mapped)
{
	uint64_t res[2] = { 0, 1 };
	enum tern_error err = invoke(memobj, TERN_INV_MEMOBJ_SIZE, NO_WORDS, NO_CAPS, res, 2);

	*mapped = res[1];
	return err;
}

enum tern_error tern_memobj_stat(tern_cptr_t memobj, uint64_t *pages, uint64_t *present)
{
	uint64_t out[3] = { 0, 0, 0 };
	enum tern_error err = invoke(memobj, TERN_INV_MEMOBJ_SIZE, NO_WORDS, NO_CAPS, out, 3);

	*pages = out[0];
	*present = out[2];
	return err;
}

enum tern_error tern_memobj_clone(tern_cptr_t memobj, tern_cptr_t quota, tern_cptr_t dst_cnode,
				  uint64_t dst_index, uint64_t dst_depth)
{
	return invoke(memobj, TERN_INV_MEMOBJ_CLONE, WORDS(dst_cnode, dst_index, dst_depth),
		      CAPS(quota), NULL, 0);
}

enum tern_error tern_timer_set(tern_cptr_t timer, uint64_t deadline_ns, tern_cptr_t ntfn)
{
	if (deadline_ns == 0)
		return invoke(timer, TERN_INV_TIMER_SET, WORDS(0), NO_CAPS, NULL, 0);
	return invoke(timer, TERN_INV_TIMER_SET, WORDS(deadline_ns), CAPS(ntfn), NULL, 0);
}

/*
 * Every invocation in TERN_INVOCATIONS must have a stub here: the table
 * below names one per label, so a new label without a stub fails to build.
 */
#define STUB_CNODE_COPY tern_cnode_copy
#define STUB_CNODE_MINT tern_cnode_mint
#define STUB_CNODE_MOVE tern_cnode_move
#define STUB_CNODE_DELETE tern_cnode_delete
#define STUB_CNODE_REVOKE tern_cnode_revoke
#define STUB_CNODE_DERIVED tern_cnode_derived
#define STUB_CNODE_REMOVE tern_cnode_remove
#define STUB_QUOTA_CREATE tern_quota_create
#define STUB_QUOTA_SPLIT tern_quota_split
#define STUB_QUOTA_QUERY tern_quota_query
#define STUB_TCB_CONFIGURE tern_tcb_configure
#define STUB_TCB_SET_PRIORITY tern_tcb_set_priority
#define STUB_TCB_WRITE_REGISTERS tern_tcb_write_registers
#define STUB_TCB_READ_REGISTERS tern_tcb_read_registers
#define STUB_TCB_RESUME tern_tcb_resume
#define STUB_TCB_SUSPEND tern_tcb_suspend
#define STUB_TCB_BIND_NOTIFICATION tern_tcb_bind_notification
#define STUB_TCB_SET_PERSONALITY tern_tcb_set_personality
#define STUB_TCB_SET_TLS tern_tcb_set_tls
#define STUB_TCB_SET_FAULT_FIXUP tern_tcb_set_fault_fixup
#define STUB_MACHINE_EXIT tern_machine_exit
#define STUB_TCB_COPY_FPU tern_tcb_copy_fpu
#define STUB_IRQ_CONTROL_GET tern_irq_control_get
#define STUB_IRQ_HANDLER_ACK tern_irq_handler_ack
#define STUB_IRQ_HANDLER_SET_NOTIFICATION tern_irq_handler_set_notification
#define STUB_IOPORT_IN tern_ioport_in
#define STUB_IOPORT_OUT tern_ioport_out
#define STUB_IOPORT_MINT_RANGE tern_ioport_mint_range
#define STUB_VSPACE_MAP tern_vspace_map
#define STUB_VSPACE_UNMAP tern_vspace_unmap
#define STUB_VSPACE_PROTECT tern_vspace_protect
#define STUB_VSPACE_QUERY tern_vspace_query
#define STUB_MEMOBJ_SIZE tern_memobj_size
#define STUB_MEMOBJ_CLONE tern_memobj_clone
#define STUB_TIMER_SET tern_timer_set

#define STUB_ENTRY(name, num, type, nwords, needs, args) (void (*)(void)) STUB_##name,
static void (*const all_stubs[])(void) __attribute__((unused)) = { TERN_INVOCATIONS(STUB_ENTRY) };
#undef STUB_ENTRY
