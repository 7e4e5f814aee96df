/*
 * What the other families need of the signal family (signal.c): its
 * start-up from the start page, the state an execve passes on, and
 * Linux's SIGPIPE on a write that found no reader. Weak: signal.c may
 * be left out of a build.
 */
#ifndef LIBPOSIX_SIGNALS_H
#define LIBPOSIX_SIGNALS_H

#include <stdint.h>

struct posix_start;

/* start.c: the state after exec (posix_start's sig_* words). */
int posix_signal_init(const struct posix_start *st) __attribute__((weak));
/* proc.c's execve: the SIG_IGN set, the blocked mask, the pending set. */
void posix_signal_exec_state(uint64_t *ignored, uint64_t *blocked, uint64_t *pending)
	__attribute__((weak));
/* file.c's writes: r is what the write returns; -EPIPE also generates
 * SIGPIPE (pipe_write's send_sig), which ends the process when its
 * action is the default one. Returns r. */
long posix_signal_write_result(long r) __attribute__((weak));
/* tty.c's job control: the signals the calling thread ignores (SIG_IGN)
 * or blocks (Linux's is_ignored in tty_check_change). */
uint64_t posix_signal_ignored_or_blocked(void) __attribute__((weak));

#endif
