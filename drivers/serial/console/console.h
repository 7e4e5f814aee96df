/*
 * The console driver's state and the pieces of the server (main.c the
 * loop and set-up, rw.c the data path, ioctl.c the terminal controls,
 * uart.c the UART and its IRQ thread). One struct console, handed to the
 * handlers as the server's context; the loop runs on one thread, so
 * handlers never race (the IRQ thread only talks to the loop by IPC).
 */
#ifndef CONSOLE_CONSOLE_H
#define CONSOLE_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "ldisc.h"
#include "posix/proto_console.h"
#include "sys/server.h"

/* The badge of the IRQ thread's cap to the console's own endpoint: no
 * pid (at most POSIX_PID_MAX) and none of posix/cspace.h's server badges. */
#define CONSOLE_BADGE_IRQ (1ul << 60)
/* The bits of the one notification the IRQ thread waits on (and
 * CONSOLE_INPUT's flags: those that came). */
#define CONSOLE_NTFN_IRQ 1ul	  /* the UART's IRQ */
#define CONSOLE_NTFN_TIMER 2ul	  /* the VTIME timer */
#define CONSOLE_NTFN_INTR_FIRST 2 /* bits 2..63: clients' interrupt caps */
#define CONSOLE_NTFN_INTR_MASK (~3ul)
#define CONSOLE_INTR_BITS 62

static inline uint64_t console_intr_bit(uint64_t pid)
{
	return 1ul << (CONSOLE_NTFN_INTR_FIRST + pid % CONSOLE_INTR_BITS);
}

#define CONSOLE_MAX_READERS 32
#define CONSOLE_MAX_WRITERS 4
#define CONSOLE_MAX_POLLERS 32

struct console_reader {
	tern_cptr_t reply;
	uint64_t n;
	uint64_t pid;
	uint64_t deadline; /* VTIME: answer with what there is at this time (ns), 0 none */
};

/* A poll that waits for one of its events or its deadline (0: none). */
struct console_poller {
	tern_cptr_t reply;
	uint64_t pid;
	uint64_t events;
	uint64_t deadline;
};

/* A write that waits for output to be started again (^Q, tcflow). */
struct console_writer {
	tern_cptr_t reply;
	uint64_t pid;
	uint64_t n;
	uint8_t data[CONSOLE_DATA_MAX];
};

struct console {
	struct ldisc ld;
	uint16_t port;	      /* the UART's base */
	tern_cptr_t ioport;   /* its 8 ports */
	tern_cptr_t irq;      /* its IRQ handler */
	tern_cptr_t ntfn;     /* what the IRQ thread waits on (CONSOLE_NTFN_*) */
	tern_cptr_t irq_ntfn; /* its cap with the IRQ's bit */
	tern_cptr_t intr_caps[CONSOLE_INTR_BITS]; /* minted on first use */
	tern_cptr_t irq_ep;			  /* the IRQ thread's cap to our endpoint */
	tern_cptr_t timer;			  /* VTIME's, signalling timer_ntfn */
	tern_cptr_t timer_ntfn;
	uint64_t timer_armed; /* its deadline (readers' VTIME, pollers' timeouts), 0 none */
	struct console_reader readers[CONSOLE_MAX_READERS];
	unsigned nreaders;
	struct console_writer writers[CONSOLE_MAX_WRITERS];
	unsigned nwriters;
	struct console_poller pollers[CONSOLE_MAX_POLLERS];
	unsigned npollers;
	tern_cptr_t proc_ep;   /* proc, badge POSIX_BADGE_CONSOLE (jobctl.c) */
	tern_cptr_t gone_ntfn; /* wakes the watch thread (gone.c), 0 without one */
	int64_t session;       /* the session the console is the controlling tty of, 0 none */
	int64_t pgrp;	       /* its foreground process group */
	bool exclusive;	       /* TIOCEXCL */
	uint8_t echo[1024];
	size_t echo_len;
};

/* The caller's pid from its badge (0 for a native client). */
uint64_t console_caller_pid(const struct tern_request *req);

/* rw.c */
void console_emit(void *ctx, const uint8_t *s, size_t n);
void console_flush_echo(struct console *c);
/* Program output through the line discipline to the UART. */
void console_output(struct console *c, const uint8_t *s, size_t n);
/* After input or a settings change: answer readers that can be, start
 * writers that can go, report signals the line discipline raised. */
void console_progress(struct console *c);
/* End the waiting calls of the clients whose interrupt bits came. */
void console_interrupt(struct console *c, uint64_t bits);
/* A call of pid's is about to wait: interrupt bits that came meanwhile
 * are taken now; true when its own came (answer TERN_EINTERRUPTED). */
bool console_before_wait(struct console *c, uint64_t pid);
/* Input arrived and was taken: VTIME's inter-byte timers start again. */
void console_input_arrived(struct console *c);

/* jobctl.c */
/* The handle names /dev/console (5:1), whose reads and writes Linux never
 * stops (n_tty's job_control: redirected_tty_write); its terminal
 * controls are checked as any tty's. */
bool console_is_redirect(uint64_t handle);
struct proc_tty_query_resp;
/* A signal for the foreground process group (none: nothing sent). */
void console_raise(struct console *c, int sig);
/* proc's word on pid (its session and group), on the group pgrp (its
 * session) and on the controlling session (ended when its leader is
 * gone): 0, or -1 without proc. */
int console_who(struct console *c, uint64_t pid, int64_t pgrp, struct proc_tty_query_resp *out);
/* __tty_check_change(sig) for the caller pid: 0 go on, POSIX_STATUS(EIO),
 * or TERN_SERVER_EINTERRUPTED after signalling its (background) group.
 * `ignored`: the caller ignores or blocks sig (libposix's word). */
int console_job_check(struct console *c, uint64_t pid, int sig, bool ignored);

/* The monotonic clock, ns. */
uint64_t console_now(void);

/* gone.c: the thread that hears from proc who died; a call was just
 * deferred (the thread watches only while calls wait). */
int console_gone_start(struct console *c);
void console_gone_wanted(struct console *c);

/* uart.c */
int console_uart_start(struct console *c);

/* The table's thunks (main.c) and, in each family's file, its typed
 * handler: CONSOLE_HANDLER(console_write) before defining
 * console_write_handle. */
#define CONSOLE_THUNK_DECL(name, label, base) \
	int base##_thunk(struct tern_request *req, const void *in, void *out);
CONSOLE_PROTOCOL(CONSOLE_THUNK_DECL)
#undef CONSOLE_THUNK_DECL

#define CONSOLE_HANDLER(base)                                                           \
	static int base##_handle(struct tern_request *req, const struct base##_req *in, \
				 struct base##_resp *out);                              \
	int base##_thunk(struct tern_request *req, const void *in, void *out)           \
	{                                                                               \
		return base##_handle(req, in, out);                                     \
	}

#endif
