/*
 * What proc holds for this process (docs/personality.md, "Signals
 * between processes, stop and wait, job control"): the signals other
 * processes and the console sent, and the stop proc asks for. The
 * delivery part calls these from the way back when POSIX_NTFN_PROC came
 * (posix_thread.work POSIX_WORK_FETCH).
 */
#ifndef LIBPOSIX_PROCSIG_H
#define LIBPOSIX_PROCSIG_H

struct posix_thread;

/* Take everything proc queued for thread t (PROC_SIGFETCH until nothing
 * more), generating each signal into libposix's state
 * (posix_signal_generate: process-directed, or at t), and stop when proc
 * asks (another thread's stop, SIGSTOP). */
void posix_proc_sigfetch(struct posix_thread *t);

/* Thread t stops for the stop signal sig whose action is the default
 * (SIGTSTP, SIGTTIN, SIGTTOU; 0: join proc's stop): returns when the
 * process is continued (1), or at once (0) when a SIGCONT came after the
 * last fetch, the group is orphaned (Linux discards the signal), or the
 * process is init. */
int posix_proc_stop(struct posix_thread *t, int sig);

#endif
