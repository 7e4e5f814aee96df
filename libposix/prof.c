/*
 * The per-syscall profiler (sys/prof.h, docs/measurements.md "The
 * profiler"): with tern.profile=1, posix_entry (entry.S) sends every
 * reflected syscall through posix_prof_syscall, which times the handler
 * and keeps a row per syscall number: count, total, min, max and the
 * split into kernel entry, libposix, IPC and server time. The rows are
 * printed as PROF lines at exit_group, before an execve and before a
 * reboot, then start again from empty.
 *
 * The stamps: the kernel's reflection writes the TSC into the syscall
 * frame's bits word (kernel/arch/x86_64/syscall.S); tern_call adds each
 * Call's round trip, less the server's stamp, to the IPC buffer's
 * prof_ipc and the stamp to prof_server (libsys/src/prof.c).
 *
 * A fork child begins with a copy of its parent's rows, which are the
 * parent's to print: the parent notes its pid before a fork (fork, or
 * clone without CLONE_VM) and clears the note when the call returns; the
 * child, whose copy still has the note, finds a different pid at its
 * first call and starts empty. A CLONE_VM child (vfork, threads) shares
 * its parent's rows; its exec prints them under its pid, which keeps
 * every sum right but not who made the calls.
 * Entry points: posix_prof_syscall, posix_prof_enter.
 */
#include <stddef.h>

#include "call.h"
#include "prof.h"
#include "state.h"

#include "common/format.h"
#include "posix/proto_proc.h"
#include "sys/ipc.h"
#include "sys/prof.h"
#include "tern/ipc_buffer.h"

_Static_assert(offsetof(struct tern_frame, bits) == 168, "kernel/arch/x86_64/syscall.S stamps");

#define NR_CLONE 56
#define NR_FORK 57
#define NR_EXECVE 59
#define NR_REBOOT 169
#define NR_EXIT_GROUP 231
#define NR_EXECVEAT 322

struct prof_row {
	uint64_t count, total, min, max;
	uint64_t entry, libposix, ipc, server; /* sums; they add up to total */
};

extern const posix_handler_fn posix_table[POSIX_SYSCALL_MAX];
extern const char *const posix_syscall_names[POSIX_SYSCALL_MAX];

/* A new image's start (start.c): libposix's own set-up, then the
 * program's first instructions up to its first syscall, which on a fresh
 * image is mostly its first page faults (text, data, stack, TLS). */
TERN_PROF_PHASE(ph_start, "exec.posix_start");
TERN_PROF_PHASE(ph_first, "exec.first_run");
static uint64_t entered; /* the TSC as the program started, until its first call */

static struct prof_row rows[POSIX_SYSCALL_MAX];
static uint64_t forking_pid; /* the pid that is in a fork call, or 0 */

static void rows_clear(void)
{
	for (unsigned i = 0; i < POSIX_SYSCALL_MAX; i++)
		rows[i] = (struct prof_row){ 0 };
}

/* comm as a JSON-safe word. */
static void comm_word(char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(posix_state.comm) && posix_state.comm[i] && n + 1 < size;
	     i++) {
		char ch = posix_state.comm[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
		out[n++] = ok ? ch : '_';
	}
	out[n] = 0;
}

static void rows_dump(void)
{
	char src[48], comm[20], buf[512];
	int any = 0;

	comm_word(comm, sizeof(comm));
	format(src, sizeof(src), "pid %lu", (unsigned long)posix_state.pid);
	for (unsigned nr = 0; nr < POSIX_SYSCALL_MAX; nr++) {
		const struct prof_row *r = &rows[nr];
		if (!r->count)
			continue;
		if (!any) {
			tern_prof_dump(src); /* the meta line (and any phases) */
			any = 1;
		}
		format(buf, sizeof(buf),
		       "{\"kind\":\"syscall\",\"src\":\"%s\",\"comm\":\"%s\",\"nr\":%u,"
		       "\"name\":\"%s\",\"count\":%lu,\"total\":%lu,\"avg\":%lu,\"min\":%lu,"
		       "\"max\":%lu,\"entry\":%lu,\"libposix\":%lu,\"ipc\":%lu,\"server\":%lu}",
		       src, comm, nr, posix_syscall_names[nr] ? posix_syscall_names[nr] : "?",
		       (unsigned long)r->count, (unsigned long)r->total,
		       (unsigned long)(r->total / r->count), (unsigned long)r->min,
		       (unsigned long)r->max, (unsigned long)r->entry, (unsigned long)r->libposix,
		       (unsigned long)r->ipc, (unsigned long)r->server);
		tern_prof_line(buf);
	}
	rows_clear();
}

static void record(uint64_t nr, uint64_t t0, uint64_t t1, uint64_t t2, uint64_t ipc,
		   uint64_t server)
{
	struct prof_row *r = &rows[nr];
	uint64_t entry = t0 && t0 <= t1 ? t1 - t0 : 0; /* 0: not stamped */
	uint64_t body = t2 - t1;

	if (ipc + server > body) { /* cannot happen on one CPU; keep the sums exact */
		server = server < body ? server : body;
		ipc = body - server;
	}
	uint64_t total = entry + body;
	if (!r->count || total < r->min)
		r->min = total;
	if (total > r->max)
		r->max = total;
	r->count++;
	r->total += total;
	r->entry += entry;
	r->ipc += ipc;
	r->server += server;
	r->libposix += body - ipc - server;
}

long posix_prof_syscall(struct posix_call *c)
{
	uint64_t t1 = tern_rdtsc();
	uint64_t t0 = c->frame->bits; /* the kernel's stamp */
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	uint64_t ipc0 = ipc->prof_ipc, server0 = ipc->prof_server;
	uint64_t nr = c->nr;
	long ret;

	if (entered) {
		tern_prof_phase_add(&ph_first, t0 > entered ? t0 - entered : 0);
		entered = 0;
	}
	if (forking_pid) {
		if (forking_pid != posix_state.pid) {
			rows_clear();	    /* a fork child: the rows were its parent's */
			tern_prof_forget(); /* and so were the phases */
		}
		forking_pid = 0;
	}
	if (nr == NR_EXIT_GROUP || nr == NR_EXECVE || nr == NR_EXECVEAT || nr == NR_REBOOT)
		rows_dump();
	if (nr == NR_FORK || (nr == NR_CLONE && !(c->a[0] & PROC_CLONE_VM)))
		forking_pid = posix_state.pid;
	if (nr < POSIX_SYSCALL_MAX && posix_table[nr])
		ret = posix_table[nr](c);
	else
		ret = posix_enosys(nr);
	forking_pid = 0;
	if (nr < POSIX_SYSCALL_MAX)
		record(nr, t0, t1, tern_rdtsc(), ipc->prof_ipc - ipc0, ipc->prof_server - server0);
	return ret;
}

void posix_prof_enter(uint64_t t_start)
{
	if (tern_prof_enabled()) {
		entered = tern_rdtsc();
		tern_prof_phase_add(&ph_start, entered - t_start);
	}
}
