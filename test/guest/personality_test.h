/* Shared by the personality test's files (personality.c: reflection and
 * upcalls; personality_wait.c: upcalls during reply waits and faults, FPU
 * state across fork). */
#ifndef PERSONALITY_TEST_H
#define PERSONALITY_TEST_H

#include "guest.h"
#include "sys/personality.h"
#include "tern/errors.h"
#include "tern/personality.h"

#define UPCALL_BIT 1ull

/* The root thread's upcall notification (bound with UPCALL_BIT). */
extern uint64_t upcall_ntfn;
/* What the last upcall handler saw, and how many ran (every thread's). */
extern struct tern_frame seen_upcall;
extern volatile uint64_t upcall_count;
/* Called by the upcall handler after it recorded the frame. */
extern void (*volatile upcall_hook)(struct tern_frame *f);

int test_upcall_reply_answered(void);
int test_upcall_reply_interrupted(void);
int test_interrupt_forward_never_upcalls(void);
int test_upcall_during_fault_keeps_fault(void);
int test_fault_reply_recv(void);
int test_fpu_copy_to_child(void);
int test_fixup_resumes(void);
int test_fixup_bad_args(void);
int test_fixup_log(void);

#define PERSONALITY_WAIT_CASES                                                               \
	{ "upcall_reply_answered", test_upcall_reply_answered },                             \
		{ "upcall_reply_interrupted", test_upcall_reply_interrupted },               \
		{ "interrupt_forward_never_upcalls", test_interrupt_forward_never_upcalls }, \
		{ "upcall_during_fault_keeps_fault", test_upcall_during_fault_keeps_fault }, \
		{ "fault_reply_recv", test_fault_reply_recv },                               \
		{ "fpu_copy_to_child", test_fpu_copy_to_child },                             \
		{ "fixup_resumes", test_fixup_resumes },                                     \
		{ "fixup_bad_args", test_fixup_bad_args }, { "fixup_log", test_fixup_log },

#endif
