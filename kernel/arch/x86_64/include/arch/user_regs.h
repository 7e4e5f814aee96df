/*
 * The one conversion between a thread's saved user state (its trap frame
 * and TLS bases) and the ABI's struct tern_regs (tern/regs.h), used by
 * TCB_READ_REGISTERS/WRITE_REGISTERS and by the personality's syscall and
 * upcall frames.
 */
#ifndef ARCH_USER_REGS_H
#define ARCH_USER_REGS_H

#include <stdbool.h>

#include "kernel/tcb.h"
#include "tern/regs.h"

#define RFLAGS_USER_MASK 0xcd5ull /* CF PF AF ZF SF DF OF: all user code may set */
#define RFLAGS_IF 0x200ull
#define RFLAGS_FIXED 0x2ull			    /* bit 1 always reads 1 */
#define RFLAGS_USER_BASE (RFLAGS_IF | RFLAGS_FIXED) /* IF on, IOPL 0, no TF, AC, NT */

/* t's registers, TLS bases included, as the thread would see them. */
void user_regs_read(const struct tcb *t, struct tern_regs *r);

/* Whether r may become a thread's state: rip and rsp in the user half,
 * and the TLS bases too when with_tls (the bases load into MSRs). */
bool user_regs_valid(const struct tern_regs *r, bool with_tls);

/* Make r t's state (checked by user_regs_valid first): every general
 * register, rip, the user flags only (IF forced on), and the TLS bases
 * when with_tls. The frame then returns with iret. */
void user_regs_write(struct tcb *t, const struct tern_regs *r, bool with_tls);

#endif
