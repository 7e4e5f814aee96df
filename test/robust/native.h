/* Native kernel calls from a Linux program, the way any program here can
 * make them (docs/personality.md, "Trust boundary"): jump to a `syscall`
 * instruction inside libposix's text (the kernel's personality range, so
 * the call is not reflected) with rsp and rbp on a spray of our landing
 * address (hostile_asm.S). The hostile client attacks the servers with
 * them; the fuzzer's supervisor reads the kernel's interrupts-off figures
 * (native_irqoff). */
#ifndef ROBUST_NATIVE_H
#define ROBUST_NATIVE_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

#include "posix/layout.h"
#include "tern/syscall.h"

struct hostile_regs {
	uint64_t rax, rdi, rsi, rdx, r10, r8, r9, r12;
};

void hostile_native(struct hostile_regs *r, uint64_t gadget, uint64_t spray);
extern char hostile_landing[];

/* The gadget: `syscall` followed by an epilogue that only pops into
 * callee-saved registers, loads from rbp into them, leaves, adjusts rsp
 * and returns (so the result registers survive it). */
static uint64_t scan_page(uint64_t page);

static int epilogue_ok(const uint8_t *p)
{
	for (int i = 0; i < 24;) {
		const uint8_t *q = p + i;
		if (q[0] == 0xc3)
			return 1;
		if (q[0] == 0xc9 || q[0] == 0x5b || q[0] == 0x5d) {
			i += 1;
		} else if (q[0] == 0x41 && q[1] >= 0x5c && q[1] <= 0x5f) {
			i += 2;
		} else if ((q[0] == 0x48 || q[0] == 0x4c) && q[1] == 0x8b &&
			   (q[2] & 0xc7) == 0x45 &&
			   (q[0] == 0x4c ? ((q[2] >> 3) & 7) >= 4
					 : ((q[2] >> 3) & 7) == 3 || ((q[2] >> 3) & 7) == 5)) {
			i += 4;
		} else if (q[0] == 0x48 && q[1] == 0x83 && q[2] == 0xc4) {
			i += 4;
		} else {
			return 0;
		}
	}
	return 0;
}

/* libposix's region is no memory of ours to a syscall (EFAULT), so its
 * pages are read directly, a fault ending the scan (a SIGSEGV handler). */
static sigjmp_buf scan_jmp;

static void scan_fault(int sig)
{
	(void)sig;
	siglongjmp(scan_jmp, 1);
}

static uint64_t find_gadget(void)
{
	struct sigaction sa = { .sa_handler = scan_fault }, old_segv, old_bus;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	uint64_t found = 0;
	volatile uint64_t page = POSIX_BASE;
	if (sigsetjmp(scan_jmp, 1) == 0)
		for (; page < POSIX_BASE + (4ul << 20) && !found; page += POSIX_PAGE_SIZE)
			found = scan_page(page);
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return found;
}

static uint64_t scan_page(uint64_t page)
{
	const uint8_t *b = (const uint8_t *)page;
	for (int i = 0; i < (int)POSIX_PAGE_SIZE - 32; i++)
		if (b[i] == 0x0f && b[i + 1] == 0x05 && epilogue_ok(b + i + 2))
			return page + (uint64_t)i;
	return 0;
}

/*
 * TERN_DEBUG_QUERY_IRQ_OFF through a gadget (0 finds one): the longest
 * interrupts-off stretch, the stretches and the preemptions since the
 * last reset (reset: then zeroed), out[0..2]. 0, or the kernel's error
 * (TERN_EILLEGAL_OPERATION without `irqoff_stats`), or -1 without a
 * gadget.
 */
static inline long native_irqoff(uint64_t *gadget, int reset, uint64_t out[3])
{
	static uint64_t spray[1024];
	if (!*gadget && !(*gadget = find_gadget()))
		return -1;
	for (unsigned i = 0; i < sizeof(spray) / sizeof(spray[0]); i++)
		spray[i] = (uint64_t)hostile_landing;
	struct hostile_regs r = {
		TERN_SYS_DEBUG_QUERY, TERN_DEBUG_QUERY_IRQ_OFF, 0, reset ? 1 : 0, 0, 0, 0, 0
	};
	hostile_native(&r, *gadget, (uint64_t)&spray[512]);
	out[0] = r.rdx;
	out[1] = r.r10;
	out[2] = r.r8;
	return (long)r.rax;
}

#endif
