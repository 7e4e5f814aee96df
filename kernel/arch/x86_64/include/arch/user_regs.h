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

/*
 * Fill in what a syscall frame (vector FRAME_SYSCALL) leaves unsaved
 * (syscall.S, tern/syscall.h "Registers across a call"): rcx = rip and
 * r11 = rflags (the values syscall put there), cs and ss the user
 * selectors, error 0, which no syscall entry stores; and for a thread
 * waiting in the receive phase of an IPC call (TS_BLOCKED_RECV,
 * TS_BLOCKED_REPLY), whose argument registers were consumed and will all
 * be outputs, rax, rdi, rsi, rdx and r8..r10 = 0 (the IPC fast path does
 * not save them). Every reader of a frame and every change of a syscall
 * frame into an iret one goes through here (user_regs_read,
 * user_regs_write, a cancelled wait). Any other frame is complete and
 * left alone. Idempotent.
 */
void frame_complete(struct tcb *t);

/* t's registers, TLS bases included, as the thread would see them (its
 * frame completed first, frame_complete). */
void user_regs_read(struct tcb *t, struct tern_regs *r);

/* Whether r may become a thread's state: rip and rsp in the user half,
 * and the TLS bases too when with_tls (the bases load into MSRs). */
bool user_regs_valid(const struct tern_regs *r, bool with_tls);

/* Make r t's state (checked by user_regs_valid first): every general
 * register, rip, the user flags only (IF forced on), and the TLS bases
 * when with_tls. The frame then returns with iret. */
void user_regs_write(struct tcb *t, const struct tern_regs *r, bool with_tls);

#endif
