/*
 * Regression tests for the holes a hostile test of the native ABI found,
 * each case named after the hole it closes. The attacks run in threads
 * of our own ("attackers") whose faults come to our fault endpoint, so a
 * refused attack shows up as a fault message and the kernel carries on.
 */
#include "guest.h"
#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/fault.h"
#include "tern/syscall.h"

#define PF_LABEL (TERN_FAULT_LABEL_BASE + 14)
#define GP_LABEL (TERN_FAULT_LABEL_BASE + 13)
#define NP_LABEL (TERN_FAULT_LABEL_BASE + 11)
#define UD_LABEL (TERN_FAULT_LABEL_BASE + 6)
#define PF_USER 4ull
#define USER_CS (0x28 | 3)
#define GDT_SELECTORS 9 /* the GDT's 8 slots and the first one past its limit */
#define LDT_SELECTORS 3
#define PAGE 4096ul
#define RW (TERN_RIGHT_READ | TERN_RIGHT_WRITE)
#define ATTACK_AREA 0x520000000000ul
#define ATTACK_STACK_PAGES 4
#define ATTACK_PRIORITY TERN_ROOT_PRIORITY /* ours: a spinning attacker cannot starve us */
#define WAIT_MS 5000

static uint64_t fault_ep, fault_reply, done_ntfn, park_ntfn;
static unsigned attacker_count;

static uint64_t ms_to_tsc(uint64_t ms)
{
	return guest_bootinfo->tsc_hz / 1000 * ms;
}

/* How an attacker thread ends: signal done, then wait for good. */
static void park(void) __attribute__((noreturn, used));
static void park(void)
{
	uint64_t bits;

	tern_signal(done_ntfn);
	for (;;)
		tern_wait(park_ntfn, &bits);
}

/* A thread of ours whose faults come to fault_ep; attacker_destroy frees
 * its objects. */
struct attacker {
	uint64_t tcb, stack, ipcbuf, base;
};

/* Make the thread, at `priority`, with registers *r (rsp and gs_base
 * filled in when 0), started when `resume`. */
static int attacker_make(struct attacker *a, const struct tern_regs *r, uint64_t priority,
			 int resume)
{
	uint64_t bits;

	*a = (struct attacker){ 0 };
	if (!fault_ep) {
		fault_ep = guest_create(TERN_CAP_ENDPOINT, 0);
		fault_reply = guest_create(TERN_CAP_REPLY, 0);
		done_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
		park_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
		CHECK(fault_ep && fault_reply && done_ntfn && park_ntfn);
	}
	tern_poll(done_ntfn, &bits); /* forget an earlier thread's signal */
	a->base = ATTACK_AREA + attacker_count++ * (64ul << 10);
	a->tcb = guest_create(TERN_CAP_TCB, 0);
	a->ipcbuf = guest_create(TERN_CAP_MEMOBJ, 1);
	a->stack = guest_create(TERN_CAP_MEMOBJ, ATTACK_STACK_PAGES);
	CHECK(a->tcb && a->ipcbuf && a->stack);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, a->base, a->ipcbuf, 0, 1, RW), TERN_EOK);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, a->base + 2 * PAGE, a->stack, 0,
				 ATTACK_STACK_PAGES, RW),
		 TERN_EOK);
	CHECK_EQ(tern_tcb_configure(a->tcb, fault_ep, a->base, 0, TERN_SLOT_CNODE, TERN_SLOT_VSPACE,
				    a->ipcbuf),
		 TERN_EOK);
	CHECK_EQ(tern_tcb_set_priority(a->tcb, priority), TERN_EOK);
	struct tern_regs regs = *r;
	if (!regs.rsp)
		regs.rsp = a->base + (2 + ATTACK_STACK_PAGES) * PAGE - 8;
	if (!regs.gs_base)
		regs.gs_base = a->base;
	CHECK_EQ(tern_tcb_write_registers(a->tcb, resume, &regs), TERN_EOK);
	return 0;
}

/* An attacker running fn(arg) at once. */
static int attacker_start(struct attacker *a, void (*fn)(uint64_t), uint64_t arg)
{
	struct tern_regs r = { .rip = (uint64_t)fn, .rdi = arg };

	return attacker_make(a, &r, ATTACK_PRIORITY, 1);
}

static void attacker_destroy(struct attacker *a)
{
	if (a->tcb)
		tern_cnode_delete(TERN_SLOT_CNODE, a->tcb, 64);
	if (a->base) {
		tern_vspace_unmap(TERN_SLOT_VSPACE, a->base, 1);
		tern_vspace_unmap(TERN_SLOT_VSPACE, a->base + 2 * PAGE, ATTACK_STACK_PAGES);
	}
	if (a->stack)
		tern_cnode_delete(TERN_SLOT_CNODE, a->stack, 64);
	if (a->ipcbuf)
		tern_cnode_delete(TERN_SLOT_CNODE, a->ipcbuf, 64);
	*a = (struct attacker){ 0 };
}

/* Wait up to `ms` for the attacker to fault (0, the message in *m, the
 * thread left suspended) or to finish (1); -1 if it did neither. */
static int attacker_wait(struct tern_msg *m, uint64_t ms)
{
	uint64_t end = guest_rdtsc() + ms_to_tsc(ms), bits = 0;

	do {
		if (tern_nbrecv(fault_ep, fault_reply, m) == TERN_EOK) {
			struct tern_msg stay = { .info = tern_msginfo(1, 0, 0) };
			tern_reply(fault_reply, &stay);
			return 0;
		}
		if (tern_poll(done_ntfn, &bits) == TERN_EOK && bits)
			return 1;
		tern_yield();
	} while (guest_rdtsc() < end);
	tern_printf("GUEST security: the attacker neither faulted nor finished in %lu ms\n", ms);
	return -1;
}

/* Run fn(arg) in an attacker thread until it faults or finishes, as
 * attacker_wait. */
static int attack(void (*fn)(uint64_t), uint64_t arg, struct tern_msg *m)
{
	struct attacker a;
	int r = -1;

	if (attacker_start(&a, fn, arg) == 0)
		r = attacker_wait(m, WAIT_MS);
	attacker_destroy(&a);
	return r;
}

static void print_fault(const struct tern_msg *m)
{
	tern_printf("GUEST security: fault label 0x%lx addr 0x%lx error 0x%lx rip 0x%lx\n",
		    tern_msginfo_label(m->info), m->mr[0], m->mr[1], m->mr[2]);
}

/*
 * ljmp_probe(selector): far-jump to compat_syscall_insn with cs =
 * selector, then execute syscall there. The far pointer (m16:32) is read
 * as ordinary data. lret_probe(selector) and iret_probe(selector): a far
 * return and an interrupt return from user mode to user mode, to
 * probe_resumed, which ends the thread with park().
 */
void ljmp_probe(uint64_t selector);
void lret_probe(uint64_t selector);
void iret_probe(uint64_t selector);
extern const char compat_syscall_insn[], probe_ljmp_insn[], probe_lret_insn[], probe_iret_insn[];
__asm__(".text\n"
	".globl ljmp_probe\n"
	"ljmp_probe:\n\t"
	"subq $8, %rsp\n\t"
	"leaq compat_syscall_insn(%rip), %rax\n\t"
	"movl %eax, (%rsp)\n\t"
	"movw %di, 4(%rsp)\n"
	".globl probe_ljmp_insn\n"
	"probe_ljmp_insn:\n\t"
	"ljmpl *(%rsp)\n"
	".globl compat_syscall_insn\n"
	"compat_syscall_insn:\n\t"
	"syscall\n\t"
	"ud2\n"
	".globl lret_probe\n"
	"lret_probe:\n\t"
	"pushq %rdi\n\t"
	"leaq probe_resumed(%rip), %rax\n\t"
	"pushq %rax\n"
	".globl probe_lret_insn\n"
	"probe_lret_insn:\n\t"
	"lretq\n"
	".globl iret_probe\n"
	"iret_probe:\n\t"
	"movq %rsp, %rax\n\t"
	"pushq $0x23\n\t"
	"pushq %rax\n\t"
	"pushfq\n\t"
	"pushq %rdi\n\t"
	"leaq probe_resumed(%rip), %rax\n\t"
	"pushq %rax\n"
	".globl probe_iret_insn\n"
	"probe_iret_insn:\n\t"
	"iretq\n"
	"probe_resumed:\n\t"
	"jmp park\n");

/*
 * The critical hole: a `syscall` in compatibility mode enters ring 0 at
 * MSR_CSTAR (AMD, QEMU's TCG), which was 0, and the GDT had a user 32-bit
 * code segment to get there. Every GDT selector but the 64-bit user code
 * one, and LDT ones, must now fault on the far jump (#GP or #NP naming
 * the selector). A
 * selector that still let the thread into compatibility mode reaches the
 * CSTAR stub, which must answer with an invalid-opcode fault at the
 * syscall instruction (that outcome is reported, and fails the case).
 */
static int compat_syscall_unreachable(void)
{
	/* The GDT's slots, then the first few of the LDT (TI set: there is no
	 * LDT, and only the kernel could load one). */
	for (uint64_t i = 0; i < GDT_SELECTORS + LDT_SELECTORS; i++) {
		uint64_t sel = i < GDT_SELECTORS ? i << 3 | 3 : (i - GDT_SELECTORS) << 3 | 4 | 3;
		struct tern_msg m;

		if (sel == USER_CS)
			continue;
		CHECK_EQ(attack(ljmp_probe, sel, &m), 0);
		uint64_t label = tern_msginfo_label(m.info);
		if (label == UD_LABEL && m.mr[2] == (uint64_t)compat_syscall_insn) {
			tern_printf("GUEST security: selector 0x%lx runs compatibility-mode code; "
				    "its syscall was refused (#UD)\n",
				    sel);
			return -1;
		}
		if ((label != GP_LABEL && label != NP_LABEL) ||
		    m.mr[2] != (uint64_t)probe_ljmp_insn) {
			print_fault(&m);
			return -1;
		}
		CHECK_EQ(m.mr[1], sel & ~3ull); /* the error code names the selector */
	}
	return 0;
}

/*
 * A far return and an interrupt return from user mode to user mode are
 * legal in ring 3: they either complete or fault, never leave the thread
 * spinning. They spun because QEMU's TCG before 9.1 reads their stack
 * with a supervisor access, which SMAP refuses, and the kernel "resolved"
 * that page fault by re-installing the present page, forever. Such a
 * fault (U/S clear) now goes to the fault handler, at the instruction.
 */
static int user_iret_lret_progress(void)
{
	static const struct {
		void (*probe)(uint64_t);
		const char *insn, *name;
	} probes[] = { { lret_probe, probe_lret_insn, "lret" },
		       { iret_probe, probe_iret_insn, "iret" } };

	for (unsigned i = 0; i < 2; i++) {
		struct tern_msg m;
		int r = attack(probes[i].probe, USER_CS, &m);

		CHECK(r >= 0);
		if (r == 1)
			continue;
		tern_printf("GUEST security: user %s faults with a supervisor-mode stack read "
			    "(an emulator bug, QEMU < 9.1 with SMAP)\n",
			    probes[i].name);
		if (tern_msginfo_label(m.info) != PF_LABEL || m.mr[2] != (uint64_t)probes[i].insn ||
		    (m.mr[1] & PF_USER)) {
			print_fault(&m);
			return -1;
		}
	}
	return 0;
}

/*
 * IOPORT_IN/OUT checked `port + width - 1 <= last` with a 64-bit port that
 * could wrap: a one-port cap reached ports 0xfffd..0xffff (and 0). Every
 * access that does not lie wholly inside the cap's range is refused.
 */
static int ioport_range_no_wrap(void)
{
	enum { PORT = 0x80 }; /* the POST diagnostic port: reading it is harmless */
	uint64_t one = guest_slot(), v;

	CHECK(one);
	CHECK_EQ(tern_ioport_mint_range(TERN_SLOT_IOPORT, PORT, PORT, TERN_SLOT_CNODE, one, 64),
		 TERN_EOK);
	CHECK_EQ(tern_ioport_in(one, PORT, 1, &v), TERN_EOK);
	CHECK_EQ(tern_ioport_in(one, PORT, 2, &v), TERN_ERANGE_ERROR);
	CHECK_EQ(tern_ioport_in(one, PORT - 1, 1, &v), TERN_ERANGE_ERROR);
	CHECK_EQ(tern_ioport_in(one, PORT - 1, 2, &v), TERN_ERANGE_ERROR);
	for (uint64_t w = 2; w <= 4; w += 2)
		for (uint64_t back = 1; back < w; back++) {
			/* port + w - 1 wraps to 0..PORT: ports 0xfffd..0xffff once truncated */
			CHECK_EQ(tern_ioport_in(one, 0 - back, w, &v), TERN_ERANGE_ERROR);
			CHECK_EQ(tern_ioport_out(one, 0 - back, w, 0), TERN_ERANGE_ERROR);
		}
	CHECK_EQ(tern_ioport_in(one, PORT + 0x10000, 1, &v), TERN_ERANGE_ERROR);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, one, 64), TERN_EOK);
	return 0;
}

/*
 * tls_reader(ntfn) waits on the notification, then reads %fs:0 and %gs:0
 * into rax and rdx and stops on ud2. tls_loader(selector, ntfn) loads the
 * selector into %fs and %gs (which sets their bases from the descriptor,
 * or clears them for a null selector on Intel and QEMU), signals the
 * notification and stops on ud2. Raw system calls: the loader's %gs is
 * no longer what a thread runtime may expect.
 */
void tls_loader(uint64_t selector, uint64_t ntfn);
void tls_reader(uint64_t ntfn);
extern const char tls_loader_ud2[], tls_reader_ud2[];
__asm__(".text\n"
	".globl tls_loader\n"
	"tls_loader:\n\t"
	"movl %edi, %fs\n\t"
	"movl %edi, %gs\n\t"
	"movq %rsi, %rdi\n\t"
	"movl $9, %eax\n\t" /* TERN_SYS_SIGNAL */
	"syscall\n"
	".globl tls_loader_ud2\n"
	"tls_loader_ud2:\n\t"
	"ud2\n"
	".globl tls_reader\n"
	"tls_reader:\n\t"
	"movl $10, %eax\n\t" /* TERN_SYS_WAIT */
	"syscall\n\t"
	"movq %fs:0, %rax\n\t"
	"movq %gs:0, %rdx\n"
	".globl tls_reader_ud2\n"
	"tls_reader_ud2:\n\t"
	"ud2\n");
_Static_assert(TERN_SYS_SIGNAL == 9 && TERN_SYS_WAIT == 10, "the TLS threads' syscall numbers");

/* The same for a native thread's TLS, whose only base is GS (FS base 0):
 * tls_gs_loader loads the selector into %gs only; tls_gs_reader reads
 * %gs:0 into rdx and its %fs and %gs selectors into rsi and rdi. */
void tls_gs_loader(uint64_t selector, uint64_t ntfn);
void tls_gs_reader(uint64_t ntfn);
extern const char tls_gs_loader_ud2[], tls_gs_reader_ud2[];
__asm__(".text\n"
	".globl tls_gs_loader\n"
	"tls_gs_loader:\n\t"
	"movl %edi, %gs\n\t"
	"movq %rsi, %rdi\n\t"
	"movl $9, %eax\n\t" /* TERN_SYS_SIGNAL */
	"syscall\n"
	".globl tls_gs_loader_ud2\n"
	"tls_gs_loader_ud2:\n\t"
	"ud2\n"
	".globl tls_gs_reader\n"
	"tls_gs_reader:\n\t"
	"movl $10, %eax\n\t" /* TERN_SYS_WAIT */
	"syscall\n\t"
	"movq %gs:0, %rdx\n\t"
	"movl %fs, %esi\n\t"
	"movl %gs, %edi\n"
	".globl tls_gs_reader_ud2\n"
	"tls_gs_reader_ud2:\n\t"
	"ud2\n");

static uint64_t tls_words[2] = { 0x5e1ec7f5ba5e0001ull, 0x5e1ec7f5ba5e0002ull };

/* Collect the two ud2 faults of a loader and a reader (in either order). */
static int tls_collect_at(const char *loader_ud2, const char *reader_ud2)
{
	int seen_loader = 0, seen_reader = 0;

	while (!(seen_loader && seen_reader)) {
		struct tern_msg m;
		CHECK_EQ(attacker_wait(&m, WAIT_MS), 0);
		if (tern_msginfo_label(m.info) != UD_LABEL) {
			print_fault(&m); /* a page fault here: the reader ran with base 0 */
			return -1;
		}
		if (m.mr[2] == (uint64_t)loader_ud2)
			seen_loader = 1;
		else if (m.mr[2] == (uint64_t)reader_ud2)
			seen_reader = 1;
		else
			return -1;
	}
	return 0;
}

static int tls_collect(void)
{
	return tls_collect_at(tls_loader_ud2, tls_reader_ud2);
}

/*
 * Thread-local bases: after a thread loaded a selector into %fs or %gs,
 * the next thread with the same bases ran with base 0 (a per-CPU cache of
 * the MSRs skipped the write), and READ_REGISTERS reported the loader's
 * old base. Both threads have the same bases and run above us: the reader
 * waits first, the loader loads the selector, wakes the reader and stops,
 * so the CPU goes from the loader straight to the reader, which must read
 * its own words through %fs and %gs.
 */
static int tls_selector_load_isolated(void)
{
	static const uint64_t selectors[] = { 0x23, 0 }; /* user data, null */
	uint64_t wake = guest_create(TERN_CAP_NOTIFICATION, 0);

	CHECK(wake);
	for (unsigned i = 0; i < 2; i++) {
		struct attacker loader, reader;
		struct tern_regs lr = { .rip = (uint64_t)tls_loader,
					.rdi = selectors[i],
					.rsi = wake,
					.fs_base = (uint64_t)&tls_words[0],
					.gs_base = (uint64_t)&tls_words[1] };
		struct tern_regs rr = { .rip = (uint64_t)tls_reader,
					.rdi = wake,
					.fs_base = lr.fs_base,
					.gs_base = lr.gs_base };
		struct tern_regs out;

		CHECK_EQ(attacker_make(&reader, &rr, ATTACK_PRIORITY + 1, 1), 0); /* now waits */
		CHECK_EQ(attacker_make(&loader, &lr, ATTACK_PRIORITY + 1, 1), 0);
		int r = tls_collect();
		if (r == 0) {
			CHECK_EQ(tern_tcb_read_registers(reader.tcb, &out), TERN_EOK);
			CHECK_EQ(out.rax, tls_words[0]);
			CHECK_EQ(out.rdx, tls_words[1]);
			/* The loader runs with the descriptor's base (0) for 0x23; a
			 * null selector clears the base on Intel and QEMU, keeps it
			 * on AMD hardware. */
			CHECK_EQ(tern_tcb_read_registers(loader.tcb, &out), TERN_EOK);
			if (selectors[i]) {
				CHECK_EQ(out.fs_base, 0);
				CHECK_EQ(out.gs_base, 0);
			} else {
				CHECK(out.fs_base == 0 || out.fs_base == lr.fs_base);
				CHECK(out.gs_base == 0 || out.gs_base == lr.gs_base);
			}
		}
		attacker_destroy(&loader);
		attacker_destroy(&reader);
		CHECK_EQ(r, 0);
	}

	/* Native threads: FS base 0, the TLS in GS. The switch tests the
	 * selectors and the FS bases together; a selector in %gs alone must
	 * still be seen (the loader's base read back, the selector reset). */
	for (unsigned i = 0; i < 2; i++) {
		struct attacker loader, reader;
		struct tern_regs lr = { .rip = (uint64_t)tls_gs_loader,
					.rdi = selectors[i],
					.rsi = wake,
					.gs_base = (uint64_t)&tls_words[1] };
		struct tern_regs rr = { .rip = (uint64_t)tls_gs_reader,
					.rdi = wake,
					.gs_base = lr.gs_base };
		struct tern_regs out;

		CHECK_EQ(attacker_make(&reader, &rr, ATTACK_PRIORITY + 1, 1), 0);
		CHECK_EQ(attacker_make(&loader, &lr, ATTACK_PRIORITY + 1, 1), 0);
		int r = tls_collect_at(tls_gs_loader_ud2, tls_gs_reader_ud2);
		if (r == 0) {
			CHECK_EQ(tern_tcb_read_registers(reader.tcb, &out), TERN_EOK);
			CHECK_EQ(out.rdx, tls_words[1]);
			CHECK_EQ(out.rsi, 0); /* no selector leaked into the reader */
			CHECK_EQ(out.rdi, 0);
			CHECK_EQ(tern_tcb_read_registers(loader.tcb, &out), TERN_EOK);
			CHECK_EQ(out.fs_base, 0);
			if (selectors[i])
				CHECK_EQ(out.gs_base, 0);
			else
				CHECK(out.gs_base == 0 || out.gs_base == lr.gs_base);
		}
		attacker_destroy(&loader);
		attacker_destroy(&reader);
		CHECK_EQ(r, 0);
	}
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, wake, 64), TERN_EOK);

	/* READ_REGISTERS of the thread whose bases are in the MSRs: ours. */
	struct tern_regs self;
	CHECK_EQ(tern_tcb_read_registers(TERN_SLOT_TCB, &self), TERN_EOK);
	CHECK_EQ(tern_tcb_set_tls(TERN_SLOT_TCB, (uint64_t)&tls_words[0], self.gs_base), TERN_EOK);
	uint64_t word;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(word));
	CHECK_EQ(word, tls_words[0]);
	__asm__ volatile("movl %0, %%fs" ::"r"(0x23));
	struct tern_regs now;
	int err = tern_tcb_read_registers(TERN_SLOT_TCB, &now);
	CHECK_EQ(tern_tcb_set_tls(TERN_SLOT_TCB, self.fs_base, self.gs_base), TERN_EOK);
	CHECK_EQ(err, TERN_EOK);
	CHECK_EQ(now.fs_base, 0); /* the user data descriptor's base */
	CHECK_EQ(now.gs_base, self.gs_base);
	return 0;
}

/*
 * UMIP: sgdt, sidt, sldt, smsw and str are legal in ring 3 and showed the
 * kernel's GDT and IDT addresses (kernel-image addresses). Where the CPU
 * offers UMIP the kernel turns it on and each of them faults (#GP, at the
 * instruction); without it the case says so and checks nothing.
 */
void umip_probe(uint64_t which);
extern const char umip_insns[];
__asm__(".text\n"
	".globl umip_probe\n"
	"umip_probe:\n\t"
	"subq $16, %rsp\n\t"
	"leaq umip_insns(%rip), %rax\n\t"
	"imulq $8, %rdi\n\t" /* each entry below is 8 bytes */
	"addq %rdi, %rax\n\t"
	"jmp *%rax\n\t"
	".balign 8\n"
	".globl umip_insns\n"
	"umip_insns:\n\t"
	"sgdt (%rsp)\n\t" /* 4 bytes */
	"jmp 1f\n\t"	  /* 2 */
	".balign 8\n\t"
	"sidt (%rsp)\n\t"
	"jmp 1f\n\t"
	".balign 8\n\t"
	"sldt %ax\n\t"
	"jmp 1f\n\t"
	".balign 8\n\t"
	"smsw %ax\n\t"
	"jmp 1f\n\t"
	".balign 8\n\t"
	"str %ax\n\t"
	"jmp 1f\n"
	"1:\n\t"
	"addq $16, %rsp\n\t"
	"jmp park\n");

static int umip_blocks_descriptor_leaks(void)
{
	static const char *const names[] = { "sgdt", "sidt", "sldt", "smsw", "str" };
	uint32_t max, a, b, c = 0, d;

	__asm__ volatile("cpuid" : "=a"(max), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (max >= 7)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	if (max < 7 || !(c & (1u << 2))) {
		tern_printf("GUEST security: skip umip: the CPU has no UMIP (CPUID.7.0:ECX[2])\n");
		return 0;
	}
	for (uint64_t i = 0; i < 5; i++) {
		struct tern_msg m;
		CHECK_EQ(attack(umip_probe, i, &m), 0); /* faulted, did not finish */
		if (tern_msginfo_label(m.info) != GP_LABEL ||
		    m.mr[2] != (uint64_t)umip_insns + 8 * i) {
			tern_printf("GUEST security: %s in user mode: ", names[i]);
			print_fault(&m);
			return -1;
		}
	}
	return 0;
}

/* Frames not in use: free, or waiting zeroed in the pool (which the idle
 * loop may fill from free ones at any time). The kernel heap's frames
 * (MR1) are not counted: an allocation there that no quota pays for
 * shows up as frames taken beyond the charge. */
static uint64_t avail_frames(void)
{
	uint64_t o[4] = { 0 };

	if (tern_debug_query(TERN_DEBUG_QUERY_FRAMES, 0, o) != TERN_EOK)
		return 0;
	return o[0];
}

static uint64_t quota_used(uint64_t q)
{
	uint64_t used = ~0ull, limit;

	tern_quota_query(q, &used, &limit);
	return used;
}

/* The frames that left the free pool since `before` are exactly what the
 * quota is charged for now (it held nothing at `before`). */
#define CHECK_FRAMES_MATCH(before, q)                                                           \
	do {                                                                                    \
		uint64_t taken_ = ((before)-avail_frames()) * PAGE, used_ = quota_used(q);      \
		if (taken_ != used_) {                                                          \
			tern_printf("GUEST security: %lu bytes of frames taken, quota charged " \
				    "%lu\n",                                                    \
				    taken_, used_);                                             \
			return -1;                                                              \
		}                                                                               \
	} while (0)

#define HOLDER_RADIX 12
#define FILL_QUOTA (16ul << 20)

/*
 * Quotas: CNodes were charged ~12% less than the power-of-two block they
 * took, small objects their size and not their slab's, and the zero pool
 * nobody: a task filling its quota with CNodes ran the machine out of
 * frames while quotas showed room. Now a quota's charge is exactly the
 * frames that left the free pool for it, when filled with every kind of
 * object, after frees that leave slabs nearly empty, and when emptied.
 */
static int quota_charges_real_frames(void)
{
	uint64_t holder = guest_create(TERN_CAP_CNODE, HOLDER_RADIX), q = guest_slot();
	unsigned n = 0, cnodes = 0;

	CHECK(holder && q);
	CHECK(avail_frames() != 0);
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, FILL_QUOTA, TERN_SLOT_CNODE, q, 64), TERN_EOK);
	uint64_t avail0 = avail_frames();
	CHECK_EQ(quota_used(q), 0);

	/* Small objects of several size classes, then CNodes of radix 12 (57
	 * pages of slots and header in a 64-page block) until the quota is full. */
	static const struct {
		uint64_t type, count;
	} small[] = { { TERN_CAP_ENDPOINT, 2048 }, { TERN_CAP_NOTIFICATION, 300 },
		      { TERN_CAP_REPLY, 300 },	   { TERN_CAP_TCB, 60 },
		      { TERN_CAP_MEMOBJ, 100 },	   { TERN_CAP_VSPACE, 20 } };
	for (unsigned k = 0; k < sizeof(small) / sizeof(small[0]); k++)
		for (uint64_t i = 0; i < small[k].count; i++, n++)
			CHECK_EQ(tern_quota_create(q, small[k].type,
						   small[k].type == TERN_CAP_MEMOBJ, holder, n, 64),
				 TERN_EOK);
	CHECK_FRAMES_MATCH(avail0, q);
	unsigned first_cnode = n;
	while (tern_quota_create(q, TERN_CAP_CNODE, 12, holder, n, 64) == TERN_EOK)
		n++, cnodes++;
	CHECK(cnodes > 10);
	CHECK_FRAMES_MATCH(avail0, q);
	CHECK(quota_used(q) <= FILL_QUOTA);

	/* Keep one endpoint in 64: slabs stay, nearly empty, and charged. */
	for (unsigned i = 0; i < 2048; i++)
		if (i % 64)
			CHECK_EQ(tern_cnode_delete(holder, i, 64), TERN_EOK);
	CHECK_FRAMES_MATCH(avail0, q);
	for (unsigned i = first_cnode; i < n; i++)
		CHECK_EQ(tern_cnode_delete(holder, i, 64), TERN_EOK);
	CHECK_FRAMES_MATCH(avail0, q);
	for (unsigned i = 0; i < first_cnode; i++)
		tern_cnode_delete(holder, i, 64);
	CHECK_EQ(quota_used(q), 0);
	CHECK_EQ(avail_frames(), avail0);

	/* The documented largest CNodes: radix 16 is 2^16 56-byte slots and a
	 * header, in a 4 MiB block charged whole. */
	CHECK_EQ(tern_quota_create(q, TERN_CAP_CNODE, 16, holder, 0, 64), TERN_EOK);
	CHECK_EQ(quota_used(q), 4ul << 20);
	CHECK_EQ(tern_quota_create(q, TERN_CAP_CNODE, 15, holder, 1, 64), TERN_EOK);
	CHECK_EQ(quota_used(q), 6ul << 20);
	CHECK_FRAMES_MATCH(avail0, q);
	CHECK_EQ(tern_quota_create(q, TERN_CAP_CNODE, 17, holder, 2, 64), TERN_ERANGE_ERROR);
	CHECK_EQ(tern_cnode_delete(holder, 0, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(holder, 1, 64), TERN_EOK);
	CHECK_EQ(quota_used(q), 0);
	CHECK_EQ(avail_frames(), avail0);

	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, q, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, holder, 64), TERN_EOK);
	return 0;
}

/*
 * The kernel's own memory and the zero pool are left out of the root
 * quota: all of the root quota can be charged without the machine running
 * out of frames first, and what is still free then is at least the zero
 * pool's room.
 */
static int root_quota_leaves_kernel_reserve(void)
{
	uint64_t used = guest_quota_used(), limit;
	uint64_t holder = guest_create(TERN_CAP_CNODE, HOLDER_RADIX);

	CHECK(holder);
	/* Fill the root quota with 2 MiB CNodes (radix 15), then pages. */
	unsigned n = 0;
	while (n < (1u << HOLDER_RADIX) &&
	       tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_CNODE, 15, holder, n, 64) == TERN_EOK)
		n++;
	while (n < (1u << HOLDER_RADIX) &&
	       tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_CNODE, 6, holder, n, 64) == TERN_EOK)
		n++;
	uint64_t used_full, free_full[4];
	CHECK_EQ(tern_quota_query(TERN_SLOT_QUOTA, &used_full, &limit), TERN_EOK);
	CHECK_EQ(tern_debug_query(TERN_DEBUG_QUERY_FRAMES, 0, free_full), TERN_EOK);
	tern_printf("GUEST security: root quota full at %lu of %lu KiB, %lu KiB still free or "
		    "in the zero pool\n",
		    used_full >> 10, limit >> 10, free_full[0] * 4);
	CHECK(limit - used_full < 8 * PAGE); /* it did fill up */
	CHECK(free_full[0] * PAGE >= 64ul << 20);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, holder, 64), TERN_EOK);
	CHECK_EQ(guest_quota_used(), used); /* all of it back */
	return 0;
}

/* An attacker that calls `ep` forever. */
static void caller_loop(uint64_t ep)
{
	for (;;) {
		struct tern_msg m = { .info = tern_msginfo(7, 0, 1), .mr = { 0x5ec } };
		tern_call(ep, &m);
	}
}

/*
 * Receiving takes the read right: Recv, NBRecv and ReplyRecv (slow and
 * fast path) on an endpoint cap with only the write right, and Wait and
 * Poll on a notification cap without it, are refused and take nothing
 * (a caller stays queued, bits stay pending).
 */
static int recv_needs_read_right(void)
{
	uint64_t ep = guest_create(TERN_CAP_ENDPOINT, 0), reply = guest_create(TERN_CAP_REPLY, 0);
	uint64_t ntfn = guest_create(TERN_CAP_NOTIFICATION, 0), wo = guest_slot(),
		 nwo = guest_slot();
	struct attacker a;
	struct tern_msg m;
	uint64_t bits;

	CHECK(ep && reply && ntfn && wo && nwo);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, wo, 64, ep, 64, TERN_RIGHT_WRITE), TERN_EOK);
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, nwo, 64, ntfn, 64, TERN_RIGHT_WRITE), TERN_EOK);
	struct tern_regs r = { .rip = (uint64_t)caller_loop, .rdi = ep };
	CHECK_EQ(attacker_make(&a, &r, ATTACK_PRIORITY + 1, 1), 0); /* now queued on ep */

	CHECK_EQ(tern_nbrecv(wo, reply, &m), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_recv(wo, reply, &m), TERN_EINSUFFICIENT_RIGHTS);
	m = (struct tern_msg){ .info = tern_msginfo(0, 0, 0) };
	CHECK_EQ(tern_reply_recv(wo, reply, &m), TERN_EINSUFFICIENT_RIGHTS);
	/* The caller is still there for a receiver with the right. */
	CHECK_EQ(tern_nbrecv(ep, reply, &m), TERN_EOK);
	CHECK_EQ(m.mr[0], 0x5ec);
	/* ReplyRecv with a caller to answer: the fast path's case. The reply
	 * goes out; the receive half is refused, not left waiting on ep. */
	m = (struct tern_msg){ .info = tern_msginfo(0, 0, 0) };
	CHECK_EQ(tern_reply_recv(wo, reply, &m), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_nbrecv(ep, reply, &m), TERN_EOK); /* it called again */
	CHECK_EQ(m.mr[0], 0x5ec);
	attacker_destroy(&a);

	CHECK_EQ(tern_signal(ntfn), TERN_EOK);
	CHECK_EQ(tern_poll(nwo, &bits), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_wait(nwo, &bits), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_nbrecv(nwo, reply, &m), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_poll(ntfn, &bits), TERN_EOK);
	CHECK(bits != 0);		      /* still pending */
	CHECK_EQ(tern_signal(nwo), TERN_EOK); /* signalling is what it may do */

	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, wo, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, nwo, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, ntfn, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, reply, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, ep, 64), TERN_EOK);
	return 0;
}

/*
 * Addresses outside the user half, the kernel image's above all (not only
 * the direct map, which the core suite tries): every native call that
 * takes a user address refuses them and changes nothing. Calls that take
 * an address the kernel will use or enter (a buffer, TLS bases, rip, rsp,
 * the IPC buffer, a personality entry) answer TERN_EBAD_ADDRESS; VSpace
 * operations, which take ranges of the user half, TERN_ERANGE_ERROR (and
 * VSPACE_QUERY reports nothing mapped).
 */
static int kernel_image_pointers_refused(void)
{
	static const uint64_t bad[] = {
		0xffffffff80000000ull, /* the kernel image's base */
		0xffffffff80100000ull, /* its text, loaded at 1 MiB */
		0xfffffffffffff000ull, /* the last page */
		0xffff800000000000ull, /* the direct map */
		0x00007ffffffff000ull, /* the first page past the user half */
		0x0000800000000000ull, /* non-canonical */
	};
	uint64_t tcb = guest_create(TERN_CAP_TCB, 0), mo = guest_create(TERN_CAP_MEMOBJ, 1);
	uint64_t ipc = guest_create(TERN_CAP_MEMOBJ, 1);
	struct tern_regs before, now, r;

	CHECK(tcb && mo && ipc);
	CHECK_EQ(tern_tcb_read_registers(tcb, &before), TERN_EOK);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t a = bad[i], q[3];

		CHECK_EQ(tern_debug_puts((const char *)a, 8), TERN_EBAD_ADDRESS);
		CHECK_EQ(tern_debug_puts((const char *)a, 0), TERN_EBAD_ADDRESS);
		CHECK_EQ(tern_tcb_set_tls(tcb, a, 0), TERN_EBAD_ADDRESS);
		CHECK_EQ(tern_tcb_set_tls(tcb, 0, a), TERN_EBAD_ADDRESS);
		uint64_t *fields[] = { &r.rip, &r.rsp, &r.fs_base, &r.gs_base };
		for (unsigned f = 0; f < 4; f++) {
			r = before;
			*fields[f] = a;
			CHECK_EQ(tern_tcb_write_registers(tcb, 0, &r), TERN_EBAD_ADDRESS);
		}
		CHECK_EQ(tern_tcb_configure(tcb, 0, a & ~0xfffull, 0, TERN_SLOT_CNODE,
					    TERN_SLOT_VSPACE, ipc),
			 TERN_EBAD_ADDRESS);
		CHECK_EQ(tern_tcb_set_personality(tcb, a, a, a + 0x1000), TERN_EBAD_ADDRESS);
		CHECK_EQ(tern_tcb_set_personality(tcb, 0x400000, 0x400000, a + 1),
			 TERN_EBAD_ADDRESS);
		CHECK_EQ(
			tern_vspace_map(TERN_SLOT_VSPACE, a & ~0xfffull, mo, 0, 1, TERN_RIGHT_READ),
			TERN_ERANGE_ERROR);
		CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, a & ~0xfffull, 1), TERN_ERANGE_ERROR);
		CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, a & ~0xfffull, 1, TERN_RIGHT_READ),
			 TERN_ERANGE_ERROR);
		CHECK_EQ(tern_vspace_query(TERN_SLOT_VSPACE, a, q), TERN_EOK);
		CHECK_EQ(q[0], 0);
	}
	/* A buffer that starts in the user half and runs past it. */
	CHECK_EQ(tern_debug_puts((const char *)0x00007ffffffffffcull, 8), TERN_EBAD_ADDRESS);
	CHECK_EQ(tern_tcb_read_registers(tcb, &now), TERN_EOK);
	CHECK_EQ(now.rip, before.rip);
	CHECK_EQ(now.rsp, before.rsp);
	CHECK_EQ(now.fs_base, before.fs_base);
	CHECK_EQ(now.gs_base, before.gs_base);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, tcb, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, mo, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, ipc, 64), TERN_EOK);
	return 0;
}

#define CHAIN_DEPTH 1500

/*
 * A chain of quotas, each split from the one before, whose caps are all
 * deleted but the last: deleting that one releases the whole chain at
 * once. The release walked up the chain by recursion, two frames a
 * level, on the kernel's 16 KiB stack; it is a loop now.
 */
static int quota_chain_release(void)
{
	static volatile uint64_t chain[CHAIN_DEPTH];

	for (unsigned i = 0; i < CHAIN_DEPTH; i++)
		chain[i] = 0; /* fault its pages in before measuring */
	uint64_t used = guest_quota_used(), avail = avail_frames(), prev = TERN_SLOT_QUOTA;
	uint64_t room = (uint64_t)(CHAIN_DEPTH + 1) * 2 * PAGE;

	for (unsigned i = 0; i < CHAIN_DEPTH; i++) {
		chain[i] = guest_slot();
		CHECK(chain[i]);
		/* Each level pays its child's budget and a slab page for its
		 * quota object. */
		CHECK_EQ(tern_quota_split(prev, room, TERN_SLOT_CNODE, chain[i], 64), TERN_EOK);
		prev = chain[i];
		room -= 2 * PAGE;
	}
	for (unsigned i = 0; i + 1 < CHAIN_DEPTH; i++)
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, chain[i], 64), TERN_EOK);
	CHECK(guest_quota_used() > used); /* all alive, held by the last */
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, chain[CHAIN_DEPTH - 1], 64), TERN_EOK);
	CHECK_EQ(guest_quota_used(), used);
	CHECK_EQ(avail_frames(), avail);
	return 0;
}

/*
 * int_probe(n): `int $n` (entry n of int_insns, 4 bytes each: int, ud2).
 * int3_probe: the one-byte int3.
 */
void int_probe(uint64_t n);

void int3_probe(uint64_t unused);
extern const char int_insns[], int3_insn[];
__asm__(".text\n"
	".globl int_probe\n"
	"int_probe:\n\t"
	"leaq int_insns(%rip), %rax\n\t"
	"leaq (%rax,%rdi,4), %rax\n\t"
	"jmp *%rax\n\t"
	".balign 4\n"
	".globl int_insns\n"
	"int_insns:\n\t"
	".set int_n, 0\n\t"
	".rept 256\n\t"
	".byte 0xcd, int_n, 0x0f, 0x0b\n\t"
	".set int_n, int_n + 1\n\t"
	".endr\n"
	".globl int3_probe\n"
	"int3_probe:\n"
	".globl int3_insn\n"
	"int3_insn:\n\t"
	"int3\n\t"
	"ud2\n");

/*
 * Software interrupts: no IDT gate is open to user mode, so `int $n` for
 * every n (the IRQ and timer vectors included, whose handlers would
 * acknowledge interrupts that never came) is a #GP naming the gate, at
 * the instruction, and so is int3.
 */
/* #GP's error code for IDT entry n: n * 8 + 2 (IDT bit), or n * 16 + 2
 * from QEMU's TCG before its fix (the entry's byte offset). */
static int names_gate(uint64_t error, uint64_t n)
{
	return error == (n << 3 | 2) || error == (n << 4 | 2);
}

static int user_int_refused(void)
{
	struct tern_msg m;

	for (uint64_t n = 0; n < 256; n++) {
		CHECK_EQ(attack(int_probe, n, &m), 0);
		if (tern_msginfo_label(m.info) != GP_LABEL || !names_gate(m.mr[1], n) ||
		    m.mr[2] != (uint64_t)int_insns + 4 * n) {
			tern_printf("GUEST security: int $%lu: ", n);
			print_fault(&m);
			return -1;
		}
	}
	CHECK_EQ(attack(int3_probe, 0, &m), 0);
	CHECK_EQ(tern_msginfo_label(m.info), GP_LABEL);
	CHECK(names_gate(m.mr[1], 3));
	CHECK_EQ(m.mr[2], (uint64_t)int3_insn);
	return 0;
}

/*
 * Object capabilities carry rights too: what changes an object or acts
 * through it needs the write right, what only reads it the read right
 * (tern/invocation.h's rights column). A task handed a read-only cap to
 * a thread, an address space, a quota, a CNode or I/O ports can look but
 * not act; a cap with neither right can do neither.
 */
static uint64_t copy_with(uint64_t cap, uint64_t rights)
{
	uint64_t slot = guest_slot();

	if (!slot || tern_cnode_copy(TERN_SLOT_CNODE, slot, 64, cap, 64, rights) != TERN_EOK)
		return 0;
	return slot;
}

static int object_invocations_need_rights(void)
{
	const uint64_t R = TERN_RIGHT_READ, W = TERN_RIGHT_WRITE;
	uint64_t tcb = guest_create(TERN_CAP_TCB, 0), victim = guest_create(TERN_CAP_ENDPOINT, 0);
	uint64_t tcb_r = copy_with(tcb, R), tcb_w = copy_with(tcb, W), tcb_0 = copy_with(tcb, 0);
	uint64_t vs_r = copy_with(TERN_SLOT_VSPACE, R), q_r = copy_with(TERN_SLOT_QUOTA, R);
	uint64_t cn_r = copy_with(TERN_SLOT_CNODE, R), io_r = copy_with(TERN_SLOT_IOPORT, R);
	uint64_t io_w = copy_with(TERN_SLOT_IOPORT, W), slot = guest_slot();
	struct tern_regs regs;
	uint64_t used, limit, v, q[3];

	CHECK(tcb && victim && tcb_r && tcb_w && tcb_0 && vs_r && q_r && cn_r && io_r && io_w &&
	      slot);
	CHECK_EQ(tern_tcb_set_priority(tcb_r, 1), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_tcb_resume(tcb_r), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_tcb_set_tls(tcb_r, 0, 0), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_tcb_read_registers(tcb_r, &regs), TERN_EOK);
	CHECK_EQ(tern_tcb_read_registers(tcb_w, &regs), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_tcb_set_priority(tcb_w, 1), TERN_EOK);
	CHECK_EQ(tern_tcb_read_registers(tcb_0, &regs), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_tcb_set_priority(tcb_0, 1), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_vspace_unmap(vs_r, 0x500000000ul, 1), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_vspace_query(vs_r, 0x500000000ul, q), TERN_EOK);
	CHECK_EQ(tern_quota_create(q_r, TERN_CAP_ENDPOINT, 0, TERN_SLOT_CNODE, slot, 64),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_quota_split(q_r, 4096, TERN_SLOT_CNODE, slot, 64), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_quota_query(q_r, &used, &limit), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(cn_r, victim, 64), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_cnode_copy(cn_r, slot, 64, victim, 64, TERN_RIGHTS_ALL),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_ioport_out(io_r, 0x80, 1, 0), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_ioport_in(io_w, 0x80, 1, &v), TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_ioport_in(io_r, 0x80, 1, &v), TERN_EOK);
	/* Nothing happened: the victim is still there, the slot still empty. */
	CHECK_EQ(tern_cnode_copy(TERN_SLOT_CNODE, slot, 64, victim, 64, TERN_RIGHTS_ALL), TERN_EOK);
	uint64_t all[] = { slot, tcb_r, tcb_w, tcb_0, vs_r, q_r, cn_r, io_r, io_w, victim, tcb };
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, all[i], 64), TERN_EOK);
	return 0;
}

static const struct guest_case cases[] = {
	{ "object_invocations_need_rights", object_invocations_need_rights },
	{ "user_int_refused", user_int_refused },
	{ "quota_chain_release", quota_chain_release },
	{ "recv_needs_read_right", recv_needs_read_right },
	{ "kernel_image_pointers_refused", kernel_image_pointers_refused },
	{ "quota_charges_real_frames", quota_charges_real_frames },
	{ "root_quota_leaves_kernel_reserve", root_quota_leaves_kernel_reserve },
	{ "umip_blocks_descriptor_leaks", umip_blocks_descriptor_leaks },
	{ "tls_selector_load_isolated", tls_selector_load_isolated },
	{ "ioport_range_no_wrap", ioport_range_no_wrap },
	{ "compat_syscall_unreachable", compat_syscall_unreachable },
	{ "user_iret_lret_progress", user_iret_lret_progress },
};

int main(void)
{
	guest_run("security", cases, sizeof(cases) / sizeof(cases[0]));
}
