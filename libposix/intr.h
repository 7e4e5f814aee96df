/*
 * Interrupted calls (docs/personality.md, "Interrupted calls and
 * timers"): Linux's restart codes, and the client side of a server call
 * that a signal may end early.
 *
 * A handler whose call waits in a server does
 *
 *     for (;;) {
 *             posix_intr_begin(POSIX_INTR_VFS);   // interrupt_ntfn named
 *             status = <the Call>;
 *             posix_intr_end();
 *             if (!posix_intr_status(status)) break;   // not interrupted
 *             if (!posix_intr_again()) return <done ? done : -ERESTARTSYS>;
 *     }
 *
 * posix_intr_begin names the server's interrupt cap for this process in
 * the IPC buffer's interrupt_ntfn (the kernel signals it when an upcall
 * comes while the call waits for its reply) and, when a signal is already
 * pending (posix_self()->work), signals it itself, so the server does not
 * start waiting (sys/server.h: a bit that came before the wait ends it at
 * once; a call that need not wait is answered normally, as Linux's pipe
 * read returns data with a signal pending). The upcall handler calls
 * posix_intr_upcall() when it leaves work for a thread it found inside
 * libposix: a signal that comes between posix_intr_begin and the kernel
 * entry of the Call reaches the server the same way. An interruption with
 * no work pending (another process's bit, a bit left from a call already
 * answered, an upcall that found nothing to act on) is restarted here:
 * Linux never interrupts a call without a signal to act on.
 */
#ifndef LIBPOSIX_INTR_H
#define LIBPOSIX_INTR_H

#include <stdbool.h>
#include <stdint.h>

#include "state.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "tern/caps.h"

/* Linux's restart codes (include/linux/errno.h), never seen by a program:
 * the syscall's way back (the signal delivery part) makes them -EINTR or
 * a restart, as arch_do_signal_or_restart and handle_signal do:
 *   ERESTARTSYS            restart when no handler runs or the handler
 *                          has SA_RESTART, else -EINTR (pipe and console
 *                          reads and writes, FIFO opens, wait4)
 *   ERESTARTNOINTR         always restart (calls Linux never interrupts)
 *   ERESTARTNOHAND         restart when no handler runs, else -EINTR
 *                          (pause, sigsuspend, absolute clock_nanosleep)
 *   ERESTART_RESTARTBLOCK  restart through restart_syscall (219) when no
 *                          handler runs, else -EINTR (relative nanosleep:
 *                          posix_self()->restart_nr and restart_arg) */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

/* True for a result the way back must convert. */
static inline bool posix_is_restart(long r)
{
	return r <= -ERESTARTSYS && r >= -ERESTART_RESTARTBLOCK && r != -515;
}

/* The servers whose waits a signal may end. */
enum posix_intr_server {
	POSIX_INTR_VFS,	    /* the server runtime's (tern_client_intr_cap) */
	POSIX_INTR_CONSOLE, /* CONSOLE_INTR */
	POSIX_INTR_PROC,    /* proc (wait4, waitid): the runtime's interrupt cap */
	POSIX_INTR_SERVERS,
};

/* Each server's cap for this process (intr.c): valid while pid is ours. */
struct posix_intr_cap {
	tern_cptr_t slot;
	volatile uint64_t pid;	/* the process it was fetched for (fork), 0 none */
	volatile uint64_t none; /* the process whose server gives none */
};
extern struct posix_intr_cap posix_intr_caps[POSIX_INTR_SERVERS];
/* The slow path: fetch it (once per process), or 0. */
tern_cptr_t posix_intr_cap_fetch(enum posix_intr_server srv);

/* A call's status (a server's reply label, or minus a kernel error as
 * tern_client_call returns it): true when the call was interrupted. */
bool posix_intr_status(long status);

/* After an interruption: true to make the call again (no signal pending
 * for this thread), false to return the call's restart code. */
bool posix_intr_again(void);

#ifdef HOST_TEST
void posix_intr_begin(enum posix_intr_server srv);
void posix_intr_end(void);
bool posix_intr_retry(long r);
#else
/* Name the server's interrupt cap in interrupt_ntfn (fetched once per
 * process; 0 and nothing named when the server gives none); signal it
 * at once when a signal is already pending. Inline: every pipe and tty
 * read and write pays it. */
static inline void posix_intr_begin(enum posix_intr_server srv)
{
	tern_cptr_t cap = posix_intr_caps[srv].pid == posix_state.pid ? posix_intr_caps[srv].slot
								      : posix_intr_cap_fetch(srv);

	tern_ipc_buffer()->interrupt_ntfn = cap;
	if (cap && __builtin_expect(posix_self()->work != 0, 0))
		tern_signal(cap); /* already pending: the server must not wait */
}

static inline void posix_intr_end(void)
{
	tern_ipc_buffer()->interrupt_ntfn = 0;
}

/* A call's result r: true when it is a restart code and nothing is
 * pending, so the call is to be made again at once. */
static inline bool posix_intr_retry(long r)
{
	return __builtin_expect(posix_is_restart(r), 0) && !posix_self()->work;
}
#endif

/* The upcall handler, for a thread it found in libposix and left work
 * for: the server a call of the thread is in (or about to be) hears of
 * it. */
void posix_intr_upcall(void);

/* The upcall hook (the delivery part's signals.h declares it weak):
 * posix_itimer_expire on a POSIX_NTFN_SIGNAL upcall. */
void posix_signal_upcall_hook(uint64_t bits);

/* A forked child has its own pid, so its own bits: the caps are fetched
 * again (called by the fork part in the child; also noticed on use). */
void posix_intr_forget(void);

#endif
