/*
 * The server side of the IPC benchmark: the smallest honest loop. It
 * answers every message with the same label and length and the complement
 * of every word (registers and IPC buffer), so the client can check that
 * each word went both ways. Serves the endpoint in TERN_CHILD_SLOT_ARG_CAP
 * with the Reply object in slot 11 (see bench/ipc_bench.c).
 */
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "sys/spawn.h"

#define REPLY_SLOT 11

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	struct tern_msg m;

	tern_recv(TERN_CHILD_SLOT_ARG_CAP, REPLY_SLOT, &m);
	for (;;) {
		m.mr[0] = ~m.mr[0];
		m.mr[1] = ~m.mr[1];
		m.mr[2] = ~m.mr[2];
		m.mr[3] = ~m.mr[3];
		for (unsigned j = TERN_MSG_REG_WORDS; j < tern_msginfo_length(m.info); j++)
			b->msg[j] = ~b->msg[j];
		tern_reply_recv(TERN_CHILD_SLOT_ARG_CAP, REPLY_SLOT, &m);
	}
}
