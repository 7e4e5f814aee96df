/*
 * Fault messages: a thread's exception (page fault it cannot have
 * resolved, #GP, #UD, ...) arrives at its fault endpoint as a Call with
 *   label = TERN_FAULT_LABEL_BASE + vector,
 *   MR0 = faulting address (page faults), MR1 = error code,
 *   MR2 = rip, MR3 = rsp.
 * Replying with label 0 resumes the thread (its registers untouched, so
 * the instruction runs again); any other label leaves it suspended.
 */
#ifndef TERN_FAULT_H
#define TERN_FAULT_H

#define TERN_FAULT_LABEL_BASE 0x1000
/* Page faults the kernel resolves itself (zero fill, copy-on-write, huge
 * pages) never arrive here. One it could not resolve because the quota of
 * the memory object is exhausted carries this bit in MR1 (the handler can
 * turn it into ENOMEM or SIGBUS). */
#define TERN_FAULT_QUOTA (1ull << 32)
#define TERN_FAULT_VECTOR(label) ((label)-TERN_FAULT_LABEL_BASE)

#endif
