/*
 * Interrupted calls, the client side (intr.h): the servers' interrupt
 * caps for this process, named around a call that may wait.
 */
#include "intr.h"

#include "errors.h"
#include "itimer.h"
#include "posix/cspace.h"
#include "posix/proto_console.h"
#include "state.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/lock.h"
#include "sys/server.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

struct posix_intr_cap posix_intr_caps[POSIX_INTR_SERVERS];
#define caps posix_intr_caps

/* The first fetch of a process's threads (libsys's lock: it yields
 * until the runtime gives it a notification). */
static struct tern_lock fetch_lock = TERN_LOCK_INIT;

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

__attribute__((noinline, cold)) tern_cptr_t posix_intr_cap_fetch(enum posix_intr_server srv)
{
	uint64_t pid = posix_state.pid;

	if (__atomic_load_n(&caps[srv].pid, __ATOMIC_ACQUIRE) == pid)
		return caps[srv].slot;
	if (caps[srv].none == pid)
		return 0;
	tern_lock_acquire(&fetch_lock);
	tern_cptr_t slot = caps[srv].slot;
	if (caps[srv].pid == pid || caps[srv].none == pid)
		goto out; /* another thread fetched it meanwhile */
	if (!slot && !(slot = tern_slot_get()))
		goto out;
	/* A slot copied from the parent holds the parent's cap. */
	tern_cnode_delete(POSIX_SLOT_CNODE, slot, 64);
	int status = fetch(srv, slot);
	if (status == TERN_SERVER_OK) {
		caps[srv].slot = slot;
		__atomic_store_n(&caps[srv].pid, pid, __ATOMIC_RELEASE);
		goto out;
	}
	/* A server without interruptible waits (ENOLABEL) never will have
	 * them; anything else (an interruption, no slot there) is asked
	 * again next time. */
	if (status == TERN_SERVER_ENOLABEL)
		caps[srv].none = pid;
	caps[srv].slot = 0;
	tern_slot_put(slot);
out:
	tern_lock_release(&fetch_lock);
	return caps[srv].pid == pid ? caps[srv].slot : 0;
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

/*
 * The delivery part's upcall calls this (signals.h's weak
 * posix_signal_upcall_hook) with the upcall's bits, after it set the
 * thread's work and before it delivers: a POSIX_NTFN_SIGNAL upcall may be
 * the process Timer (posix_itimer_expire generates what is due). The
 * handler itself calls posix_intr_upcall for a thread it found in
 * libposix.
 */
static void (*volatile const expire_hook)(void) = posix_itimer_expire;

void posix_signal_upcall_hook(uint64_t bits)
{
	if ((bits & POSIX_NTFN_SIGNAL) && expire_hook)
		expire_hook();
}

void posix_intr_forget(void)
{
	for (unsigned i = 0; i < POSIX_INTR_SERVERS; i++)
		caps[i].pid = caps[i].none = 0;
	fetch_lock = (struct tern_lock)TERN_LOCK_INIT;
}
