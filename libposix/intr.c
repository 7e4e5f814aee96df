/*
 * Interrupted calls, the client side (intr.h): the servers' interrupt
 * caps for this process, named around a call that may wait.
 */
#include "intr.h"

#include "errors.h"
#include "posix/cspace.h"
#include "posix/proto_console.h"
#include "state.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/server.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

static struct {
	tern_cptr_t slot; /* the cap, once fetched */
	uint64_t pid;	  /* the process it was fetched for (fork) */
	bool none;	  /* the server gives none: do not ask again */
} caps[POSIX_INTR_SERVERS];

static const tern_cptr_t eps[POSIX_INTR_SERVERS] = {
	[POSIX_INTR_VFS] = POSIX_SLOT_VFS_EP,
	[POSIX_INTR_CONSOLE] = POSIX_SLOT_CONSOLE_EP,
	[POSIX_INTR_PROC] = POSIX_SLOT_PROC_EP,
};

static int fetch(enum posix_intr_server srv, tern_cptr_t slot)
{
	if (srv == POSIX_INTR_CONSOLE) {
		struct console_intr_req q = { 0 };
		struct console_intr_resp r;
		return tern_client_call_recv_cap(eps[srv], CONSOLE_INTR, &q, sizeof(q) / 8, &r,
						 sizeof(r) / 8, slot);
	}
	return tern_client_intr_cap(eps[srv], slot);
}

static tern_cptr_t cap_of(enum posix_intr_server srv)
{
	if (caps[srv].pid == posix_state.pid) {
		if (caps[srv].slot || caps[srv].none)
			return caps[srv].slot;
	} else {
		caps[srv].none = false;
	}
	if (!caps[srv].slot && !(caps[srv].slot = tern_slot_get()))
		return 0;
	/* A slot copied from the parent holds the parent's cap. */
	tern_cnode_delete(POSIX_SLOT_CNODE, caps[srv].slot, 64);
	caps[srv].pid = posix_state.pid;
	int status = fetch(srv, caps[srv].slot);
	if (status == TERN_SERVER_OK)
		return caps[srv].slot;
	/* A server without interruptible waits (ENOLABEL) never will have
	 * them; anything else (an interruption, no slot there) is asked
	 * again next time. */
	if (status == TERN_SERVER_ENOLABEL)
		caps[srv].none = true;
	tern_slot_put(caps[srv].slot);
	caps[srv].slot = 0;
	return 0;
}

void posix_intr_begin(enum posix_intr_server srv)
{
	tern_cptr_t cap = cap_of(srv);

	tern_ipc_buffer()->interrupt_ntfn = cap;
	if (cap && posix_self()->work)
		tern_signal(cap); /* already pending: the server must not wait */
}

void posix_intr_end(void)
{
	tern_ipc_buffer()->interrupt_ntfn = 0;
}

bool posix_intr_status(long status)
{
	return status == TERN_SERVER_EINTERRUPTED || status == -(long)TERN_EINTERRUPTED;
}

bool posix_intr_again(void)
{
	return !posix_self()->work;
}

void posix_intr_upcall(void)
{
	tern_cptr_t cap = tern_ipc_buffer()->interrupt_ntfn;

	if (cap)
		tern_signal(cap);
}

void posix_intr_forget(void)
{
	for (unsigned i = 0; i < POSIX_INTR_SERVERS; i++)
		caps[i].pid = 0;
}
