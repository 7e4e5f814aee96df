/*
 * A child task for the IPC tests. It serves on the endpoint in
 * TERN_CHILD_SLOT_ARG_CAP with the Reply objects in slots 11 and 12:
 *   label 1 (ECHO): reply MR0 + 1, MR1 = the badge seen
 *   label 2 (SIGNAL_CAP): the message carries a notification cap, which
 *           arrives in slot 13; signal it and reply
 *   label 4 (LONG): reply with as many words as arrived (registers and
 *           IPC buffer), each the complement of the word received, so a
 *           word lost in either direction comes back wrong
 *   label 5 (INFO): reply MR0 = the message info word as it arrived
 *   label 3 (DEFER): keep the first caller waiting (Reply object 11),
 *           receive the second with Reply object 12, answer the second,
 *           then the first; replies carry the order (1 = answered first)
 */
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "tern/caps.h"

#include "guest_proto.h"

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	struct tern_msg m;

	b->recv_cnode = TERN_CHILD_SLOT_CNODE_SELF;
	b->recv_index = ECHO_RECV_SLOT;
	b->recv_depth = 64;
	tern_recv(TERN_CHILD_SLOT_ARG_CAP_SELF, ECHO_REPLY_A, &m);
	for (;;) {
		uint64_t label = tern_msginfo_label(m.info);
		struct tern_msg r = { .info = tern_msginfo(0, 0, 2) };
		if (label == ECHO_ECHO) {
			r.mr[0] = m.mr[0] + 1;
			r.mr[1] = m.badge;
		} else if (label == ECHO_LONG) {
			unsigned len = tern_msginfo_length(m.info);
			r.info = tern_msginfo(0, 0, len);
			for (unsigned j = 0; j < TERN_MSG_REG_WORDS; j++)
				r.mr[j] = ~m.mr[j];
			for (unsigned j = TERN_MSG_REG_WORDS; j < len && j < TERN_MSG_MAX_WORDS;
			     j++)
				b->msg[j] = ~b->msg[j];
		} else if (label == ECHO_INFO) {
			r.info = tern_msginfo(0, 0, 1);
			r.mr[0] = m.info;
		} else if (label == ECHO_SIGNAL_CAP) {
			r.mr[0] = tern_msginfo_caps(m.info);
			r.mr[1] = tern_signal(ECHO_RECV_SLOT);
		} else if (label == ECHO_DEFER) {
			/* First caller waits on Reply A; take the next with Reply B. */
			struct tern_msg second;
			tern_recv(TERN_CHILD_SLOT_ARG_CAP_SELF, ECHO_REPLY_B, &second);
			struct tern_msg rb = { .info = tern_msginfo(0, 0, 2) };
			rb.mr[0] = 1;
			rb.mr[1] = second.mr[0];
			tern_reply(ECHO_REPLY_B, &rb);
			r.mr[0] = 2;
			r.mr[1] = m.mr[0];
		} else {
			r.info = tern_msginfo(0xbad, 0, 0);
		}
		m = r;
		tern_reply_recv(TERN_CHILD_SLOT_ARG_CAP_SELF, ECHO_REPLY_A, &m);
	}
}
