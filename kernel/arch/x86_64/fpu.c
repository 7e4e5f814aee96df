/*
 * FPU/SSE/AVX state: XSAVE when the CPU has it (x87, SSE and AVX enabled
 * in XCR0), else FXSAVE. Each thread owns one page of state; the registers
 * are switched lazily (see fpu_switch).
 */
#include "arch/cpu.h"
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "kernel/sched.h"
#include "common/string.h"

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24

static uint64_t xcr0;

static void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" ::"c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

void fpu_init(void)
{
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	write_cr0(read_cr0() & ~(1ul << 2)); /* EM off: SSE enabled */
	if (!cpu_features.xsave)
		return;
	uint32_t a, b, c, d;
	cpuid(0xD, 0, &a, &b, &c, &d);
	xcr0 = XCR0_X87 | XCR0_SSE | (a & XCR0_AVX);
	write_cr4(read_cr4() | CR4_OSXSAVE);
	xsetbv(0, xcr0);
	cpuid(0xD, 0, &a, &b, &c, &d);
	if (b > PAGE_SIZE) /* the area we keep is one page */
		xcr0 &= ~XCR0_AVX, xsetbv(0, xcr0);
}

int fpu_state_alloc(struct tcb *t)
{
	uint64_t pa = kobj_page_alloc(t->hdr.quota);

	if (!pa)
		return TERN_ENOT_ENOUGH_MEMORY;
	uint8_t *area = phys_to_virt(pa);
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(area + FXSAVE_FCW, &fcw, sizeof(fcw));
	memcpy(area + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	t->fpu_state = area;
	return TERN_EOK;
}

void fpu_state_free(struct tcb *t)
{
	struct percpu *c = this_cpu();

	if (c->fpu_owner == t)
		c->fpu_owner = NULL;
	if (t->fpu_state)
		kobj_page_free(t->hdr.quota, virt_to_phys(t->fpu_state));
	t->fpu_state = NULL;
}

/* #NM from user mode: give the FPU to the current thread. */
void fpu_take(struct percpu *c, struct tcb *t)
{
	uint32_t lo = (uint32_t)xcr0, hi = (uint32_t)(xcr0 >> 32);

	__asm__ volatile("clts" ::: "memory");
	c->ts_set = false;
	if (c->fpu_owner == t)
		return;
	if (c->fpu_owner) {
		if (xcr0)
			__asm__ volatile("xsave64 (%0)" ::"r"(c->fpu_owner->fpu_state), "a"(lo),
					 "d"(hi)
					 : "memory");
		else
			__asm__ volatile("fxsave64 (%0)" ::"r"(c->fpu_owner->fpu_state) : "memory");
	}
	if (xcr0)
		__asm__ volatile("xrstor64 (%0)" ::"r"(t->fpu_state), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" ::"r"(t->fpu_state) : "memory");
	c->fpu_owner = t;
}

/* Save the registers of the owner (CR0.TS may be set: the kernel would
 * trap on its own XSAVE, so clear it around the save). */
static void fpu_save_owner(struct percpu *c)
{
	uint32_t lo = (uint32_t)xcr0, hi = (uint32_t)(xcr0 >> 32);

	if (c->ts_set)
		__asm__ volatile("clts" ::: "memory");
	if (xcr0)
		__asm__ volatile("xsave64 (%0)" ::"r"(c->fpu_owner->fpu_state), "a"(lo), "d"(hi)
				 : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" ::"r"(c->fpu_owner->fpu_state) : "memory");
	if (c->ts_set)
		write_cr0(read_cr0() | CR0_TS);
}

/* TCB_COPY_FPU: dst's state becomes a copy of src's, live registers
 * included when src owns them. If dst owned the registers they are stale
 * now: it loses ownership and reloads the copy at its next FPU use. */
void fpu_copy(struct tcb *dst, struct tcb *src)
{
	struct percpu *c = this_cpu();

	if (dst == src)
		return;
	if (c->fpu_owner == src)
		fpu_save_owner(c);
	if (c->fpu_owner == dst)
		c->fpu_owner = NULL;
	memcpy(dst->fpu_state, src->fpu_state, PAGE_SIZE);
}
