/*
 * Moving a message between two threads: label and length, the badge, the
 * message words (registers, then IPC buffers) and at most one capability
 * (more are unwrapped to badges when they name the endpoint used, as in
 * seL4). A receiver without an IPC buffer gets the register words only.
 */
#include "kernel/ipc.h"

#include "kernel/cap.h"
#include "kernel/objects.h"
#include "kernel/tcb.h"
#include "tern/msginfo.h"

static struct tern_ipc_buffer *ipc_buffer_of(struct tcb *t)
{
	return t->ipc_buffer_cap.cap.type == TERN_CAP_MEMOBJ ? t->ipc_buffer : NULL;
}

/* Transfer the sender's caps; returns (caps count, unwrapped bits). */
static unsigned transfer_caps(struct tcb *from, struct tcb *to, unsigned ncaps,
			      struct endpoint *via, unsigned *unwrapped)
{
	struct tern_ipc_buffer *sb = ipc_buffer_of(from), *rb = ipc_buffer_of(to);
	unsigned done = 0;
	bool slot_used = false;

	*unwrapped = 0;
	if (!sb || !rb)
		return 0;
	for (unsigned i = 0; i < ncaps; i++) {
		struct cte *src;
		if (cspace_lookup_cap(&from->cspace_root.cap, sb->send_caps[i], &src) != TERN_EOK ||
		    cap_is_null(&src->cap))
			break;
		if (via && src->cap.type == TERN_CAP_ENDPOINT && src->cap.obj == via &&
		    src->cap.badge) {
			rb->recv_badges[i] = src->cap.badge;
			*unwrapped |= 1u << i;
			done++;
			continue;
		}
		struct cte *dst;
		if (slot_used || rb->recv_depth == 0 ||
		    lookup_dest_slot(to, rb->recv_cnode, rb->recv_index, rb->recv_depth, &dst) !=
			    TERN_EOK ||
		    cte_copy(dst, src, TERN_RIGHTS_ALL) != TERN_EOK)
			break;
		slot_used = true;
		done++;
	}
	return done;
}

void ipc_transfer(struct tcb *from, struct tcb *to, uint64_t badge, bool grant,
		  struct endpoint *via)
{
	tern_msginfo_t info = from->ctx.rsi;
	unsigned len = tern_msginfo_length(info);
	unsigned ncaps = tern_msginfo_caps(info);
	unsigned unwrapped = 0;

	if (from->fault_pending && via) {
		/* A fault message: built by the kernel, not from the registers. */
		to->ctx.rdx = from->fault_msg[0];
		to->ctx.r10 = from->fault_msg[1];
		to->ctx.r8 = from->fault_msg[2];
		to->ctx.r9 = from->fault_msg[3];
		to->ctx.rsi = tern_msginfo(from->fault_label, 0, 4);
		to->ctx.rdi = badge;
		return;
	}

	if (len > TERN_MSG_MAX_WORDS)
		len = TERN_MSG_MAX_WORDS;
	to->ctx.rdx = from->ctx.rdx;
	to->ctx.r10 = from->ctx.r10;
	to->ctx.r8 = from->ctx.r8;
	to->ctx.r9 = from->ctx.r9;
	if (len > TERN_MSG_REG_WORDS) {
		struct tern_ipc_buffer *sb = ipc_buffer_of(from), *rb = ipc_buffer_of(to);
		if (sb && rb)
			__builtin_memcpy(&rb->msg[TERN_MSG_REG_WORDS], &sb->msg[TERN_MSG_REG_WORDS],
					 (len - TERN_MSG_REG_WORDS) * sizeof(uint64_t));
		else
			len = TERN_MSG_REG_WORDS;
	}
	if (ncaps && grant)
		ncaps = transfer_caps(from, to, ncaps, via, &unwrapped);
	else
		ncaps = 0;
	to->ctx.rsi =
		tern_msginfo(tern_msginfo_label(info), ncaps, len) | ((uint64_t)unwrapped << 12);
	to->ctx.rdi = badge;
}
