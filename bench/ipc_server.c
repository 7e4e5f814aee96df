/*
 * The server side of the IPC benchmark: the smallest honest loop. It
 * answers every message with the same label and length, MR0 + 1; words
 * beyond the registers go back as received (they stay in its IPC buffer).
 * Serves the endpoint in TERN_CHILD_SLOT_ARG_CAP with the Reply object in
 * slot 11 (see bench/ipc_bench.c).
 */
#include "sys/syscalls.h"
#include "sys/spawn.h"

#define REPLY_SLOT 11

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	struct tern_msg m;

	tern_recv(TERN_CHILD_SLOT_ARG_CAP, REPLY_SLOT, &m);
	for (;;) {
		m.mr[0]++;
		tern_reply_recv(TERN_CHILD_SLOT_ARG_CAP, REPLY_SLOT, &m);
	}
}
