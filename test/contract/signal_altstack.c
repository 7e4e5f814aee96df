/* Handlers on the alternate signal stack (no fork): with SA_ONSTACK the
 * handler's local variable lies inside the sigaltstack area and
 * sigaltstack reports SS_ONSTACK (and refuses a change: EPERM) while it
 * runs; a nested SA_ONSTACK signal stays on that stack, below the first
 * frame; without SA_ONSTACK the handler runs on the normal stack; a
 * fault with the stack pointer in a PROT_NONE page is handled on the
 * alternate stack, which is the point of it (recovered by siglongjmp),
 * several times over. */
#include "contract.h"
#include <setjmp.h>
#include <sys/mman.h>

#define ALT_SIZE (64 * 1024)
static char *alt;
static sigjmp_buf env;

static struct {
	int count, on_alt[2], flags[2], eperm[2];
	uintptr_t local[2];
} got;

static int in_alt(uintptr_t p)
{
	return p >= (uintptr_t)alt && p < (uintptr_t)alt + ALT_SIZE;
}

static void handler(int sig)
{
	volatile char local = 0;
	int n = got.count++;
	stack_t ss, change = { .ss_sp = alt, .ss_size = ALT_SIZE };
	if (n >= 2)
		return;
	got.local[n] = (uintptr_t)&local;
	got.on_alt[n] = in_alt((uintptr_t)&local);
	sigaltstack(NULL, &ss);
	got.flags[n] = ss.ss_flags;
	got.eperm[n] = sigaltstack(&change, NULL) == -1 && errno == EPERM;
	if (n == 0 && sig == SIGUSR1)
		raise(SIGUSR2); /* nested */
}

static void segv(int sig)
{
	volatile char local = 0;
	got.count++;
	got.on_alt[0] = in_alt((uintptr_t)&local);
	siglongjmp(env, 1);
}

static void set(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		contract_fail(__LINE__, "sigaction: %s", errno_name(errno));
}

int main(void)
{
	stack_t ss;
	contract_begin("signal_altstack");
	alt = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *bad = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(alt != MAP_FAILED && bad != MAP_FAILED);
	ss = (stack_t){ .ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0 };
	VAL(sigaltstack(&ss, NULL), 0);

	/* SA_ONSTACK, and a nested one. */
	set(SIGUSR1, handler, SA_ONSTACK);
	set(SIGUSR2, handler, SA_ONSTACK);
	memset(&got, 0, sizeof(got));
	VAL(kill(getpid(), SIGUSR1), 0);
	VAL(got.count, 2);
	TRUE(got.on_alt[0] && got.on_alt[1]);
	TRUE(got.flags[0] == SS_ONSTACK && got.flags[1] == SS_ONSTACK);
	TRUE(got.eperm[0] && got.eperm[1]);
	TRUE(got.local[1] < got.local[0]); /* the nested frame below */
	VAL(sigaltstack(NULL, &ss), 0);
	TRUE(ss.ss_flags == 0 && ss.ss_sp == alt && ss.ss_size == ALT_SIZE);

	/* Without SA_ONSTACK: the normal stack. */
	set(SIGUSR2, handler, 0);
	memset(&got, 0, sizeof(got));
	VAL(kill(getpid(), SIGUSR2), 0);
	VAL(got.count, 1);
	TRUE(!got.on_alt[0] && got.flags[0] == 0 && !got.eperm[0]);
	/* A handler without SA_ONSTACK nested in one that runs on the
	 * alternate stack stays there (Linux uses the current stack). */
	set(SIGUSR1, handler, SA_ONSTACK);
	set(SIGUSR2, handler, 0);
	memset(&got, 0, sizeof(got));
	VAL(kill(getpid(), SIGUSR1), 0);
	TRUE(got.count == 2 && got.on_alt[0] && got.on_alt[1]);

	/* A fault with the stack pointer in a PROT_NONE page. */
	set(SIGSEGV, segv, SA_ONSTACK);
	for (int i = 0; i < 3; i++) {
		memset(&got, 0, sizeof(got));
		if (sigsetjmp(env, 1) == 0) {
			char *top = bad + 8192;
			__asm__ volatile("mov %0, %%rsp\n\tpush $0\n\tud2" ::"r"(top) : "memory");
		}
		printf("stack pointer in PROT_NONE, round %d: handler ran %d, on the alternate "
		       "stack: "
		       "%s\n",
		       i, got.count, got.on_alt[0] ? "yes" : "no");
		if (got.count != 1 || !got.on_alt[0])
			contract_fail(__LINE__, "round %d", i);
	}
	VAL(sigaltstack(NULL, &ss), 0);
	TRUE(ss.ss_flags == 0); /* siglongjmp left it */

	/* Disabled: SS_DISABLE; the handler then runs on the normal stack. */
	ss = (stack_t){ .ss_flags = SS_DISABLE };
	VAL(sigaltstack(&ss, NULL), 0);
	set(SIGUSR2, handler, SA_ONSTACK);
	memset(&got, 0, sizeof(got));
	VAL(kill(getpid(), SIGUSR2), 0);
	TRUE(got.count == 1 && !got.on_alt[0] && got.flags[0] == SS_DISABLE);
	return contract_end();
}
