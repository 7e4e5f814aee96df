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

/* Name the server's interrupt cap in interrupt_ntfn (fetched once per
 * process; 0 and nothing named when the server gives none). */
void posix_intr_begin(enum posix_intr_server srv);
void posix_intr_end(void);

/* A call's status (a server's reply label, or minus a kernel error as
 * tern_client_call returns it): true when the call was interrupted. */
bool posix_intr_status(long status);

/* After an interruption: true to make the call again (no signal pending
 * for this thread), false to return the call's restart code. */
bool posix_intr_again(void);

/* A call's result r: true when it is a restart code and nothing is
 * pending, so the call is to be made again at once. */
bool posix_intr_retry(long r);

/* The upcall handler, for a thread it found in libposix and left work
 * for: the server a call of the thread is in (or about to be) hears of
 * it. */
void posix_intr_upcall(void);

/* The upcall hook (the delivery part's signals.h declares it weak):
 * posix_itimer_expire on a POSIX_NTFN_SIGNAL upcall, then
 * posix_intr_upcall when the thread has work. */
void posix_signal_upcall_hook(uint64_t bits);

/* A forked child has its own pid, so its own bits: the caps are fetched
 * again (called by the fork part in the child; also noticed on use). */
void posix_intr_forget(void);

#endif
