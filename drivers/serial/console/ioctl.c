/*
 * Terminal controls (CONSOLE_IOCTL), with Linux's results for a serial
 * console. libposix copies structs in and out; here are only values.
 *
 * Controlling terminal and foreground group: the console keeps the
 * session it is the controlling tty of and that session's foreground
 * process group. The caller's pid is its badge; its session and group
 * the console asks of proc (jobctl.c), never of the caller (a driver
 * started without proc, for native clients, believes the request's
 * words). The calls that change the terminal are refused to a
 * background job as Linux's tty_check_change (SIGTTOU).
 */
#include "common/string.h"
#include "console.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "sys/syscalls.h"

CONSOLE_HANDLER(console_ioctl)

/* Linux signal numbers the controls raise. */
#define SIGHUP 1
#define SIGCONT 18
#define SIGTTOU 22
#define SIGWINCH 28

/* Who the caller is: its session and group from proc (by its badge), or,
 * for a driver without proc (native clients), the request's words. */
struct who {
	int64_t sid, pgid;
	int64_t pgrp_sid; /* the session of the group the call names, -1 none */
	bool proc;
};

static void who_is(struct console *c, struct tern_request *req, const struct console_ioctl_req *in,
		   int64_t pgrp, struct who *w)
{
	struct proc_tty_query_resp q;

	if (console_who(c, console_caller_pid(req), pgrp, &q) == 0) {
		*w = (struct who){ q.sid, q.pgid, q.pgrp_sid, true };
		return;
	}
	*w = (struct who){ in->sid, in->pgid, -1, false };
}

/* The console is the caller's controlling tty (current->signal->tty). */
static bool is_ctty(const struct console *c, const struct who *w)
{
	return c->session != 0 && c->session == w->sid;
}

/* tty_check_change (SIGTTOU) for the calls that change the terminal. */
static int check_change(struct console *c, struct tern_request *req,
			const struct console_ioctl_req *in)
{
	return console_job_check(c, console_caller_pid(req), SIGTTOU,
				 in->handle & CONSOLE_H_TTOU_IGNORED);
}

static int ctty_control(struct console *c, struct tern_request *req,
			const struct console_ioctl_req *in, struct console_ioctl_resp *out)
{
	uint64_t pid = console_caller_pid(req);
	struct who w;

	if (in->cmd == TIOCSPGRP) {
		/* tiocspgrp: the job check first (EIO reads ENOTTY). */
		int st = check_change(c, req, in);
		if (st)
			return st == POSIX_STATUS(EIO) ? POSIX_STATUS(ENOTTY) : st;
	}
	who_is(c, req, in, in->cmd == TIOCSPGRP ? (int64_t)(int32_t)in->data[0] : 0, &w);
	bool leader = pid != 0 && (int64_t)pid == w.sid;
	switch (in->cmd) {
	case TIOCSCTTY:
		if (leader && is_ctty(c, &w))
			return 0;
		if (!leader)
			return POSIX_STATUS(EPERM);
		if (c->session && in->arg != 1) /* stealing it needs arg 1 (and root: all are) */
			return POSIX_STATUS(EPERM);
		c->session = w.sid;
		c->pgrp = w.pgid;
		return 0;
	case TIOCNOTTY:
		if (!is_ctty(c, &w))
			return POSIX_STATUS(ENOTTY);
		if (leader) {
			/* disassociate_ctty: the foreground group is hung up. */
			console_raise(c, SIGHUP);
			console_raise(c, SIGCONT);
			c->session = c->pgrp = 0;
		}
		return 0;
	case TIOCGPGRP:
		if (!is_ctty(c, &w))
			return POSIX_STATUS(ENOTTY);
		out->value = c->pgrp;
		return 0;
	case TIOCSPGRP: {
		int32_t pgrp = (int32_t)in->data[0];
		if (pgrp < 0)
			return POSIX_STATUS(EINVAL);
		if (!is_ctty(c, &w))
			return POSIX_STATUS(ENOTTY);
		if (w.proc) {
			/* find_vpid, then session_of_pgrp (Linux's order). */
			if (w.pgrp_sid < 0)
				return POSIX_STATUS(ESRCH);
			if (w.pgrp_sid != w.sid)
				return POSIX_STATUS(EPERM);
		}
		c->pgrp = pgrp;
		return 0;
	}
	case TIOCGSID:
		if (!is_ctty(c, &w))
			return POSIX_STATUS(ENOTTY);
		out->value = c->session;
		return 0;
	}
	return POSIX_STATUS(ENOTTY);
}

/* The STOP or START character, sent at once (tcflow TCIOFF/TCION). */
static void send_char(struct console *c, uint8_t ch)
{
	console_output(c, &ch, 0); /* flushes echo first */
	tern_debug_puts_raw((const char *)&ch, 1);
}

static int console_ioctl_handle(struct tern_request *req, const struct console_ioctl_req *in,
				struct console_ioctl_resp *out)
{
	struct console *c = req->server->ctx;
	struct ldisc *ld = &c->ld;

	_Static_assert(sizeof(in->data) >= sizeof(struct posix_termios), "termios fits");
	switch (in->cmd) { /* tty_check_change: a background job may not change it */
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCFLSH:
	case TCXONC:
	case TCSBRK:
	case TCSBRKP: {
		int st = check_change(c, req, in);
		if (st)
			return st;
		break;
	}
	}
	switch (in->cmd) {
	case TCGETS:
		memcpy(out->data, &ld->t, sizeof(ld->t));
		return 0;
	case TCSETSF:
		ldisc_flush_input(ld);
		/* fall through */
	case TCSETS:
	case TCSETSW: { /* output is on the wire when a write returns: nothing to drain */
		struct posix_termios t;
		memcpy(&t, in->data, sizeof(t));
		ldisc_set_termios(ld, &t);
		console_progress(c);
		return 0;
	}
	case TIOCGWINSZ:
		memcpy(out->data, &ld->ws, sizeof(ld->ws));
		return 0;
	case TIOCSWINSZ: {
		struct posix_winsize ws;
		memcpy(&ws, in->data, sizeof(ws));
		if (memcmp(&ws, &ld->ws, sizeof(ws)) != 0) {
			ld->ws = ws;
			console_raise(c, SIGWINCH);
		}
		return 0;
	}
	case FIONREAD:
		out->value = (int64_t)ldisc_readable(ld);
		return 0;
	case TIOCOUTQ:
		out->value = 0; /* nothing waits to be sent */
		return 0;
	case TCFLSH:
		if (in->arg > TCIOFLUSH)
			return POSIX_STATUS(EINVAL);
		if (in->arg == TCIFLUSH || in->arg == TCIOFLUSH)
			ldisc_flush_input(ld);
		return 0;
	case TCXONC:
		switch (in->arg) {
		case TCOOFF:
			ld->tco_stopped = true;
			return 0;
		case TCOON:
			ld->tco_stopped = false;
			console_progress(c);
			return 0;
		case TCIOFF:
			if (ld->t.c_cc[VSTOP])
				send_char(c, ld->t.c_cc[VSTOP]);
			return 0;
		case TCION:
			if (ld->t.c_cc[VSTART])
				send_char(c, ld->t.c_cc[VSTART]);
			return 0;
		}
		return POSIX_STATUS(EINVAL);
	case TCSBRK:
	case TCSBRKP:
		/* tcdrain (arg != 0): written output has left already. A break
		 * (arg 0) is not sent (not done: documented in personality.md). */
		return 0;
	case TIOCGETD:
		out->value = ld->t.c_line;
		return 0;
	case TIOCSETD:
		if ((int32_t)in->data[0] != N_TTY)
			return POSIX_STATUS(EINVAL);
		return 0;
	case TIOCGEXCL:
		out->value = c->exclusive;
		return 0;
	case TIOCEXCL:
	case TIOCNXCL:
		c->exclusive = in->cmd == TIOCEXCL; /* root may open it anyway: all are root */
		return 0;
	case TIOCSTI: {
		uint8_t ch = (uint8_t)in->data[0];
		ldisc_receive(ld, &ch, 1);
		console_progress(c);
		console_input_arrived(c);
		return 0;
	}
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
		return ctty_control(c, req, in, out);
	}
	return POSIX_STATUS(ENOTTY);
}
