/*
 * The console driver's protocol (drivers/serial/console/): libposix's tty
 * path (libposix/tty.c) calls it directly for an fd whose route is the
 * console; Linux processes hold the endpoint badged with their pid
 * (POSIX_SLOT_CONSOLE_EP). Data travels inline in the message, at most
 * CONSOLE_DATA_MAX bytes per call; libposix chunks larger buffers.
 * Replies: status 0 with the response words, or POSIX_STATUS(errno).
 *
 *   CONSOLE_WRITE  req: handle, n, then n bytes (ceil(n/8) words).
 *                  resp: written. Output processing (OPOST...) is the
 *                  server's; a write while output is stopped (^S with
 *                  IXON) waits for ^Q.
 *   CONSOLE_READ   req: handle, n (1..CONSOLE_DATA_MAX), flags.
 *                  resp: count, more, then count bytes. Waits (a deferred
 *                  reply) until the line discipline can answer (a whole
 *                  line in canonical mode, MIN bytes otherwise); with
 *                  CONSOLE_NONBLOCK it is EAGAIN instead, and with
 *                  CONSOLE_READ_MORE it never waits and answers 0 bytes
 *                  when nothing of the same read is left (the
 *                  continuation of a read larger than one message).
 *                  `more` says that bytes the same Linux read would have
 *                  returned are left (rest of the line, raw bytes).
 *                  The reply is variable-length: libposix receives it
 *                  with its own Call.
 *   CONSOLE_IOCTL  req: handle, cmd, arg (the Linux ioctl's integer
 *                  argument), sid and pgid (believed only by a driver
 *                  without proc, for native clients: libposix sends 0;
 *                  with proc the driver asks it), data[5] (a struct termios or
 *                  winsize the call sets, or the pgrp for TIOCSPGRP).
 *                  resp: value (the result, or an int the call returns
 *                  through its pointer), data[5] (a struct termios or
 *                  winsize it returns). libposix copies the user's
 *                  structs in and out; the server never sees a pointer.
 *   CONSOLE_OPEN   req: handle. The caller opened the tty readable without
 *                  O_NOCTTY (libposix says so after vfs's open): a session
 *                  leader whose session has no controlling tty, while
 *                  the console is nobody's, makes it its own
 *                  (tty_open_proc_set_tty); never for /dev/console (5:1)
 *                  or /dev/tty (5:0), Linux's noctty. resp: unused.
 *   CONSOLE_POLL   req: handle, events (POLLIN, POLLOUT, ...: posix/poll.h),
 *                  timeout (ns, CONSOLE_POLL_FOREVER none). resp: revents,
 *                  what n_tty_poll reports (POLLIN|POLLRDNORM when a read
 *                  would not wait for input, as input_available_p(tty, 1);
 *                  POLLOUT|POLLWRNORM unless output is stopped). When
 *                  none of `events` holds and timeout is not 0 the reply
 *                  waits (deferred) until one does or the timeout ends
 *                  (revents 0); a signal ends it as a READ's
 *                  (TERN_EINTERRUPTED). No job-control check (Linux's
 *                  tty_poll has none).
 *   CONSOLE_INPUT  the driver's own IRQ thread only (its badge, checked):
 *                  bytes received by the UART, to the line discipline.
 *   CONSOLE_INTR   req: handle. The reply carries a Notification cap
 *                  (signal only) for the caller's IPC buffer
 *                  interrupt_ntfn while it waits in a READ or a stopped
 *                  WRITE (tern/personality.h): when a signal's upcall is
 *                  posted meanwhile, the kernel signals it and the
 *                  driver ends the waiting call with TERN_EINTERRUPTED
 *                  (libposix: EINTR, or a restart). resp: bit, the
 *                  cap's badge: one of 62 bits chosen by pid, so two
 *                  processes may share one and a call can be ended for
 *                  another's signal (libposix restarts a call no signal
 *                  of its own ended). A bit signalled while no call of
 *                  its own waits is forgotten when the next one waits.
 *   CONSOLE_GONE   the driver's own watch thread only (the IRQ thread's
 *                  badge, checked): req: n, flags, pids[n], what proc's
 *                  PROC_GONE_WATCH answered. The waiting calls of those
 *                  pids (every Linux caller's with PROC_GONE_LOST) are
 *                  ended with TERN_EINTERRUPTED: their callers are gone,
 *                  or (a pid whose other threads exec ended, a lost
 *                  list) a live caller makes its call again.
 *
 * The handle is the console's object as vfs names it (POSIX_ROUTE_CONSOLE);
 * there is one tty and the server accepts any handle today. Its top bits
 * carry what job control needs to know of the caller and only libposix
 * knows (its signal actions and mask): CONSOLE_H_TTIN_IGNORED and
 * CONSOLE_H_TTOU_IGNORED, the signal is ignored or blocked (a process
 * that lies gains only what ignoring the signal gives it). The caller's
 * session and group the driver asks of proc (PROC_TTY_QUERY), by the
 * caller's badge: a background process's READ (and WRITE with TOSTOP,
 * and the calls that change the terminal) signals its group SIGTTIN
 * (SIGTTOU) and is answered TERN_SERVER_EINTERRUPTED, or EIO, as Linux's
 * __tty_check_change.
 */
#define CONSOLE_H_TTIN_IGNORED (1ull << 63)
#define CONSOLE_H_TTOU_IGNORED (1ull << 62)
#define CONSOLE_H_FLAGS (CONSOLE_H_TTIN_IGNORED | CONSOLE_H_TTOU_IGNORED)
#ifndef POSIX_PROTO_CONSOLE_H
#define POSIX_PROTO_CONSOLE_H

#include <stdint.h>

#include "sys/server.h"
#include "tern/msginfo.h"

#define CONSOLE_PROTOCOL(X)                \
	X(CONSOLE_WRITE, 1, console_write) \
	X(CONSOLE_READ, 2, console_read)   \
	X(CONSOLE_IOCTL, 3, console_ioctl) \
	X(CONSOLE_INPUT, 4, console_input) \
	X(CONSOLE_INTR, 5, console_intr)   \
	X(CONSOLE_OPEN, 6, console_open)   \
	X(CONSOLE_POLL, 7, console_poll)   \
	X(CONSOLE_GONE, 8, console_gone)

#define CONSOLE_HDR_WORDS 2 /* before the data of WRITE, READ's reply and INPUT */
#define CONSOLE_DATA_WORDS (TERN_MSG_MAX_WORDS - CONSOLE_HDR_WORDS)
#define CONSOLE_DATA_MAX (CONSOLE_DATA_WORDS * 8) /* 3,504 bytes */

#define CONSOLE_NONBLOCK 1u  /* O_NONBLOCK: EAGAIN instead of waiting */
#define CONSOLE_READ_MORE 2u /* a continuation: never wait */

struct console_write_req {
	uint64_t handle;
	uint64_t n; /* bytes that follow */
};
struct console_write_resp {
	uint64_t written;
};

struct console_read_req {
	uint64_t handle;
	uint64_t n;
	uint64_t flags;
};
struct console_read_resp {
	uint64_t count;
	uint64_t more;
};

#define CONSOLE_IOCTL_DATA_WORDS 5 /* a 36-byte struct termios */
struct console_ioctl_req {
	uint64_t handle;
	uint64_t cmd;
	uint64_t arg;
	int64_t sid, pgid;
	uint64_t data[CONSOLE_IOCTL_DATA_WORDS];
};
struct console_ioctl_resp {
	int64_t value;
	uint64_t data[CONSOLE_IOCTL_DATA_WORDS];
};

struct console_intr_req {
	uint64_t handle;
};
struct console_intr_resp {
	uint64_t bit;
};

struct console_open_req {
	uint64_t handle;
};
struct console_open_resp {
	uint64_t unused;
};

#define CONSOLE_POLL_FOREVER UINT64_MAX
struct console_poll_req {
	uint64_t handle;
	uint64_t events;
	uint64_t timeout; /* ns; CONSOLE_POLL_FOREVER: no limit, 0: do not wait */
};
struct console_poll_resp {
	uint64_t revents;
};

/* CONSOLE_GONE (the driver's own threads only). */
#define CONSOLE_GONE_MAX 32 /* PROC_GONE_MAX */
struct console_gone_req {
	uint64_t n, flags; /* flags: PROC_GONE_LOST */
	uint64_t pids[CONSOLE_GONE_MAX];
};
struct console_gone_resp {
	uint64_t unused;
};

/* CONSOLE_INPUT: n bytes follow. */
struct console_input_req {
	uint64_t n;
	uint64_t flags; /* the notification bits that came (drivers/serial/console/console.h) */
};
struct console_input_resp {
	uint64_t taken;
};

enum console_label { CONSOLE_PROTOCOL(TERN_PROTOCOL_ENUM) };
CONSOLE_PROTOCOL(TERN_PROTOCOL_ASSERTS)

#endif
