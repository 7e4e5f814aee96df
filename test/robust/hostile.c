/*
 * A hostile native client (docs/personality.md, "Trust boundary"). Run
 * as /init, three roles:
 *
 *   keeper (pid 1): holds a secret in a file only its fd 3 reaches (the
 *     name is unlinked) and a secret in its private memory, then runs
 *     HOSTILE_CHILDREN hostile children in turn (each exec'd, so it has
 *     no copy of either secret), each killed if it stalls; afterwards
 *     checks that its file, memory, fds and identity are as they were and
 *     that every server still serves (a file, a mapping, a fork and exec,
 *     a console line);
 *   hostile child: finds a `syscall` instruction inside libposix (mapped
 *     in every process at POSIX_BASE), makes native calls through it:
 *     first targeted attacks on the keeper's state (forged pids in
 *     VFS_PROC_FORK, VFS_PROC_CREATE, VFS_EXEC_OPEN, MM_FORK, MM_EXIT, a
 *     forged fd, thread index, a re-badged mint of every endpoint), each
 *     followed by a probe for the secrets; then HOSTILE_MESSAGES messages
 *     with garbage labels, lengths, words and capabilities to every slot
 *     of its CSpace (posix/cspace.h); it reports what it sent through a
 *     pipe and ends with status 1 if any secret reached it;
 *   --plain: the normal program run at the end.
 *
 * HOSTILE_SEED (default fixed, printed), HOSTILE_CHILDREN and
 * HOSTILE_MESSAGES come from the kernel command line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "posix/cspace.h"
#include "posix/layout.h"
#include "tern/ipc_buffer.h"
#include "tern/syscall.h"

#include "native.h"

/* Labels of the protocols (posix/proto_*.h), as numbers: the client
 * speaks the wire format, as an attacker would. */
#define VFS_PROC_CREATE 1
#define VFS_PROC_EXEC 2
#define VFS_PROC_EXIT 3
#define VFS_EXEC_OPEN 4
#define VFS_PROC_RLIMIT 5
#define VFS_FD_ROUTES 6
#define VFS_READ 9
#define VFS_WRITE 10
#define VFS_FD_MEMOBJ 39
#define VFS_PROC_FORK 50
#define MM_SETUP 1
#define MM_EXIT 2
#define MM_FORK 3
#define PROC_REBOOT 21
#define PROC_GETPPID 31
#define PROC_THREAD_CREATE 40
#define PROC_KILL 50
#define PROC_TGKILL 51
#define PROC_PRLIMIT 10
#define PROC_SETPRIORITY 12
#define PROC_SETPGID 6
#define PROC_FAULT_FETCH 70
#define PROC_FAULT_KILL 71
#define CONSOLE_WRITE 1
#define CONSOLE_READ 2
#define CONSOLE_INPUT 4
#define RUNTIME_LABEL (1ull << 40)

#define SECRET_PREFIX "TOPSECRET-"
#define SECRET_LEN 32
#define SECRET_FD 3
#define REPORT_FD 4
#define PRINT_FD 200  /* the child's console: no garbage word names it */
#define RECV_SLOT 252 /* slots 252..255 are nobody's (posix/cspace.h) */

static uint64_t gadget;
static uint64_t spray[1024];
static uint64_t rng;
static uint64_t secret_addr; /* where the keeper's secret page is (the attacker knows) */
static int keeper_pid;
static unsigned long leaks, sent, refused, attempts;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static struct tern_ipc_buffer *ipc(void)
{
	return (struct tern_ipc_buffer *)POSIX_THREAD_IPC; /* thread 0's */
}

/* Readable? A pipe write copies from the address or fails with EFAULT. */
static int readable(uint64_t addr, size_t n)
{
	static int p[2] = { -1, -1 };
	char sink[64];
	if (p[0] < 0 && pipe2(p, O_NONBLOCK) != 0)
		return 0;
	long w = syscall(SYS_write, p[1], (void *)addr, n);
	if (w > 0)
		syscall(SYS_read, p[0], sink, sizeof(sink));
	return w == (long)n;
}

/* One native call through the gadget. */
static uint64_t native(uint64_t nr, uint64_t cptr, uint64_t info, const uint64_t mr[4],
		       uint64_t out[4], uint64_t *badge)
{
	struct hostile_regs r = { nr, cptr, info, mr[0], mr[1], mr[2], mr[3], 0 };
	for (size_t i = 0; i < sizeof(spray) / sizeof(spray[0]); i++)
		spray[i] = (uint64_t)hostile_landing;
	hostile_native(&r, gadget, (uint64_t)&spray[512]);
	if (out) {
		out[0] = r.rdx;
		out[1] = r.r10;
		out[2] = r.r8;
		out[3] = r.r9;
	}
	if (badge)
		*badge = r.rdi;
	sent++;
	return r.rax | (r.rsi >> 15) << 32; /* kernel error | reply label (the status) */
}

/* A Call with words w[0..n-1] (the first four in registers, the rest in
 * the IPC buffer); the reply's label (a server's status) and words. */
static uint64_t call(uint64_t cptr, uint64_t label, const uint64_t *w, unsigned n, uint64_t out[4])
{
	uint64_t mr[4] = { 0 };
	for (unsigned i = 0; i < n && i < TERN_MSG_MAX_WORDS; i++) {
		if (i < 4)
			mr[i] = w[i];
		ipc()->msg[i] = w[i];
	}
	ipc()->recv_depth = 0;
	uint64_t r = native(TERN_SYS_CALL, cptr, (label << 15) | n, mr, out, NULL);
	return r;
}

static uint64_t status_of(uint64_t r)
{
	return (uint32_t)r ? ~0ull : r >> 32; /* a kernel error: no status */
}

static void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void print(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	syscall(SYS_write, PRINT_FD, buf, n > 0 && n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
}

/* Did a secret reach us? The keeper's secret address mapped here with the
 * secret, or its file's bytes readable through fd 3 or a MemObj. */
static void probe(const char *after)
{
	char buf[SECRET_LEN + 1] = { 0 };
	uint64_t w[4] = { SECRET_FD, SECRET_LEN, 0, 0 }, out[4];

	if (readable(secret_addr, SECRET_LEN) &&
	    !memcmp((void *)secret_addr, SECRET_PREFIX, strlen(SECRET_PREFIX))) {
		print("HOSTILE LEAK: the keeper's memory is readable here after %s\n", after);
		leaks++;
	}
	if (pread(SECRET_FD, buf, SECRET_LEN, 0) > 0 && strstr(buf, SECRET_PREFIX)) {
		print("HOSTILE LEAK: the keeper's file is readable here after %s\n", after);
		leaks++;
	}
	uint64_t st = status_of(call(POSIX_SLOT_VFS_EP, VFS_READ, w, 4, out));
	if (st == 0 && out[0] > 0) {
		print("HOSTILE LEAK: VFS_READ of fd 3 answered %lu bytes after %s\n",
		      (unsigned long)out[0], after);
		leaks++;
	}
}

/* Expect a refusal (a kernel error, or an errno status): a success is a
 * breach. */
static void expect_refused(const char *what, uint64_t r)
{
	uint64_t st = status_of(r);
	attempts++;
	if (st == 0) {
		print("HOSTILE BREACH: %s was accepted\n", what);
		leaks++;
	} else {
		refused++;
	}
	probe(what);
}

/* The targeted attacks: every field that names another process's state. */
static void attacks(void)
{
	uint64_t me = (uint64_t)getpid(), out[4];
	uint64_t w[8];

	/* vfs: the fd table of the keeper copied, shared or made ours. */
	w[0] = (uint64_t)keeper_pid, w[1] = me, w[2] = 0;
	expect_refused("VFS_PROC_FORK {keeper -> us}",
		       call(POSIX_SLOT_VFS_EP, VFS_PROC_FORK, w, 3, out));
	w[2] = 1; /* VFS_PROC_SHARE_FILES */
	expect_refused("VFS_PROC_FORK {keeper -> us, shared}",
		       call(POSIX_SLOT_VFS_EP, VFS_PROC_FORK, w, 3, out));
	w[0] = me, w[1] = (uint64_t)keeper_pid, w[2] = 1;
	expect_refused("VFS_PROC_CREATE {us, parent keeper}",
		       call(POSIX_SLOT_VFS_EP, VFS_PROC_CREATE, w, 3, out));
	w[0] = (uint64_t)keeper_pid;
	expect_refused("VFS_PROC_EXIT {keeper}", call(POSIX_SLOT_VFS_EP, VFS_PROC_EXIT, w, 1, out));
	expect_refused("VFS_PROC_EXEC {keeper}", call(POSIX_SLOT_VFS_EP, VFS_PROC_EXEC, w, 1, out));
	w[1] = 0;
	expect_refused("VFS_PROC_RLIMIT {keeper, 0}",
		       call(POSIX_SLOT_VFS_EP, VFS_PROC_RLIMIT, w, 2, out));
	w[0] = (uint64_t)keeper_pid, w[1] = 5, w[2] = w[3] = 0;
	memcpy(&w[4], "/init\0\0\0", 8);
	expect_refused("VFS_EXEC_OPEN {keeper, /init}",
		       call(POSIX_SLOT_VFS_EP, VFS_EXEC_OPEN, w, 5, out));
	/* The keeper's fd by number: ours has none. */
	w[0] = SECRET_FD, w[1] = 0;
	ipc()->recv_cnode = POSIX_SLOT_CNODE;
	ipc()->recv_index = RECV_SLOT;
	ipc()->recv_depth = 64;
	uint64_t mr[4] = { SECRET_FD, 0, 0, 0 };
	expect_refused("VFS_FD_MEMOBJ {fd 3}", native(TERN_SYS_CALL, POSIX_SLOT_VFS_EP,
						      (VFS_FD_MEMOBJ << 15) | 2, mr, out, NULL));
	ipc()->recv_depth = 0;
	w[0] = SECRET_FD, w[1] = 8, w[2] = 0, w[3] = 0;
	expect_refused("VFS_WRITE {fd 3}", call(POSIX_SLOT_VFS_EP, VFS_WRITE, w, 5, out));
	/* mm: the keeper's address space copied into ours, or dropped. */
	w[0] = (uint64_t)keeper_pid, w[1] = me;
	ipc()->send_caps[0] = POSIX_SLOT_CNODE;
	expect_refused("MM_FORK {keeper -> us} with our CNode",
		       native(TERN_SYS_CALL, POSIX_SLOT_MM_EP, (MM_FORK << 15) | (1 << 10) | 2, w,
			      out, NULL));
	expect_refused("MM_FORK {keeper -> us}", call(POSIX_SLOT_MM_EP, MM_FORK, w, 2, out));
	w[0] = (uint64_t)keeper_pid;
	expect_refused("MM_EXIT {keeper}", call(POSIX_SLOT_MM_EP, MM_EXIT, w, 1, out));
	expect_refused("MM_SETUP {keeper}", call(POSIX_SLOT_MM_EP, MM_SETUP, w, 8, out));
	/* proc: thread indexes that name no thread of ours (the state is
	 * the caller's by its badge, so no index reaches another's). */
	w[0] = 0;
	expect_refused("PROC_THREAD_CREATE {index 0, in use}",
		       call(POSIX_SLOT_PROC_EP, PROC_THREAD_CREATE, w, 1, out));
	w[0] = POSIX_THREADS_MAX;
	expect_refused("PROC_THREAD_CREATE {index 44, beyond}",
		       call(POSIX_SLOT_PROC_EP, PROC_THREAD_CREATE, w, 1, out));
	w[0] = 1000, w[1] = 9;
	expect_refused("PROC_FAULT_FETCH {thread 1000}",
		       call(POSIX_SLOT_PROC_EP, PROC_FAULT_FETCH, w, 1, out));
	expect_refused("PROC_FAULT_KILL {thread 1000, SIGKILL}",
		       call(POSIX_SLOT_PROC_EP, PROC_FAULT_KILL, w, 2, out));
	/* Badges: a cap re-minted with proc's, the root's or the keeper's. */
	static const uint64_t badges[] = { POSIX_BADGE_PROC, POSIX_BADGE_ROOT, POSIX_BADGE_CONSOLE,
					   1 };
	for (int slot = POSIX_SLOT_PROC_EP; slot <= POSIX_SLOT_CONSOLE_EP; slot++) {
		for (size_t b = 0; b < sizeof(badges) / sizeof(badges[0]); b++) {
			uint64_t m[6] = {
				RECV_SLOT, 64,	 (uint64_t)slot,
				64,	   0xff, badges[b] == 1 ? (uint64_t)keeper_pid : badges[b]
			};
			for (int i = 4; i < 6; i++)
				ipc()->msg[i] = m[i];
			char what[80];
			snprintf(what, sizeof(what), "CNODE_MINT of slot %d with badge %#lx", slot,
				 (unsigned long)m[5]);
			uint64_t r = native(TERN_SYS_CALL, POSIX_SLOT_CNODE, (2ull << 15) | 6, m,
					    out, NULL);
			attempts++;
			if ((uint32_t)r == 0) {
				print("HOSTILE BREACH: %s succeeded\n", what);
				leaks++;
				uint64_t d[4] = { RECV_SLOT, 64, 0, 0 };
				native(TERN_SYS_CALL, POSIX_SLOT_CNODE, (4ull << 15) | 2, d, out,
				       NULL);
			} else {
				refused++;
			}
		}
	}
	/* PROC_GETPPID still answers us, by our badge. */
	uint64_t r = call(POSIX_SLOT_PROC_EP, PROC_GETPPID, w, 1, out);
	if (status_of(r) != 0 || out[0] != (uint64_t)keeper_pid) {
		print("HOSTILE: PROC_GETPPID through the gadget answered %#lx, %lu\n",
		      (unsigned long)r, (unsigned long)out[0]);
		leaks++;
	}
}

/* Garbage: any label (the protocol's, beyond it, the runtime's, random),
 * any length (beyond the maximum too), random and shaped words, up to
 * three caps from our own slots, to every slot we hold, by Call, Send or
 * NBSend. What a root process may do to others through Linux (kill,
 * reboot, limits, priority, group) is left out: that is no breach. */
static const int targets[] = {
	POSIX_SLOT_PROC_EP,
	POSIX_SLOT_VFS_EP,
	POSIX_SLOT_MM_EP,
	POSIX_SLOT_CONSOLE_EP,
	POSIX_SLOT_THREAD_FAULT(0),
	POSIX_SLOT_TIMER,
	POSIX_SLOT_NTFN,
	POSIX_SLOT_THREAD_SIG(0),
	POSIX_SLOT_THREAD_TIMER(0),
	0,
	3,
	10,
	200,
	255,
	256,
	1 << 20,
	-1,
};

static uint64_t word(void)
{
	switch (rnd() % 8) {
	case 0:
		return (uint64_t)keeper_pid;
	case 1:
		return rnd() % 8;
	case 2:
		return secret_addr + rnd() % 64;
	case 3:
		return (uint64_t) - (int64_t)(rnd() % 4);
	case 4:
		return POSIX_BADGE_PROC | (rnd() % 4);
	default:
		return rnd();
	}
}

static void garbage(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		int slot = targets[rnd() % (sizeof(targets) / sizeof(targets[0]))];
		uint64_t label;
		switch (rnd() % 6) {
		case 0:
			label = rnd() >> 15;
			break;
		case 1:
			label = RUNTIME_LABEL + rnd() % 4;
			break;
		case 2:
			/* A forged fault: proc believes it from our badge and
			 * ends us (our own harm), so only now and then. */
			label = rnd() % 16 ? rnd() % 80 : 0x1000 + rnd() % 32;
			break;
		default:
			label = rnd() % 80;
			break;
		}
		if ((slot == POSIX_SLOT_PROC_EP || slot == POSIX_SLOT_THREAD_FAULT(0)) &&
		    (label == PROC_REBOOT || label == PROC_KILL || label == PROC_TGKILL ||
		     label == PROC_PRLIMIT || label == PROC_SETPRIORITY || label == PROC_SETPGID))
			label = PROC_GETPPID;
		if (slot == POSIX_SLOT_CONSOLE_EP && label == CONSOLE_READ)
			label = CONSOLE_INPUT; /* a read would wait for a key */
		unsigned len = rnd() % 4 ? rnd() % 12 : rnd() % 1024;
		unsigned caps = rnd() % 4 ? 0 : rnd() % 4;
		uint64_t w[TERN_MSG_MAX_WORDS];
		unsigned fill = len < TERN_MSG_MAX_WORDS ? len : TERN_MSG_MAX_WORDS;
		for (unsigned j = 0; j < fill; j++)
			w[j] = word();
		if (slot == POSIX_SLOT_CONSOLE_EP && label == CONSOLE_WRITE)
			for (unsigned j = 2; j < fill; j++)
				w[j] = 0x2e2e2e2e2e2e2e2eull; /* dots: nothing the console could act on */
		for (unsigned j = 0; j < fill; j++)
			ipc()->msg[j] = w[j];
		for (unsigned j = 0; j < 3; j++)
			ipc()->send_caps[j] = rnd() % 4 ? rnd() % 40 : rnd();
		/* Sometimes ask for a cap in reply, into a slot nobody uses. */
		if (rnd() % 4 == 0) {
			ipc()->recv_cnode = POSIX_SLOT_CNODE;
			ipc()->recv_index = RECV_SLOT + rnd() % 4;
			ipc()->recv_depth = 64;
		} else {
			ipc()->recv_depth = 0;
		}
		uint64_t mr[4] = { fill > 0 ? w[0] : rnd(), fill > 1 ? w[1] : rnd(),
				   fill > 2 ? w[2] : rnd(), fill > 3 ? w[3] : rnd() };
		uint64_t info = (label << 15) | ((uint64_t)caps << 10) | len, out[4];
		uint64_t nr = rnd() % 8 == 0 ? TERN_SYS_NBSEND : TERN_SYS_CALL;
		if (slot == POSIX_SLOT_NTFN || slot == POSIX_SLOT_THREAD_SIG(0))
			nr = rnd() % 2 ? TERN_SYS_SIGNAL : TERN_SYS_POLL;
		if (slot == POSIX_SLOT_THREAD_TIMER(0) || slot == POSIX_SLOT_TIMER)
			nr = TERN_SYS_CALL; /* TIMER_SET with garbage: our own timer */
		native(nr, (uint64_t)slot, info, mr, out, NULL);
		ipc()->recv_depth = 0;
		/* Clean the reply slots, so the next receive has room. */
		if (i % 64 == 63) {
			for (int s = 0; s < 4; s++) {
				uint64_t d[4] = { RECV_SLOT + (uint64_t)s, 64, 0, 0 };
				native(TERN_SYS_CALL, POSIX_SLOT_CNODE, (4ull << 15) | 2, d, out,
				       NULL);
			}
			probe("garbage");
			uint64_t done = sent;
			syscall(SYS_write, REPORT_FD, &done, sizeof(done));
		}
	}
}

static int hostile_main(char **argv)
{
	rng = strtoull(argv[2], NULL, 0);
	secret_addr = strtoull(argv[3], NULL, 0);
	keeper_pid = (int)strtol(argv[4], NULL, 0);
	unsigned long n = strtoul(argv[5], NULL, 0);

	dup2(2, PRINT_FD);
	gadget = find_gadget();
	if (!gadget) {
		print("HOSTILE: no syscall instruction with a usable epilogue in libposix\n");
		return 2;
	}
	if (argv[6][0] == '1')
		print("HOSTILE: a syscall gadget at %#lx in libposix\n", (unsigned long)gadget);
	attacks();
	if (argv[6][0] == '1')
		print("HOSTILE: %lu targeted attacks, %lu refused, %lu leaks\n", attempts, refused,
		      leaks);
	/* The garbage may end us (a forged fault, PROC_EXIT, our own caps
	 * deleted): a leak is printed when the probe after a batch sees it. */
	garbage(n);
	uint64_t done = sent;
	syscall(SYS_write, REPORT_FD, &done, sizeof(done));
	return leaks ? 1 : 0;
}

/* ---- the keeper ---- */

static uint64_t env_number(const char *name, uint64_t def)
{
	const char *s = getenv(name);
	return s && *s ? strtoull(s, NULL, 0) : def;
}

static int failures;
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("HOSTILE FAILURE: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	failures++;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* One hostile child: exec'd (no copy of our memory), stdin /dev/null,
 * fd 4 a pipe for its progress; killed when it stalls. Answers the
 * messages it reported and whether it ended by itself with status 0. */
static int run_hostile(uint64_t seed, unsigned long n, int verbose, uint64_t *messages)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char a_seed[24], a_addr[24], a_pid[16], a_n[24];
		snprintf(a_seed, sizeof(a_seed), "%#lx", (unsigned long)seed);
		snprintf(a_addr, sizeof(a_addr), "%#lx", (unsigned long)secret_addr);
		snprintf(a_pid, sizeof(a_pid), "%d", keeper_pid);
		snprintf(a_n, sizeof(a_n), "%lu", n);
		char *argv[] = { "/init", "--hostile",	       a_seed, a_addr, a_pid,
				 a_n,	  verbose ? "1" : "0", NULL };
		char *envp[] = { NULL };
		dup2(p[1], REPORT_FD);
		execve("/init", argv, envp);
		_exit(127);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	uint64_t last = now_ms(), got = 0, v;
	int st = 0;
	for (;;) {
		while (read(p[0], &v, sizeof(v)) == sizeof(v)) {
			got = v;
			last = now_ms();
		}
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		if (now_ms() - last > 20000) {
			kill(pid, SIGKILL);
			if (waitpid(pid, &st, 0) != pid)
				fail("a stalled hostile child (pid %d) did not die", pid);
			st = -1;
			break;
		}
		struct timespec ts = { 0, 20000000 };
		nanosleep(&ts, NULL);
	}
	while (read(p[0], &v, sizeof(v)) == sizeof(v))
		got = v;
	close(p[0]);
	*messages = got;
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 1)
		fail("hostile child with seed %#lx reached a secret", (unsigned long)seed);
	return st;
}

int main(int argc, char **argv)
{
	if (argc > 6 && !strcmp(argv[1], "--hostile"))
		return hostile_main(argv);
	if (argc > 1 && !strcmp(argv[1], "--plain")) {
		printf("hostile: a normal program runs\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	uint64_t seed = env_number("HOSTILE_SEED", 0x0badc0de);
	unsigned long children = env_number("HOSTILE_CHILDREN", 12);
	unsigned long messages = env_number("HOSTILE_MESSAGES", 2000);
	printf("HOSTILE seed %#lx children %lu messages %lu (replay: HOSTILE_SEED=%#lx)\n",
	       (unsigned long)seed, children, messages, (unsigned long)seed);
	keeper_pid = getpid();

	/* The secrets: a file only fd 3 reaches, and a private page. */
	char secret[SECRET_LEN + 1];
	snprintf(secret, sizeof(secret), SECRET_PREFIX "%016lx%06lx", (unsigned long)seed * 7919,
		 (unsigned long)getpid());
	int fd = open("/secret", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd != SECRET_FD) {
		dup2(fd, SECRET_FD);
		fcntl(SECRET_FD, F_SETFD, FD_CLOEXEC);
		close(fd);
	}
	if (write(SECRET_FD, secret, SECRET_LEN) != SECRET_LEN || unlink("/secret") != 0)
		fail("set-up of the secret file");
	struct stat before;
	fstat(SECRET_FD, &before);
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(page, secret, SECRET_LEN);
	secret_addr = (uint64_t)page;
	pid_t pgid = getpgrp(), sid = getsid(0);

	/* Children until children x messages were sent (a child may end
	 * itself early: a forged fault on its own fault endpoint, its own
	 * caps deleted), at most 8 times as many children. */
	uint64_t total = 0;
	int ended = 0, stalled = 0;
	unsigned long i;
	for (i = 0; i < 8 * children && total < children * messages; i++) {
		uint64_t got = 0;
		int st = run_hostile(seed + i, messages, i == 0, &got);
		total += got;
		if (st == -1)
			stalled++;
		else
			ended++;
	}
	printf("HOSTILE figures: %lu children (%d ended by themselves, %d stalled and killed), "
	       "%lu native messages reported\n",
	       i, ended, stalled, (unsigned long)total);
	if (total < children * messages)
		fail("only %lu messages were sent", (unsigned long)total);

	/* Everything of ours as it was. */
	char now[SECRET_LEN + 1] = { 0 };
	struct stat after;
	if (pread(SECRET_FD, now, SECRET_LEN, 0) != SECRET_LEN || memcmp(now, secret, SECRET_LEN))
		fail("the secret file changed");
	if (fstat(SECRET_FD, &after) != 0 || after.st_ino != before.st_ino ||
	    after.st_size != SECRET_LEN || after.st_nlink != 0)
		fail("fd 3 is not the secret file any more");
	if (memcmp(page, secret, SECRET_LEN))
		fail("the secret memory changed");
	if (getpgrp() != pgid || getsid(0) != sid || getppid() != 0)
		fail("our process group, session or parent changed");
	if (fcntl(SECRET_FD, F_GETFD) != FD_CLOEXEC || fcntl(1, F_GETFL) < 0)
		fail("our fds changed");
	/* Every server still serves. */
	int t = open("/plain", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char b[6] = { 0 };
	if (t < 0 || write(t, "vfs ok", 6) != 6 || pread(t, b, 6, 0) != 6 || memcmp(b, "vfs ok", 6))
		fail("vfs does not serve");
	close(t);
	unlink("/plain");
	char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || (m[12345] = 7, munmap(m, 1 << 20) != 0))
		fail("mm does not serve");
	pid_t c = fork();
	if (c == 0) {
		char *argv2[] = { "/init", "--plain", NULL };
		char *envp[] = { NULL };
		execve("/init", argv2, envp);
		_exit(127);
	}
	int st;
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail("proc does not serve (fork, exec, wait)");
	if (failures) {
		printf("HOSTILE: FAIL (%d)\n", failures);
		return 1;
	}
	printf("HOSTILE: PASS\n");
	return 0;
}
