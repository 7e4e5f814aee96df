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
/* The signals part, in the parent once its CLONE_VM child (no thread) at
 * thread `index` has exec'ed or exited. Weak too. */
void posix_signal_vm_child_done(unsigned index);

#endif
