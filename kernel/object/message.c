/*
 * Reading invocation arguments out of the caller's message: words from
 * its registers and IPC buffer, capabilities it sent, destination slots.
 */
#include "kernel/objects.h"
#include "kernel/tcb.h"
#include "tern/invocation.h"
#include "tern/msginfo.h"

/* The fixed argument words and the rights each invocation needs, from the
 * ABI's one list. */
static const struct {
	uint8_t type, words, rights;
} invocation_args[] = {
#define INVOCATION_ARGS(name, num, type, nwords, needs, args) \
	[num] = { TERN_CAP_##type, nwords, TERN_INV_NEEDS_##needs },
	TERN_INVOCATIONS(INVOCATION_ARGS)
#undef INVOCATION_ARGS
};

int msg_check_args(struct tcb *t, const struct cap *c, uint64_t label)
{
	if (label >= sizeof(invocation_args) / sizeof(invocation_args[0]) ||
	    invocation_args[label].type != c->type)
		return TERN_EOK; /* not this object's: its invoke refuses the label */
	if ((c->rights & invocation_args[label].rights) != invocation_args[label].rights)
		return TERN_EINSUFFICIENT_RIGHTS;
	if (tern_msginfo_length(t->ctx.rsi) < invocation_args[label].words)
		return TERN_ETRUNCATED_MESSAGE;
	return TERN_EOK;
}

uint64_t msg_word(struct tcb *t, unsigned i)
{
	if (i < TERN_MSG_REG_WORDS)
		return *frame_mr(&t->ctx, i);
	if (i >= tern_msginfo_length(t->ctx.rsi) || i >= TERN_MSG_MAX_WORDS ||
	    t->ipc_buffer_cap.cap.type != TERN_CAP_MEMOBJ)
		return 0;
	return t->ipc_buffer->msg[i];
}

void msg_set_word(struct tcb *t, unsigned i, uint64_t v)
{
	if (i < TERN_MSG_REG_WORDS)
		*frame_mr(&t->ctx, i) = v;
	else if (i < TERN_MSG_MAX_WORDS && t->ipc_buffer_cap.cap.type == TERN_CAP_MEMOBJ)
		t->ipc_buffer->msg[i] = v;
}

int msg_cap(struct tcb *t, unsigned i, struct cte **slot)
{
	if (i >= tern_msginfo_caps(t->ctx.rsi) || t->ipc_buffer_cap.cap.type != TERN_CAP_MEMOBJ)
		return TERN_EINVALID_ARGUMENT;
	int err = cspace_lookup_cap(&t->cspace_root.cap, t->ipc_buffer->send_caps[i], slot);
	if (err)
		return err;
	return cap_is_null(&(*slot)->cap) ? TERN_EINVALID_CAPABILITY : TERN_EOK;
}

int lookup_dest_slot(struct tcb *t, tern_cptr_t cnode, uint64_t index, uint64_t depth,
		     struct cte **slot)
{
	struct cte *c;

	if (depth < 1 || depth > 64)
		return TERN_ERANGE_ERROR;
	int err = cspace_lookup_cap(&t->cspace_root.cap, cnode, &c);
	if (err)
		return err;
	if (c->cap.type != TERN_CAP_CNODE)
		return TERN_EINVALID_CAPABILITY;
	return cspace_lookup_slot(&c->cap, index, (unsigned)depth, slot);
}
