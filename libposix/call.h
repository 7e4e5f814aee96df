/*
 * A reflected Linux system call as libposix's handlers see it, and the
 * handler convention.
 *
 * Every Linux syscall `name` in posix/syscalls.h is handled by
 *     long posix_sys_<name>(struct posix_call *c);
 * defined in the family file that owns it (fd.c, file.c, path.c, proc.c,
 * mm.c, signal.c, time.c, misc.c, tty.c). It returns the result, or
 * -errno (posix/errno.h) for a failure, exactly as Linux's rax. A handler
 * that replaces the whole user state (execve, rt_sigreturn) edits
 * c->frame->regs and calls tern_personality_resume_frame().
 * The table (table.c) refers to the handlers weakly: a name no family
 * defines is -ENOSYS, logged once (enosys.c).
 */
#ifndef LIBPOSIX_CALL_H
#define LIBPOSIX_CALL_H

#include <stdint.h>

#include "tern/personality.h"

struct posix_call {
	uint64_t nr;
	uint64_t a[6];		  /* rdi, rsi, rdx, r10, r8, r9 */
	struct tern_frame *frame; /* the whole interrupted state (on the handler stack) */
};

typedef long (*posix_handler_fn)(struct posix_call *c);

#define POSIX_HANDLER_DECL(num, name) long posix_sys_##name(struct posix_call *c);
#include "posix/syscalls.h"
POSIX_SYSCALLS(POSIX_HANDLER_DECL)
#undef POSIX_HANDLER_DECL

/* libposix's entry for reflected syscalls (entry.S): the personality's
 * entry point in a Linux process. */
void posix_entry(void);
/* The same dispatch in C, for libsys's stub (dispatch.c). */
uint64_t posix_dispatch(struct tern_frame *frame);

/* Logs "posix: <name> (<nr>) is not implemented" once per number and
 * returns -ENOSYS (enosys.c). */
long posix_enosys(uint64_t nr);

#endif
