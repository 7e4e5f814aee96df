/*
 * The timers that raise signals (itimer.c; docs/personality.md,
 * "Interrupted calls and timers"): alarm, setitimer/getitimer, the POSIX
 * timers, all on the process Timer (POSIX_SLOT_TIMER). What the other
 * parts call, weak so that itimer.c may be left out of a build.
 */
#ifndef LIBPOSIX_ITIMER_H
#define LIBPOSIX_ITIMER_H

#include <stdint.h>

/* The upcall path (signal delivery), on a POSIX_NTFN_SIGNAL upcall: the
 * process Timer may have fired. Cheap when nothing is due (a clock read
 * and a compare); otherwise generates SIGALRM or each due timer's signal
 * (posix_signal_generate) and arms the Timer for the next deadline. Safe
 * from an upcall that interrupted a timer call (it is then run by that
 * call before it returns). */
void posix_itimer_expire(void) __attribute__((weak));

/* fork's child (the fork part, in the child before it runs the program):
 * a child has no timers (Linux). */
void posix_itimer_fork_child(void) __attribute__((weak));

/* A thread is exiting (the threads part): the process Timer signals
 * through the cap of a live thread; if it was this one's, another's. */
void posix_itimer_thread_exit(unsigned index) __attribute__((weak));

/* execve: ITIMER_REAL survives exec (its monotonic deadline and interval,
 * ns, for struct proc_exec_req), and so does the next POSIX timer id
 * (Linux's signal struct); the POSIX timers do not. */
void posix_itimer_exec_state(uint64_t *expires, uint64_t *interval, uint64_t *next_id)
	__attribute__((weak));
/* The new image's start-up (time.c): ITIMER_REAL from the start page. */
void posix_itimer_exec_init(void) __attribute__((weak));

#endif
