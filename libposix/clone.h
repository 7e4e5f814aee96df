/*
 * clone(2)'s split (docs/personality.md, "fork"): libposix/fork.c checks
 * the flags as Linux does and runs a process clone itself; a request with
 * CLONE_THREAD goes to the threads part's posix_clone_thread, defined
 * weakly (its absence makes such a clone -ENOSYS). Arguments as
 * clone(2)'s on x86-64: flags, stack, parent_tid, child_tid, tls in
 * c->a[0..4].
 */
#ifndef LIBPOSIX_CLONE_H
#define LIBPOSIX_CLONE_H

#include "call.h"

long posix_clone_thread(struct posix_call *c);

/* The signals part: a forked child's own pending signals are cleared
 * (Linux's copy_process: init_sigpending), in the child before it
 * returns from fork. Weak too. */
void posix_signal_fork_child(void);
/* A CLONE_VM child that is no thread: in the child at its start (its
 * pid), and in the parent once the child at thread `index` has exec'ed or
 * exited (signal.c: the child's pending signals are its own). Weak too. */
void posix_signal_vm_child(uint64_t pid);
void posix_signal_vm_child_done(unsigned index);

#endif
