/*
 * Cost of a reflected system call beside a native one, in the root task.
 *   reflect_null   the application (.text.app, outside the personality
 *                  range) executes `syscall` with a number Linux does not
 *                  have; the kernel reflects it, libsys's entry stub moves
 *                  to the thread's handler stack, copies the frame there,
 *                  calls the default handler (returns -ENOSYS) and resumes
 *                  the application in user mode: trap, handler, resume
 *   native_null    TERN_SYS_YIELD with nothing else ready: kernel entry,
 *                  dispatch, the scheduler's exit path, sysret
 *   native_query   TERN_SYS_DEBUG_QUERY(TSC_HZ): the same with a small
 *                  answer instead of the scheduler decision
 *   upcall_self    TERN_SYS_SIGNAL on a notification bound to the thread
 *                  with an upcall bit: the kernel redirects the thread to
 *                  the stub on the way out, the stub saves the IPC buffer
 *                  (3.7 KiB, rep movsq), calls the default handler,
 *                  restores the buffer and calls RESUME: a signal's
 *                  mechanism without the signal frame
 * Each iteration also counts its loop (mov, dec, jnz: 3 instructions; 4
 * for native_query). Prints BENCH <name> <iters> <total_ns> <per_iter_ns>;
 * under QEMU with -icount shift=0 the TSC counts guest instructions, 1
 * per ns.
 */
#include "guest.h"
#include "sys/personality.h"
#include "tern/syscall.h"

#define ITERS 100000
#define WARMUP 1000
#define LINUX_NO_SUCH_CALL 1000 /* far past Linux's last number */
#define ENOSYS 38

void app_null_loop(uint64_t n);
void native_yield_loop(uint64_t n);
void native_query_loop(uint64_t n);

/* clang-format off */
__asm__(".section .text.app, \"ax\"\n"
	".globl app_null_loop\n"
	"app_null_loop:\n"		/* rdi survives: the stub restores it */
	"1:	movl $1000, %eax\n"
	"	syscall\n"
	"	decq %rdi\n"
	"	jnz 1b\n"
	"	ret\n"
	".text\n"
	".globl native_yield_loop, native_query_loop\n"
	"native_yield_loop:\n"
	"	pushq %rbx\n"
	"	movq %rdi, %rbx\n"
	"1:	movl $8, %eax\n"	/* TERN_SYS_YIELD */
	"	syscall\n"
	"	decq %rbx\n"
	"	jnz 1b\n"
	"	popq %rbx\n"
	"	ret\n"
	"native_query_loop:\n"
	"	pushq %rbx\n"
	"	movq %rdi, %rbx\n"
	"1:	movl $14, %eax\n"	/* TERN_SYS_DEBUG_QUERY */
	"	movl $3, %edi\n"	/* TERN_DEBUG_QUERY_TSC_HZ */
	"	syscall\n"
	"	decq %rbx\n"
	"	jnz 1b\n"
	"	popq %rbx\n"
	"	ret\n");
/* clang-format on */
_Static_assert(LINUX_NO_SUCH_CALL == 1000 && TERN_SYS_YIELD == 8 && TERN_SYS_DEBUG_QUERY == 14 &&
		       TERN_DEBUG_QUERY_TSC_HZ == 3,
	       "numbers in the loops above");

/* One unknown Linux call from application code: its result. */
TERN_APP_CODE long app_null_once(void)
{
	register long rax __asm__("rax") = LINUX_NO_SUCH_CALL;

	__asm__ volatile("syscall" : "+r"(rax) : : "rcx", "r11", "memory");
	return rax;
}

static uint64_t self_ntfn;

static void upcall_self_loop(uint64_t n)
{
	while (n--)
		tern_signal(self_ntfn);
}

static void measure(const char *name, void (*loop)(uint64_t))
{
	loop(WARMUP);
	uint64_t t0 = guest_rdtsc();
	loop(ITERS);
	guest_bench_report(name, guest_rdtsc() - t0, ITERS);
}

static uint8_t handler_stack[16384] __attribute__((aligned(16)));

static int bench(void)
{
	tern_personality_set_handler(NULL, NULL); /* the default: -ENOSYS */
	tern_personality_set_stack(tern_ipc_buffer(), handler_stack, sizeof(handler_stack));
	CHECK_EQ(tern_personality_install(TERN_SLOT_TCB), TERN_EOK);
	CHECK_EQ(app_null_once(), (uint64_t)-ENOSYS);
	measure("reflect_null", app_null_loop);
	measure("native_null", native_yield_loop);
	measure("native_query", native_query_loop);
	self_ntfn = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(self_ntfn);
	CHECK_EQ(tern_tcb_bind_notification(TERN_SLOT_TCB, self_ntfn, 1), TERN_EOK);
	measure("upcall_self", upcall_self_loop);
	CHECK_EQ(tern_tcb_bind_notification(TERN_SLOT_TCB, 0, 0), TERN_EOK);
	CHECK_EQ(tern_personality_remove(TERN_SLOT_TCB), TERN_EOK);
	return 0;
}

static const struct guest_case cases[] = { { "reflect", bench } };

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("reflect_bench", cases, 1);
}
