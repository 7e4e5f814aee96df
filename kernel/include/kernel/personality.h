/* The kernel half of personalities: syscall reflection and upcalls
 * (the user-visible contract is in tern/personality.h). */
#ifndef KERNEL_PERSONALITY_H
#define KERNEL_PERSONALITY_H

#include <stdbool.h>
#include <stdint.h>

struct tcb;

/* Is this syscall (rip after the instruction in t->ctx) to be reflected? */
static inline bool personality_reflects(const struct tcb *t, uint64_t rip);
/* A reflected syscall syscall.S could not reflect (no IPC buffer): -ENOSYS. */
void personality_reflect(struct tcb *t);
/* A notification bound to t signalled upcall bits: end a wait that can
 * be ended, and deliver the upcall at t's next exit (an exit-work hook). */
void personality_post_upcall(struct tcb *t, uint64_t bits);
/* Register the exit-work hook (boot). */
void personality_init(void);
/* TERN_SYS_RESUME: restore the upcall frame. Returns a tern_error. */
int personality_resume(struct tcb *t, uint64_t regs_addr);

#include "kernel/tcb.h"

static inline bool personality_reflects(const struct tcb *t, uint64_t rip)
{
	return t->pers_entry && (rip < t->pers_lo || rip >= t->pers_hi);
}

#endif
