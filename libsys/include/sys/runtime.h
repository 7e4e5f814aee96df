/*
 * Program start and exit.
 *
 * A native program defines `int main(uint64_t arg, uint64_t self_tcb)`.
 * The root task gets arg = the address of its struct tern_bootinfo and
 * self_tcb = TERN_SLOT_TCB; a child started by tern_spawn() gets the
 * argument word its parent chose and self_tcb = TERN_CHILD_SLOT_TCB.
 * When main returns, the thread suspends itself (tern_thread_exit).
 */
#ifndef SYS_RUNTIME_H
#define SYS_RUNTIME_H

#include <stdint.h>

#include "tern/bootinfo.h"
#include "tern/caps.h"

int main(uint64_t arg, uint64_t self_tcb);

/* The root task's boot information, NULL in any other task. */
const struct tern_bootinfo *tern_bootinfo(void);
/* The CPtr of the calling thread's own TCB. */
tern_cptr_t tern_self_tcb(void);

/* Called once by tern_start: the quota the runtime makes objects from and
 * the free slots of the task's root CNode, [first_free_slot, n_slots). */
void tern_runtime_init(tern_cptr_t quota, uint64_t first_free_slot, uint64_t n_slots);

/*
 * Stop the calling thread for good: TCB_SUSPEND on its own TCB cap (the
 * exit status is only printed when non-zero; nothing collects it yet). If
 * the suspend fails the thread yields forever. Its struct tern_thread
 * says `exited` from just before; tern_thread_destroy frees it.
 */
__attribute__((noreturn)) void tern_thread_exit(int status);

__attribute__((noreturn)) void tern_start(uint64_t rdi, uint64_t rsi, uint64_t rdx);

#endif
