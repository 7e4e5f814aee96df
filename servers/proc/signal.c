/*
 * Signals between processes (the signals part of docs/personality.md,
 * "Processes, threads and signals"): proc's pending sets and siginfo
 * queues, and the wake-up of the thread that fetches them. Entry point:
 * proc_signal_send.
 *
 * Not built yet: until it is, nothing is queued and every sender gets
 * ENOSYS (no caller reaches here yet).
 */
#include "proc.h"

#include "posix/errno.h"

int proc_signal_send(struct proc_server *ps, struct process *p, int thread,
		     const struct posix_siginfo *info)
{
	(void)ps;
	(void)p;
	(void)thread;
	(void)info;
	return ENOSYS;
}
