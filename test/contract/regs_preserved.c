/* The syscall ABI: rax returns, rcx and r11 are clobbered, every other
 * general register and the SSE registers come back unchanged, for a
 * call answered at once (getpid), one that does I/O (write to a pipe),
 * and an unknown one (ENOSYS). */
#include "contract.h"

struct regs {
	unsigned long rbx, rdx, rsi, rdi, rbp, r8, r9, r10, r12, r13, r14, r15;
	unsigned long xmm0[2], xmm7[2], xmm15[2];
};

/* long marked_syscall(long nr, long a0, long a1, long a2, struct regs *out):
 * loads marks into every register, makes the call, stores the registers
 * into *out and returns rax. */
long marked_syscall(long nr, long a0, long a1, long a2, struct regs *out);
__asm__(".pushsection .rodata\n"
	".balign 16\n"
	"marks_x0: .quad 0x1111222233334444, 0x5555666677778888\n"
	"marks_x7: .quad 0x99990000aaaabbbb, 0xccccddddeeeeffff\n"
	"marks_x15: .quad 0x0123456789abcdef, 0xfedcba9876543210\n"
	".popsection\n"
	".text\n"
	".globl marked_syscall\n"
	"marked_syscall:\n"
	"push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"push %r8\n"
	"mov %rdi, %rax\n mov %rsi, %rdi\n mov %rdx, %rsi\n mov %rcx, %rdx\n"
	"movdqu marks_x0(%rip), %xmm0\n"
	"movdqu marks_x7(%rip), %xmm7\n"
	"movdqu marks_x15(%rip), %xmm15\n"
	"movabs $0xb0b0b0b0b0b0b0b0, %rbx\n"
	"movabs $0xbbbbbbbb00000001, %rbp\n"
	"movabs $0x8888888800000008, %r8\n"
	"movabs $0x9999999900000009, %r9\n"
	"movabs $0xaaaaaaaa0000000a, %r10\n"
	"movabs $0xcccccccc0000000c, %r12\n"
	"movabs $0xdddddddd0000000d, %r13\n"
	"movabs $0xeeeeeeee0000000e, %r14\n"
	"movabs $0xffffffff0000000f, %r15\n"
	"syscall\n"
	"xchg (%rsp), %rax\n"
	"mov %rbx, 0(%rax)\n mov %rdx, 8(%rax)\n mov %rsi, 16(%rax)\n mov %rdi, 24(%rax)\n"
	"mov %rbp, 32(%rax)\n mov %r8, 40(%rax)\n mov %r9, 48(%rax)\n mov %r10, 56(%rax)\n"
	"mov %r12, 64(%rax)\n mov %r13, 72(%rax)\n mov %r14, 80(%rax)\n mov %r15, 88(%rax)\n"
	"movdqu %xmm0, 96(%rax)\n movdqu %xmm7, 112(%rax)\n movdqu %xmm15, 128(%rax)\n"
	"pop %rax\n"
	"pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
	"ret\n");

static long call(long nr, long a0, long a1, long a2, struct regs *out)
{
	return marked_syscall(nr, a0, a1, a2, out);
}

static int intact(const struct regs *r, long a0, long a1, long a2)
{
	return r->rbx == 0xb0b0b0b0b0b0b0b0 && r->rbp == 0xbbbbbbbb00000001 &&
	       r->rdi == (unsigned long)a0 && r->rsi == (unsigned long)a1 &&
	       r->rdx == (unsigned long)a2 && r->r8 == 0x8888888800000008 &&
	       r->r9 == 0x9999999900000009 && r->r10 == 0xaaaaaaaa0000000a &&
	       r->r12 == 0xcccccccc0000000c && r->r13 == 0xdddddddd0000000d &&
	       r->r14 == 0xeeeeeeee0000000e && r->r15 == 0xffffffff0000000f &&
	       r->xmm0[0] == 0x1111222233334444 && r->xmm0[1] == 0x5555666677778888 &&
	       r->xmm7[0] == 0x99990000aaaabbbb && r->xmm7[1] == 0xccccddddeeeeffff &&
	       r->xmm15[0] == 0x0123456789abcdef && r->xmm15[1] == 0xfedcba9876543210;
}

int main(void)
{
	struct regs r;
	int p[2];
	char buf[8];
	contract_begin("regs_preserved");

	memset(&r, 0, sizeof(r));
	TRUE(call(SYS_getpid, 0x1234, 0x5678, 0x9abc, &r) > 0);
	TRUE(intact(&r, 0x1234, 0x5678, 0x9abc));
	VAL(pipe(p), 0);
	memset(&r, 0, sizeof(r));
	VAL(call(SYS_write, p[1], (long)"abc", 3, &r), 3);
	TRUE(intact(&r, p[1], (long)"abc", 3));
	memset(&r, 0, sizeof(r));
	VAL(call(SYS_read, p[0], (long)buf, sizeof(buf), &r), 3);
	TRUE(intact(&r, p[0], (long)buf, sizeof(buf)));
	memset(&r, 0, sizeof(r));
	VAL(call(500, 1, 2, 3, &r), -ENOSYS);
	TRUE(intact(&r, 1, 2, 3));
	memset(&r, 0, sizeof(r));
	VAL(call(SYS_close, 99, 0, 0, &r), -EBADF);
	TRUE(intact(&r, 99, 0, 0));
	return contract_end();
}
