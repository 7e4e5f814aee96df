/*
 * Job control (docs/personality.md, "Signals between processes, stop and
 * wait, job control"): the console's cap to proc (CONSOLE_SLOT_PROC_EP,
 * badge POSIX_BADGE_CONSOLE) signals the foreground process group
 * (PROC_KILL with PROC_KILL_PGRP, si_code SI_KERNEL as Linux's
 * kill_pgrp(.., 1)) and asks proc the caller's session and group by its
 * badge (PROC_TTY_QUERY): the console never takes them from libposix.
 *
 * The controlling session ends when its leader does: found when proc
 * says the leader is gone, the next time the console asks (FIXME: the
 * SIGHUP Linux's disassociate_ctty sends the foreground group at the
 * leader's exit is not sent: proc does not call the console, which
 * calls proc).
 *
 * Entry points: console_raise, console_who, console_job_check,
 * console_is_redirect.
 */
#include "common/format.h"
#include "console.h"
#include "posix/boot.h"
#include "posix/proto_proc.h"
#include "posix/stat.h"
#include "posix/status.h"
#include "sys/syscalls.h"

#define SIGTTIN 21

bool console_is_redirect(uint64_t handle)
{
	return (handle & ~CONSOLE_H_FLAGS) == posix_makedev(5, 1);
}

int console_who(struct console *c, uint64_t pid, int64_t pgrp, struct proc_tty_query_resp *out)
{
	struct proc_tty_query_req q = { .pid = pid, .pgrp = pgrp, .session = c->session };

	*out = (struct proc_tty_query_resp){ .pgrp_sid = -1 };
	if (!c->proc_ep)
		return -1;
	int st = tern_client_call(c->proc_ep, PROC_TTY_QUERY, &q, sizeof(q) / 8, out,
				  sizeof(*out) / 8);
	if (st) {
		*out = (struct proc_tty_query_resp){ .pgrp_sid = -1 };
		return -1;
	}
	if (c->session && !(out->flags & PROC_TTY_SESSION_LIVE))
		c->session = c->pgrp = 0; /* its leader is gone: no one's tty now */
	return 0;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case 1:
		return "SIGHUP";
	case 2:
		return "SIGINT";
	case 3:
		return "SIGQUIT";
	case 18:
		return "SIGCONT";
	case 20:
		return "SIGTSTP";
	case 28:
		return "SIGWINCH";
	default:
		return "signal";
	}
}

/* kill_pgrp(pgrp, sig, 1). Without proc (a driver started for native
 * clients) the signal is only named in the system log. */
static void kill_pgrp(struct console *c, int64_t pgrp, int sig)
{
	struct proc_kill_req q = { .pid = pgrp, .sig = sig, .flags = PROC_KILL_PGRP };
	struct proc_kill_resp r;
	char line[120];

	if (pgrp <= 0)
		return;
	if (tern_client_call(c->proc_ep, PROC_KILL, &q, sizeof(q) / 8, &r, sizeof(r) / 8) >= 0)
		return;
	int n = format(line, sizeof(line),
		       "console: %s for the foreground process group %ld (not delivered: no proc)",
		       signal_name(sig), (long)pgrp);
	if (n > 0)
		tern_log(6, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* A signal for the foreground process group (ISIG's, TIOCSWINSZ's,
 * TIOCNOTTY's); without one nothing is sent, as in Linux. */
void console_raise(struct console *c, int sig)
{
	if (c->pgrp)
		kill_pgrp(c, c->pgrp, sig);
}

int console_job_check(struct console *c, uint64_t pid, int sig, bool ignored)
{
	struct proc_tty_query_resp w;

	if (!c->session || !pid || console_who(c, pid, 0, &w))
		return 0;
	if (!c->session || w.sid != c->session || !c->pgrp || w.pgid == c->pgrp)
		return 0; /* not its controlling tty, or the foreground */
	if (ignored)
		return sig == SIGTTIN ? POSIX_STATUS(EIO) : 0;
	if (w.flags & PROC_TTY_ORPHANED)
		return POSIX_STATUS(EIO);
	kill_pgrp(c, w.pgid, sig);
	return TERN_SERVER_EINTERRUPTED; /* -ERESTARTSYS: read again once continued */
}
