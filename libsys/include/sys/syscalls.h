/*
 * Native system call stubs (register convention in tern/syscall.h).
 *
 * One raw stub per entry of TERN_SYSCALLS is generated from that list,
 * tern_sys_<NAME>(struct tern_sysregs *), so a number can never drift and
 * a new call gets a stub without edits here. The typed wrappers below are
 * written on top of the raw stubs; renaming a call breaks their build.
 *
 * Host unit tests (HOST_TEST) replace the `syscall` instruction with
 * tern_host_syscall(), which the test provides as a fake kernel.
 */
#ifndef SYS_SYSCALLS_H
#define SYS_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>

#include "tern/caps.h"
#include "tern/errors.h"
#include "tern/msginfo.h"
#include "tern/regs.h"
#include "tern/syscall.h"

/* Every register a native call reads or writes. */
struct tern_sysregs {
	uint64_t rdi;			 /* in: CPtr; out: badge */
	tern_msginfo_t rsi;		 /* message info, in and out */
	uint64_t mr[TERN_MSG_REG_WORDS]; /* rdx, r10, r8, r9 */
	uint64_t r12;			 /* in: Reply CPtr */
};

/* A short message: info word, the register words and the sender's badge. */
struct tern_msg {
	tern_msginfo_t info;
	uint64_t mr[TERN_MSG_REG_WORDS];
	uint64_t badge;
};

#ifdef HOST_TEST
uint64_t tern_host_syscall(uint64_t num, struct tern_sysregs *r);

static inline uint64_t tern_syscall(uint64_t num, struct tern_sysregs *r)
{
	return tern_host_syscall(num, r);
}
#else
static inline uint64_t tern_syscall(uint64_t num, struct tern_sysregs *r)
{
	register uint64_t rax __asm__("rax") = num;
	register uint64_t rdi __asm__("rdi") = r->rdi;
	register uint64_t rsi __asm__("rsi") = r->rsi;
	register uint64_t rdx __asm__("rdx") = r->mr[0];
	register uint64_t r10 __asm__("r10") = r->mr[1];
	register uint64_t r8 __asm__("r8") = r->mr[2];
	register uint64_t r9 __asm__("r9") = r->mr[3];
	register uint64_t r12 __asm__("r12") = r->r12;

	/* r12 is listed as in-out only to be safe: the kernel need not keep it. */
	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
			   "+r"(r9), "+r"(r12)
			 :
			 : "rcx", "r11", "memory");
	r->rdi = rdi;
	r->rsi = rsi;
	r->mr[0] = rdx;
	r->mr[1] = r10;
	r->mr[2] = r8;
	r->mr[3] = r9;
	return rax;
}
#endif

#define TERN_SYSCALL_STUB(name, num)                                          \
	static inline enum tern_error tern_sys_##name(struct tern_sysregs *r) \
	{                                                                     \
		_Static_assert(TERN_SYS_##name == (num), "syscall number");   \
		return (enum tern_error)tern_syscall(TERN_SYS_##name, r);     \
	}
TERN_SYSCALLS(TERN_SYSCALL_STUB)
#undef TERN_SYSCALL_STUB

static inline struct tern_sysregs tern_msg_regs(tern_cptr_t cptr, const struct tern_msg *m,
						tern_cptr_t reply)
{
	struct tern_sysregs r = { .rdi = cptr, .rsi = m->info, .r12 = reply };

	for (int i = 0; i < TERN_MSG_REG_WORDS; i++)
		r.mr[i] = m->mr[i];
	return r;
}

static inline void tern_msg_from_regs(struct tern_msg *m, const struct tern_sysregs *r)
{
	m->info = r->rsi;
	m->badge = r->rdi;
	for (int i = 0; i < TERN_MSG_REG_WORDS; i++)
		m->mr[i] = r->mr[i];
}

#ifdef HOST_TEST
/* Call: send *inout on an endpoint (or invoke an object) and wait for the
 * reply, which replaces *inout (badge included). */
static inline enum tern_error tern_call(tern_cptr_t cptr, struct tern_msg *inout)
{
	struct tern_sysregs r = tern_msg_regs(cptr, inout, 0);
	enum tern_error err = tern_sys_CALL(&r);

	tern_msg_from_regs(inout, &r);
	return err;
}
#else
/* The profiler (sys/prof.h): its flag, and the Call it times
 * (src/prof_call.S). */
extern uint8_t tern_prof_on;
void tern_prof_syscall_call(void);

/* Call: send *inout on an endpoint (or invoke an object) and wait for the
 * reply, which replaces *inout (badge included). With the profiler on
 * the `syscall` goes through tern_prof_syscall_call, which takes the same
 * registers, times the round trip and takes a server's stamp out of the
 * reply label: off, that costs the compare and the branch not taken. */
static inline enum tern_error tern_call(tern_cptr_t cptr, struct tern_msg *inout)
{
	register uint64_t rax __asm__("rax") = TERN_SYS_CALL;
	register uint64_t rdi __asm__("rdi") = cptr;
	register uint64_t rsi __asm__("rsi") = inout->info;
	register uint64_t rdx __asm__("rdx") = inout->mr[0];
	register uint64_t r10 __asm__("r10") = inout->mr[1];
	register uint64_t r8 __asm__("r8") = inout->mr[2];
	register uint64_t r9 __asm__("r9") = inout->mr[3];
	register uint64_t r12 __asm__("r12") = 0;

	/* The out-of-line path steps below the red zone before its call. */
	__asm__ volatile("cmpb $0, tern_prof_on(%%rip)\n\t"
			 "jne 1f\n\t"
			 "syscall\n"
			 "2:\n\t"
			 ".pushsection .text.unlikely, \"ax\"\n"
			 "1:\tleaq -128(%%rsp), %%rsp\n\t"
			 "call tern_prof_syscall_call\n\t"
			 "leaq 128(%%rsp), %%rsp\n\t"
			 "jmp 2b\n\t"
			 ".popsection"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
			   "+r"(r9), "+r"(r12)
			 :
			 : "rcx", "r11", "memory", "cc");
	inout->info = rsi;
	inout->badge = rdi;
	inout->mr[0] = rdx;
	inout->mr[1] = r10;
	inout->mr[2] = r8;
	inout->mr[3] = r9;
	return (enum tern_error)rax;
}
#endif

static inline enum tern_error tern_send(tern_cptr_t ep, const struct tern_msg *msg)
{
	struct tern_sysregs r = tern_msg_regs(ep, msg, 0);

	return tern_sys_SEND(&r);
}

/* Send only if a receiver is waiting; TERN_EWOULD_BLOCK otherwise. */
static inline enum tern_error tern_nbsend(tern_cptr_t ep, const struct tern_msg *msg)
{
	struct tern_sysregs r = tern_msg_regs(ep, msg, 0);

	return tern_sys_NBSEND(&r);
}

/* Receive on ep; a Call's reply capability goes to the Reply object `reply`. */
static inline enum tern_error tern_recv(tern_cptr_t ep, tern_cptr_t reply, struct tern_msg *out)
{
	struct tern_sysregs r = { .rdi = ep, .r12 = reply };
	enum tern_error err = tern_sys_RECV(&r);

	tern_msg_from_regs(out, &r);
	return err;
}

static inline enum tern_error tern_nbrecv(tern_cptr_t ep, tern_cptr_t reply, struct tern_msg *out)
{
	struct tern_sysregs r = { .rdi = ep, .r12 = reply };
	enum tern_error err = tern_sys_NBRECV(&r);

	tern_msg_from_regs(out, &r);
	return err;
}

/* Reply with *inout through `reply`, then receive the next message on ep
 * into *inout (the server loop's one call). */
static inline enum tern_error tern_reply_recv(tern_cptr_t ep, tern_cptr_t reply,
					      struct tern_msg *inout)
{
	struct tern_sysregs r = tern_msg_regs(ep, inout, reply);
	enum tern_error err = tern_sys_REPLY_RECV(&r);

	tern_msg_from_regs(inout, &r);
	return err;
}

/* The Reply capability goes in both rdi (the object invoked) and r12. */
static inline enum tern_error tern_reply(tern_cptr_t reply, const struct tern_msg *msg)
{
	struct tern_sysregs r = tern_msg_regs(reply, msg, reply);

	return tern_sys_REPLY(&r);
}

static inline enum tern_error tern_yield(void)
{
	struct tern_sysregs r = { 0 };

	return tern_sys_YIELD(&r);
}

static inline enum tern_error tern_signal(tern_cptr_t ntfn)
{
	struct tern_sysregs r = { .rdi = ntfn };

	return tern_sys_SIGNAL(&r);
}

/* Block until the notification has bits; they come back in the badge
 * register (rdi), as in seL4. */
static inline enum tern_error tern_wait(tern_cptr_t ntfn, uint64_t *bits)
{
	struct tern_sysregs r = { .rdi = ntfn };
	enum tern_error err = tern_sys_WAIT(&r);

	if (bits)
		*bits = r.rdi;
	return err;
}

static inline enum tern_error tern_poll(tern_cptr_t ntfn, uint64_t *bits)
{
	struct tern_sysregs r = { .rdi = ntfn };
	enum tern_error err = tern_sys_POLL(&r);

	if (bits)
		*bits = r.rdi;
	return err;
}

/* Leave an upcall handler: restores the IPC buffer's upcall_frame. Returns
 * only on error. */
static inline enum tern_error tern_resume(void)
{
	struct tern_sysregs r = { 0 };

	return tern_sys_RESUME(&r);
}

/* Restore every register (rcx and r11 included) from regs, in user
 * memory, and end the upcall in progress if there is one (a signal
 * return). Returns only on error (the thread has no personality, regs
 * unreadable or not a valid user state). */
static inline enum tern_error tern_resume_regs(const struct tern_regs *regs)
{
	struct tern_sysregs r = { .rdi = (uint64_t)(uintptr_t)regs };

	return tern_sys_RESUME(&r);
}

static inline enum tern_error tern_debug_puts(const char *s, size_t len)
{
	struct tern_sysregs r = { .rdi = (uint64_t)(uintptr_t)s, .rsi = len };

	return tern_sys_DEBUG_PUTS(&r);
}

/* The same, bytes as they are ("\n" not made "\r\n"): at most 1,024. */
static inline enum tern_error tern_debug_puts_raw(const char *s, size_t len)
{
	struct tern_sysregs r = { .rdi = (uint64_t)(uintptr_t)s, .rsi = len };

	r.mr[0] = TERN_DEBUG_PUTS_RAW;
	return tern_sys_DEBUG_PUTS(&r);
}

/* One line of the system log at a Linux level (0 emergency .. 7 debug),
 * with the kernel's prefix; at most 200 bytes. */
static inline enum tern_error tern_log(int level, const char *s, size_t len)
{
	struct tern_sysregs r = { .rdi = (uint64_t)(uintptr_t)s, .rsi = len };

	r.mr[0] = (uint64_t)level;
	return tern_sys_LOG(&r);
}

/* Fill buf with len (<= TERN_RANDOM_MAX) bytes from the kernel CRNG. */
static inline enum tern_error tern_random(void *buf, size_t len)
{
	struct tern_sysregs r = { .rdi = (uint64_t)(uintptr_t)buf, .rsi = len };

	return tern_sys_RANDOM(&r);
}

/* selector: TERN_DEBUG_QUERY_*; arg goes in MR0 (rdx); results MR0..MR3. */
static inline enum tern_error tern_debug_query(uint64_t selector, uint64_t arg, uint64_t out[4])
{
	struct tern_sysregs r = { .rdi = selector, .mr = { arg } };
	enum tern_error err = tern_sys_DEBUG_QUERY(&r);

	if (out)
		for (int i = 0; i < TERN_MSG_REG_WORDS; i++)
			out[i] = r.mr[i];
	return err;
}

#endif
