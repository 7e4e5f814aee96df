/*
 * The proc server's state: the process table, libposix's shared image
 * and the caps proc holds. One struct proc_server is the runtime's
 * context (no globals).
 *
 * Capabilities. Each process costs proc two slots of its own CNode: the
 * main thread's TCB (used for TLS and suspension) and a "keeper" CNode
 * that holds everything else of the process (its CNode, its VSpace, every
 * MemObj mapped into it). Objects are made in a scratch slot, used, then
 * moved into the keeper; deleting the keeper destroys them all.
 */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/elf.h"
#include "posix/cspace.h"
#include "posix/signal.h"
#include "sys/server.h"
#include "tern/caps.h"

#define PROC_MAX 64
#define PROC_KEEPER_RADIX 5
#define PROC_PRIORITY 100 /* Linux threads run below the servers (150) */
/* The badge of the server runtime's interrupt thread's cap to proc's
 * own endpoint (no pid, none of posix/cspace.h's server badges). */
#define PROC_BADGE_INTR (1ul << 59)

/* Where proc maps things in its own VSpace. */
#define PROC_SYSTEM_VA 0x100000000000ul
#define PROC_INITRD_VA 0x200000000000ul
#define PROC_SCRATCH_VA 0x300000000000ul
#define PROC_FILE_VA 0x400000000000ul /* the executable being loaded */
#define PROC_FILE_WINDOW (1ul << 36)  /* ... and its interpreter above it */
#define PROC_DATA_VA 0x500000000000ul /* a data segment's file pages, while exec copies them */

enum proc_state { PROC_FREE = 0, PROC_RUNNING, PROC_ZOMBIE };

/* A thread of a process (posix/cspace.h: index i has the caps at
 * POSIX_SLOT_THREAD(i) of the process's CSpace). proc's own caps: */
struct proc_thread {
	bool live;
	uint64_t tid;
	tern_cptr_t tcb;       /* the TCB (thread 0's: the one exec made) */
	tern_cptr_t proc_ntfn; /* its Notification badged POSIX_NTFN_PROC */
	/* A created thread's (thread.c; thread 0's are in the keeper): its
	 * Notification and its Timer. */
	tern_cptr_t ntfn, timer;
};

/* A queued signal (signal.c): its siginfo, and the thread it is
 * directed at (-1: the process). */
struct proc_sigq {
	struct proc_sigq *next;
	int thread;
	bool counted; /* against RLIMIT_SIGPENDING (si_code < 0) */
	struct posix_siginfo info;
};

/* A process's signals as proc keeps them (signal.c, wait.c): the queue
 * until libposix fetches, the group stop, what wait reports, SIGCHLD's
 * policy (PROC_CHLD_*), the wait interrupt. */
struct proc_signals {
	uint64_t pending;			   /* process-directed signals queued */
	uint64_t tpending[POSIX_THREADS_MAX];	   /* thread-directed, by index */
	struct proc_sigq *queue;		   /* in the order they came */
	unsigned stop_sig;			   /* the group stop's signal, 0 none */
	bool stopped;				   /* every live thread is in PROC_STOP */
	bool stop_ask[POSIX_THREADS_MAX];	   /* proc asks the thread to stop */
	tern_cptr_t stop_reply[POSIX_THREADS_MAX]; /* its deferred PROC_STOP */
	uint64_t cont_seq;			   /* SIGCONTs so far */
	unsigned stop_report;			   /* wait's WUNTRACED: the signal, 0 none */
	bool cont_report;			   /* wait's WCONTINUED */
	unsigned chld;				   /* PROC_CHLD_* (SIGCHLD's action) */
	unsigned exit_signal;			   /* sent to the parent at exit (clone's) */
	tern_cptr_t wait_reply;			   /* a deferred PROC_WAITID, or 0 */
	uint64_t wait_idtype;
	int64_t wait_id;
	uint64_t wait_options;
	uint64_t wait_status_pid; /* set by wait.c while answering */
};

struct process {
	enum proc_state state;
	uint64_t pid, ppid, pgid, sid;
	uint64_t status;			       /* wait status, once a zombie */
	struct proc_thread threads[POSIX_THREADS_MAX]; /* by index (exec starts 0) */
	/* The image (servers/proc/image.h): the keeper holds the originals;
	 * proc's copies of the process's CNode, its space (mm's keeper), its
	 * VSpace, and the IPC buffers' MemObj (TCBs of new threads use them). */
	tern_cptr_t keeper;
	tern_cptr_t cnode, space, vspace, ipc;
	/* fork (fork.c): a vfork parent's deferred answer, held until this
	 * child execs or exits. */
	tern_cptr_t vfork_reply;
	uint64_t vfork_parent;
	uint64_t rlim[16][2]; /* cur, max: RLIMIT_* (posix/proto_proc.h) */
	int64_t nice;
	char *stage;		 /* staged exec strings (PROC_EXEC_STAGE), or NULL */
	uint64_t stage_len;	 /* bytes staged so far */
	struct proc_signals sig; /* signal.c, wait.c */
};

struct image_segment {
	uint64_t vaddr, pages;
	uint32_t flags;
	tern_cptr_t memobj; /* the image's pages (a template for writable ones) */
};

/* libposix, loaded once from the system archive. */
struct shared_image {
	struct image_segment seg[ELF_MAX_SEGMENTS];
	unsigned nseg;
	uint64_t entry;
};

/* The deaths the console hears of (gone.c). */
struct proc_gone {
	uint64_t deaths;    /* counted so far */
	uint64_t ring[256]; /* the pids of the last PROC_GONE_RING */
	tern_cptr_t watch;  /* the console's deferred PROC_GONE_WATCH, or 0 */
	uint64_t watch_seq; /* ... and the deaths it has seen */
};

struct proc_server {
	struct process procs[PROC_MAX];
	uint64_t next_pid;
	uint64_t threads_max; /* kernel.threads-max (limits.c), 0 until the first fork */
	struct shared_image libposix, vdso;
	bool have_vdso, have_clock;
	const void *system;
	uint64_t system_size;
	const void *initrd;
	uint64_t initrd_size;
	tern_cptr_t mm_ep;     /* badged POSIX_BADGE_PROC */
	tern_cptr_t vfs_ep;    /* badged POSIX_BADGE_PROC */
	tern_cptr_t init_wait; /* the root's deferred PROC_WAIT_INIT */
	bool init_waited;      /* ... which init's exit answered */
	bool init_exited;
	uint64_t init_status;
	uint64_t hwcap;
	uint64_t sigqueued;	   /* real-time and SI_TKILL entries queued (RLIMIT_SIGPENDING) */
	tern_cptr_t intr_ntfn;	   /* what proc's interrupt thread waits on */
	tern_cptr_t intr_caps[64]; /* its caps badged per pid % 64, minted on first use */
	uint64_t intr_pending;	   /* bits that came for no waiting call */
	tern_cptr_t self_ep;	   /* the interrupt thread's cap to our endpoint */
	struct proc_gone gone;	   /* gone.c */
	struct tern_server *srv;   /* the loop's: a process's interrupt bit (sys/server.h) */
};

/* process.c */
struct process *proc_find(struct proc_server *ps, uint64_t pid);
/* A new process with pid `want` (0: the next free pid). */
struct process *proc_alloc(struct proc_server *ps, uint64_t ppid, uint64_t want);
void proc_release(struct proc_server *ps, struct process *p);
void proc_exit(struct proc_server *ps, struct process *p, uint64_t status);
/* The profiler's dump of every server before the machine ends (prof.c). */
void proc_prof_dump_all(struct proc_server *ps);
/* Tear down the image of p (every thread, the address space) and forget
 * proc's caps to it. */
void proc_destroy_image(struct proc_server *ps, struct process *p);
/* The wait status of a process killed by signal sig (the core bit). */
uint64_t proc_kill_status(const struct process *p, unsigned sig);
#define PROC_RLIMIT_CORE 4
/* A vfork parent waiting for p gets its answer (p exec'ed or exited). */
void proc_vfork_release(struct proc_server *ps, struct process *p);

/* exec.c: build a new image for p from the strings of req (path, argv,
 * envp) and start it, destroying the old image. Returns 0 or a Linux
 * errno (the old image untouched).
 */
struct proc_exec_req;
int proc_exec(struct proc_server *ps, struct process *p, const struct proc_exec_req *req,
	      unsigned words);
/* fork.c: PROC_FORK's work (0 and the child's pid, or an errno). */
struct proc_fork_req;
int proc_fork(struct proc_server *ps, struct process *p, const struct proc_fork_req *in,
	      uint64_t *child_pid);
int shared_image_load(struct proc_server *ps, const char *path, uint64_t bias,
		      struct shared_image *img);

/* signal.c: queue a signal for p with its siginfo, directed at thread
 * index `thread` (a fault, a tgkill) or at the process (-1), and wake a
 * thread to fetch it (POSIX_NTFN_PROC). SIGKILL ends p at once, SIGSTOP
 * stops it, SIGCONT continues it (Linux's prepare_signal). 0 or an errno
 * (EAGAIN: a real-time signal over RLIMIT_SIGPENDING). */
int proc_signal_send(struct proc_server *ps, struct process *p, int thread,
		     const struct posix_siginfo *info);
/* p exits (proc_exit, before the image goes): stops answered, queue freed. */
void proc_signal_exit(struct proc_server *ps, struct process *p);
/* A fork child's signal state from its parent (SIGCHLD's policy; an
 * empty queue, as Linux's fork). */
void proc_signal_fork(const struct process *parent, struct process *child);
/* Job control at p's exit (before its children are reparented): groups
 * it leaves orphaned with stopped members get SIGHUP then SIGCONT. */
void proc_signal_orphans(struct proc_server *ps, struct process *p);
/* Is the group orphaned (no member whose parent is in another group of
 * the same session), `ignore` not counted and its children counted as
 * init's? */
bool proc_pgrp_orphaned(struct proc_server *ps, uint64_t pgid, const struct process *ignore);
/* The handlers' work (table.c): 0 or an errno. self is NULL for the
 * console's cap; user the caller's siginfo (PROC_KILL_INFO) or NULL. */
struct proc_kill_req;
struct proc_tgkill_req;
struct proc_sigfetch_req;
struct proc_sigfetch_resp;
struct proc_stop_req;
int proc_kill(struct proc_server *ps, struct process *self, const struct proc_kill_req *in,
	      const struct posix_siginfo *user, bool *self_target);
int proc_tgkill(struct proc_server *ps, struct process *self, const struct proc_tgkill_req *in,
		const struct posix_siginfo *user);
int proc_sigfetch(struct proc_server *ps, struct process *p, const struct proc_sigfetch_req *in,
		  struct proc_sigfetch_resp *out);
/* 1: answered now (*err, or not stopped); 0: the caller is to wait,
 * through proc_stop_wait with its deferred reply. */
int proc_stop(struct proc_server *ps, struct process *p, const struct proc_stop_req *in, int *err);
void proc_stop_wait(struct proc_server *ps, struct process *p, uint64_t thread, tern_cptr_t reply);

/* wait.c: the child's state changed (exit, stop, continue): SIGCHLD to
 * the parent and its waiter answered; an exited child whose parent
 * ignores SIGCHLD (or SA_NOCLDWAIT) is reaped at once. */
void proc_notify_parent(struct proc_server *ps, struct process *child, int why);
/* PROC_WAITID's work: 0 answered (*out), an errno, or -1: the caller
 * defers and hands the reply to proc_wait_deferred. */
struct proc_waitid_req;
struct proc_waitid_resp;
int proc_wait(struct proc_server *ps, struct process *p, const struct proc_waitid_req *in,
	      struct proc_waitid_resp *out);
void proc_wait_deferred(struct proc_server *ps, struct process *p, tern_cptr_t reply);
/* End the waiting PROC_WAITIDs whose callers' interrupt bits came
 * (tern_server_intr_bit of the pid); returns the bits that ended one. */
uint64_t proc_wait_interrupt(struct proc_server *ps, uint64_t bits);

/* thread.c: thread i's caps in the process's CNode (posix/cspace.h) from
 * its TCB, Notification and Timer; *proc_ntfn is proc's cap badged
 * POSIX_NTFN_PROC. 0 or ENOMEM. */
int proc_thread_caps(tern_cptr_t cnode, uint64_t pid, unsigned i, tern_cptr_t tcb, tern_cptr_t ntfn,
		     tern_cptr_t timer, tern_cptr_t *proc_ntfn);
/* PROC_THREAD_CREATE and PROC_THREAD_EXIT (posix/proto_proc.h): 0 or an errno. */
int proc_thread_create(struct proc_server *ps, struct process *p, uint64_t index, uint64_t *tid);
int proc_thread_exit(struct proc_server *ps, struct process *p, uint64_t index, uint64_t code);
/* Every thread but 0 destroyed and the image caps let go (exit, exec). */
void proc_threads_end(struct proc_server *ps, struct process *p);
/* A pid or a live thread's tid (one number space). */
bool proc_id_in_use(struct proc_server *ps, uint64_t id);
/* fault.c: a thread's fault (label TERN_FAULT_LABEL_BASE + vector, the
 * fault endpoint's badge) becomes its signal; PROC_FAULT_FETCH takes it. */
struct proc_fault_req;
struct proc_fault_fetch_req;
struct proc_fault_fetch_resp;
struct proc_fault_kill_req;
int proc_fault(struct proc_server *ps, struct process *p, uint64_t badge, uint64_t vector,
	       const struct proc_fault_req *in);
int proc_fault_fetch(struct proc_server *ps, struct process *p,
		     const struct proc_fault_fetch_req *in, struct proc_fault_fetch_resp *out);
int proc_fault_kill(struct proc_server *ps, struct process *p,
		    const struct proc_fault_kill_req *in);

/* gone.c: pid died (proc_exit), or exec ended p's other threads
 * (proc_gone_exec, before proc_threads_end): the console's watch is
 * answered. PROC_GONE_WATCH's work: 0 (*out), a status, or
 * TERN_SERVER_DEFERRED. */
void proc_gone(struct proc_server *ps, uint64_t pid);
void proc_gone_exec(struct proc_server *ps, struct process *p);
struct proc_gone_watch_req;
struct proc_gone_watch_resp;
int proc_gone_watch(struct proc_server *ps, struct tern_request *req,
		    const struct proc_gone_watch_req *in, struct proc_gone_watch_resp *out);

/* oom.c: a page fault of `faulter` that the processes' quota cannot
 * pay: the OOM killer's victim is killed; true when that was faulter. */
bool proc_oom(struct proc_server *ps, struct process *faulter);

/* limits.c */
void proc_limits_init(struct process *p, const struct process *parent);
/* The system-wide limit a new process or thread meets (limits.c): 0 or
 * EAGAIN. */
int proc_fork_limit(struct proc_server *ps);
struct proc_prlimit_req;
struct proc_prlimit_resp;
int proc_prlimit(struct proc_server *ps, struct process *self, const struct proc_prlimit_req *in,
		 struct proc_prlimit_resp *out);
int proc_getpriority(struct proc_server *ps, struct process *self, uint64_t which, int64_t who,
		     int64_t *nice);
int proc_setpriority(struct proc_server *ps, struct process *self, uint64_t which, int64_t who,
		     int64_t nice);

/* util.c */
int proc_object(enum tern_cap_type type, uint64_t size, tern_cptr_t *slot);
void proc_slot_free(tern_cptr_t slot);
uint64_t proc_random(void);
int proc_map_in(tern_cptr_t memobj, uint64_t pages, uint64_t rights, uint64_t *va);
void proc_map_out(uint64_t va, uint64_t pages);

#endif
