/*
 * What the other families need of the signal family (signal.c): its
 * start-up from the start page, the state an execve passes on, and
 * Linux's SIGPIPE on a write that found no reader. Weak: signal.c may
 * be left out of a build.
 */
#ifndef LIBPOSIX_SIGNALS_H
#define LIBPOSIX_SIGNALS_H

/* offsetof(struct posix_thread, work): entry.S's test (signal.c checks). */
#define POSIX_THREAD_WORK_OFFSET 352

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct posix_start;
struct posix_siginfo;
struct posix_thread;

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

/* Generate sig for the process (target NULL: kill's process-directed
 * signal, taken by a thread that does not block it) or for one of its
 * threads (tkill, a timer's SIGEV_THREAD_ID), with its siginfo (copied).
 * Discarded when ignored; otherwise pending, and the thread that takes
 * it is told (its work, and its Notification when it is not the caller):
 * delivered at the caller's own way back when that is the caller. Safe
 * from an upcall handler. */
void posix_signal_generate(int sig, const struct posix_siginfo *info,
			   struct posix_thread *target_or_null) __attribute__((weak));
/* ppoll's and pselect6's mask (Linux's set_user_sigmask): the calling
 * thread blocks `mask` for the wait, its old mask saved as rt_sigsuspend
 * saves it; a signal due under the new mask ends the wait. The end
 * (restore_saved_sigmask_unless): not interrupted, the old mask is back
 * now; interrupted (-ERESTARTNOHAND), the way back's delivery puts it on
 * the handler's frame and restores it (or restores it when no handler
 * runs). */
void posix_signal_wait_mask_begin(uint64_t mask) __attribute__((weak));
void posix_signal_wait_mask_end(bool interrupted) __attribute__((weak));
/* fork's child: its pending sets start empty. */
void posix_signal_fork_child(void) __attribute__((weak));
/* In the parent once its vfork (CLONE_VM, no thread) child at thread
 * `index` has exec'ed or exited (fork.c). */
void posix_signal_vm_child_done(unsigned index) __attribute__((weak));
/* The timer/interruption part's look at an upcall's notification bits,
 * before delivery (it may call posix_signal_generate). Defined there. */
void posix_signal_upcall_hook(uint64_t bits) __attribute__((weak));

#endif /* __ASSEMBLER__ */
#endif
