/*
 * Fault fix-ups (TCB_SET_FAULT_FIXUP), the mechanism behind libposix's
 * fault-safe copies:
 *   fixup_resumes      loads from NULL, an unmapped page, the kernel half
 *                      and a non-canonical address (a #GP, not a #PF)
 *                      inside the range resume at the fix-up, which says
 *                      -EFAULT; a good load still returns its value
 *   fixup_bad_args     lo >= hi, a kernel-half range or fix-up address are
 *                      refused; all zero clears the range
 *   fixup_log          the LOG call: a bad level and a bad pointer are
 *                      errors, a good line is accepted
 */
#include "personality_test.h"
#include "sys/invoke.h"
#include "sys/runtime.h"
#include "sys/syscalls.h"

/* probe_load(addr): *(uint64_t *)addr, or -14 when it faults. */
extern char probe_start[], probe_end[], probe_fixup[];
long probe_load(uint64_t addr);
__asm__(".text\n"
	".globl probe_load, probe_start, probe_end, probe_fixup\n"
	"probe_load:\n"
	"probe_start:\n"
	"	mov (%rdi), %rax\n"
	"	ret\n"
	"probe_end:\n"
	"probe_fixup:\n"
	"	mov $-14, %rax\n"
	"	ret\n");

static const uint64_t probe_value = 0x1122334455667788ul;

int test_fixup_resumes(void)
{
	tern_cptr_t tcb = tern_self_tcb();
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, (uint64_t)probe_start, (uint64_t)probe_end,
					  (uint64_t)probe_fixup),
		 TERN_EOK);
	CHECK_EQ(probe_load((uint64_t)&probe_value), (long)probe_value);
	CHECK_EQ(probe_load(0), -14);
	CHECK_EQ(probe_load(0x7f0000000000ul), -14);	 /* unmapped */
	CHECK_EQ(probe_load(0xffff800000000000ul), -14); /* the kernel's direct map */
	CHECK_EQ(probe_load(0xffffffff80100000ul), -14); /* the kernel image */
	CHECK_EQ(probe_load(0x0000800000000000ul), -14); /* non-canonical: #GP */
	CHECK_EQ(probe_load((uint64_t)&probe_value), (long)probe_value);
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, 0, 0, 0), TERN_EOK);
	return 0;
}

int test_fixup_bad_args(void)
{
	tern_cptr_t tcb = tern_self_tcb();
	uint64_t lo = (uint64_t)probe_start, hi = (uint64_t)probe_end;
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, hi, lo, lo), TERN_EINVALID_ARGUMENT);
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, lo, lo, lo), TERN_EINVALID_ARGUMENT);
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, 0xffff800000000000ul, 0xffff800000001000ul, lo),
		 TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, lo, hi, 0xffffffff80100000ul), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, lo, 0xffffffff80100000ul, lo), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_tcb_set_fault_fixup(tcb, 0, 0, 0), TERN_EOK);
	return 0;
}

int test_fixup_log(void)
{
	CHECK_EQ(tern_log(8, "x", 1), TERN_EINVALID_ARGUMENT);
	CHECK_EQ(tern_log(6, (const char *)0x10, 5), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_log(6, "personality: a LOG line\n", 24), TERN_EOK);
	return 0;
}
