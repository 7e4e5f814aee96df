/*
 * The rt_sigframe (sigframe.h), as Linux's arch/x86/kernel/signal.c
 * (get_sigframe, __setup_rt_frame, setup_sigcontext, rt_sigreturn,
 * restore_sigcontext) and fpu/signal.c (copy_fpstate_to_sigframe,
 * save_xstate_epilog, __fpu_restore_sig) lay it out: the XSAVE area of
 * the size CPUID gives for XCR0's features, 64-byte aligned, with
 * fpx_sw_bytes in its software bytes and FP_XSTATE_MAGIC2 after it; the
 * frame below it, 16-byte aligned minus 8.
 *
 * The frame and the siginfo are built here and copied out with
 * copy_to_user. XSAVE and XRSTOR work on the application's memory
 * directly: every page of the area is touched through uaccess first (a
 * write for XSAVE, a read for XRSTOR), so the instruction cannot fault
 * unless another thread unmaps the stack meanwhile (the process then
 * dies of the fault, as with any fault in libposix); what XRSTOR would
 * refuse (#GP: header bits, MXCSR, alignment) is checked beforehand and
 * is a bad frame.
 */
#include "sigframe.h"

#include <stddef.h>

#include "signal_calc.h"
#include "uaccess.h"

#include "posix/errno.h"
#include "tern/ipc_buffer.h"

_Static_assert(offsetof(struct tern_ipc_buffer, user_self) == 3976, "sigframe_asm.S");

#define USER_CS 0x33 /* Linux's __USER_CS and __USER_DS */
#define USER_DS 0x2b
#define XFEATURE_FPSSE 3ull
/* FIX_EFLAGS: what a sigcontext may change (AC OF DF TF SF ZF AF PF CF RF). */
#define FIX_EFLAGS 0x50dd5ull
#define RFLAGS_TF 0x100ull
#define RFLAGS_DF 0x400ull
#define RFLAGS_RF 0x10000ull

static uint64_t xfeatures;   /* XCR0 */
static uint32_t xstate_size; /* of the standard-form area for xfeatures */
static uint32_t mxcsr_mask;
/* The initial FPU state (fpu__clear_user_states): a legacy area with
 * FCW 0x37f and MXCSR 0x1f80 and a header with XSTATE_BV 0. */
static uint8_t init_area[576] __attribute__((aligned(64)));

void posix_sigframe_init(void)
{
	uint32_t a, b, c, d, lo, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(0));
	xstate_size = b;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	xfeatures = ((uint64_t)hi << 32) | lo;
	/* The XSAVE of start-up's state gives MXCSR_MASK (offset 28). */
	uint8_t probe[1024 + 64] __attribute__((aligned(64)));
	for (unsigned i = 0; i < sizeof(probe); i++)
		probe[i] = 0;
	posix_xsave((uint64_t)(uintptr_t)probe, XFEATURE_FPSSE);
	mxcsr_mask = *(uint32_t *)(probe + 28);
	if (!mxcsr_mask)
		mxcsr_mask = 0xffbf;
	*(uint16_t *)(init_area + 0) = 0x37f;
	*(uint32_t *)(init_area + 24) = 0x1f80;
}

static uint64_t math_size(void)
{
	return xstate_size + POSIX_FP_XSTATE_MAGIC2_SIZE;
}

/* copy_fpstate_to_sigframe at buf (64-aligned, math_size bytes). */
static long save_fpu(uint64_t buf)
{
	struct posix_fpx_sw_bytes sw = {
		.magic1 = POSIX_FP_XSTATE_MAGIC1,
		.extended_size = (uint32_t)math_size(),
		.xfeatures = xfeatures,
		.xstate_size = xstate_size,
	};
	uint8_t hdr[POSIX_XSAVE_HDR_SIZE] = { 0 };
	uint32_t magic2 = POSIX_FP_XSTATE_MAGIC2;
	uint8_t zero = 0;

	/* The header cleared (XSAVE writes only XSTATE_BV), the software
	 * bytes and the magic after the area: with the first byte, every
	 * page of the area has been written once. */
	if (copy_to_user(buf, &zero, 1) ||
	    copy_to_user(buf + POSIX_FPX_SW_OFFSET, &sw, sizeof(sw)) ||
	    copy_to_user(buf + POSIX_XSAVE_HDR_OFFSET, hdr, sizeof(hdr)) ||
	    copy_to_user(buf + xstate_size, &magic2, sizeof(magic2)))
		return -EFAULT;
	posix_xsave(buf, xfeatures);
	/* save_xstate_epilog: FP and SSE always marked present. */
	uint64_t bv;
	if (copy_from_user(&bv, buf + POSIX_XSAVE_HDR_OFFSET, 8))
		return -EFAULT;
	bv |= XFEATURE_FPSSE;
	return copy_to_user(buf + POSIX_XSAVE_HDR_OFFSET, &bv, 8) ? -EFAULT : 0;
}

static void clear_fpu(void)
{
	posix_xrstor((uint64_t)(uintptr_t)init_area, xfeatures);
}

long posix_sigframe_setup(struct posix_thread *t, struct tern_regs *r,
			  const struct posix_sigdelivery *d)
{
	uint64_t fp;
	uint64_t addr = posix_sig_frame_addr(t, d->ka.flags, r->rsp, math_size(), &fp);
	struct posix_rt_sigframe f;

	/* x86-64 requires SA_RESTORER ("could use a vstub here"). */
	if (addr == ~0ull || !(d->ka.flags & POSIX_SA_RESTORER) ||
	    !user_range_ok(addr, fp + math_size() - addr))
		return -EFAULT;
	if (save_fpu(fp))
		return -EFAULT;
	f.pretcode = d->ka.restorer;
	f.uc.uc_flags = POSIX_UC_FP_XSTATE | POSIX_UC_SIGCONTEXT_SS | POSIX_UC_STRICT_RESTORE_SS;
	f.uc.uc_link = 0;
	struct posix_stack saved = t->altstack;
	f.uc.uc_stack = posix_sig_save_altstack(t);
	struct posix_sigcontext *sc = &f.uc.uc_mcontext;
	*sc = (struct posix_sigcontext){
		.r8 = r->r8,
		.r9 = r->r9,
		.r10 = r->r10,
		.r11 = r->r11,
		.r12 = r->r12,
		.r13 = r->r13,
		.r14 = r->r14,
		.r15 = r->r15,
		.rdi = r->rdi,
		.rsi = r->rsi,
		.rbp = r->rbp,
		.rbx = r->rbx,
		.rdx = r->rdx,
		.rax = r->rax,
		.rcx = r->rcx,
		.rsp = r->rsp,
		.rip = r->rip,
		.eflags = r->rflags,
		.cs = USER_CS,
		.ss = USER_DS,
		.err = d->err,
		.trapno = d->trapno,
		.oldmask = d->oldmask,
		.cr2 = d->cr2,
		.fpstate = fp,
	};
	f.uc.uc_sigmask = d->oldmask;
	/* The siginfo only for SA_SIGINFO (Linux leaves the bytes alone). */
	size_t n = offsetof(struct posix_rt_sigframe, info);
	if (d->ka.flags & POSIX_SA_SIGINFO) {
		f.info = *d->info;
		n = sizeof(f);
	}
	if (copy_to_user(addr, &f, n)) {
		t->altstack = saved;
		return -EFAULT;
	}
	clear_fpu();
	r->rdi = (uint64_t)d->sig;
	r->rax = 0;
	r->rsi = addr + offsetof(struct posix_rt_sigframe, info);
	r->rdx = addr + offsetof(struct posix_rt_sigframe, uc);
	r->rip = d->ka.handler;
	r->rsp = addr;
	r->rflags &= ~(RFLAGS_DF | RFLAGS_RF | RFLAGS_TF);
	return 0;
}

/* __fpu_restore_sig for a 64-bit frame: buf 0 resets the state; a valid
 * xstate frame (both magics, sizes) XRSTORs the features it names and
 * resets the others; anything else restores the legacy area only. */
static long restore_fpu(uint64_t buf)
{
	struct posix_fpx_sw_bytes sw;
	uint8_t hdr[POSIX_XSAVE_HDR_SIZE];
	uint32_t mxcsr, magic2 = 0;
	uint8_t probe;

	if (!buf) {
		clear_fpu();
		return 0;
	}
	if ((buf & 63) || !user_range_ok(buf, math_size()) || copy_from_user(&probe, buf, 1) ||
	    copy_from_user(&mxcsr, buf + 24, 4) ||
	    copy_from_user(&sw, buf + POSIX_FPX_SW_OFFSET, sizeof(sw)))
		return -EFAULT;
	bool fx_only = sw.magic1 != POSIX_FP_XSTATE_MAGIC1 ||
		       sw.xstate_size < POSIX_XSAVE_HDR_OFFSET + POSIX_XSAVE_HDR_SIZE ||
		       sw.xstate_size > xstate_size || sw.xstate_size > sw.extended_size;
	if (!fx_only) {
		if (copy_from_user(&magic2, buf + sw.xstate_size, 4))
			return -EFAULT;
		fx_only = magic2 != POSIX_FP_XSTATE_MAGIC2;
	}
	if (mxcsr & ~mxcsr_mask)
		return -EFAULT; /* XRSTOR/FXRSTOR would #GP */
	if (fx_only) {
		if (copy_from_user(&probe, buf + 511, 1))
			return -EFAULT;
		posix_fxrstor(buf);
		posix_xrstor((uint64_t)(uintptr_t)init_area, xfeatures & ~XFEATURE_FPSSE);
		return 0;
	}
	if (copy_from_user(hdr, buf + POSIX_XSAVE_HDR_OFFSET, sizeof(hdr)) ||
	    copy_from_user(&probe, buf + xstate_size - 1, 1))
		return -EFAULT;
	uint64_t bv = *(uint64_t *)hdr, mask = sw.xfeatures & xfeatures;
	for (unsigned i = 8; i < 24; i++)
		if (hdr[i])
			return -EFAULT;
	if (bv & ~xfeatures)
		return -EFAULT;
	posix_xrstor(buf, mask);
	if (xfeatures & ~mask)
		posix_xrstor((uint64_t)(uintptr_t)init_area, xfeatures & ~mask);
	return 0;
}

long posix_sigframe_restore(struct posix_thread *t, struct tern_regs *r, posix_sigset_t *mask)
{
	uint64_t addr = r->rsp - 8;
	struct posix_ucontext uc;

	if (!user_range_ok(addr, sizeof(struct posix_rt_sigframe)) ||
	    copy_from_user(&uc, addr + offsetof(struct posix_rt_sigframe, uc), sizeof(uc)))
		return -EFAULT;
	const struct posix_sigcontext *sc = &uc.uc_mcontext;
	if (restore_fpu(sc->fpstate))
		return -EFAULT;
	/* A return address iret would refuse: SIGSEGV, as its #GP gives. */
	if (sc->rip >= 0x800000000000ull)
		return -EFAULT;
	*mask = uc.uc_sigmask;
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
	r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = (r->rflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	/* restore_altstack: do_sigaltstack's errors are ignored. */
	(void)posix_sig_altstack(t, &uc.uc_stack, NULL, r->rsp);
	return 0;
}
