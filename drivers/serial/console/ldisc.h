/*
 * The tty line discipline: Linux's n_tty semantics as pure code (no IPC,
 * no hardware), so the host tests (test/unit/console) run exactly what
 * the console server runs.
 *
 * Input: ldisc_receive() takes bytes from the UART: c_iflag processing
 * (ISTRIP, IUCLC, IGNCR, ICRNL, INLCR, IXON/IXANY flow control), ISIG
 * characters (VINTR, VQUIT, VSUSP: recorded in `signals` for the
 * foreground process group, input flushed unless NOFLSH), canonical
 * editing (VERASE, VKILL, VWERASE, VLNEXT, VREPRINT, VEOF, VEOL, VEOL2,
 * '\n') and echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHOCTL, ECHONL), with the
 * column bookkeeping n_tty keeps for erasing tabs. Echo goes through the
 * same output processing as writes and leaves through `emit`.
 *
 * Output: ldisc_output() applies c_oflag (OPOST, ONLCR, OCRNL, ONOCR,
 * ONLRET, OLCUC, XTABS) to a program's bytes.
 *
 * Reading: ldisc_can_read() says whether a read of n bytes can be
 * answered now (a whole line in canonical mode; min(VMIN, n) bytes
 * otherwise, VMIN 0 at once, or a byte with VTIME) and ldisc_read() takes the bytes (up to and
 * including one line's end in canonical mode; an end of file (VEOF) is
 * not data: alone on its line it reads as 0 bytes).
 *
 * VTIME's timing is the owner's (a read the line discipline cannot answer
 * yet is answered with what there is when its time runs out: from the
 * read's start with VMIN 0, from the last byte received otherwise).
 *
 * Not here: ECHOPRT,
 * PARMRK/INPCK/IGNBRK/BRKINT (the UART reports no errors or breaks to us),
 * and holding echoes back while output is stopped.
 */
#ifndef CONSOLE_LDISC_H
#define CONSOLE_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "posix/ioctl.h"
#include "posix/termios.h"

#define LDISC_BUF 4096 /* N_TTY_BUF_SIZE: a line holds at most 4095 bytes and its end */

/* Linux signal numbers the ISIG characters raise. */
#define LDISC_SIGINT 2
#define LDISC_SIGQUIT 3
#define LDISC_SIGTSTP 20

/* Longest output one input byte can make (a tab expanded by XTABS). */
#define LDISC_OUTPUT_MAX_PER_BYTE 8

typedef void (*ldisc_emit_fn)(void *ctx, const uint8_t *s, size_t n);

struct ldisc {
	struct posix_termios t;
	struct posix_winsize ws;
	uint8_t buf[LDISC_BUF];
	uint8_t flag[LDISC_BUF]; /* LDISC_EOL: ends a line; LDISC_EOF: an end-of-file mark */
	size_t len;		 /* bytes held, from buf[0] */
	size_t canon;		 /* canonical mode: [0, canon) are whole lines */
	bool lnext;		 /* the next byte is taken literally (VLNEXT) */
	bool stopped;		 /* output stopped by VSTOP (IXON) */
	bool tco_stopped;	 /* output stopped by tcflow(TCOOFF) */
	unsigned column;	 /* output column, as n_tty counts it */
	unsigned canon_column;	 /* the column the line being edited began at */
	uint32_t signals;	 /* bit s: signal s raised since the owner last took them */
	bool raised;		 /* the byte being received raised one */
	ldisc_emit_fn emit;	 /* echo output (already processed) */
	void *emit_ctx;
};

#define LDISC_EOL 1
#define LDISC_EOF 2

/* Linux's defaults for the serial console; ws 0x0 as Linux reports ttyS0. */
void ldisc_init(struct ldisc *ld, ldisc_emit_fn emit, void *emit_ctx);

/* Bytes from the UART. Returns how many were taken: it stops right after
 * a byte that raised a signal, so the owner acts on the signal before the
 * bytes typed after it (as n_tty signals from inside its receive). */
size_t ldisc_receive(struct ldisc *ld, const uint8_t *in, size_t n);

/* A read of n (> 0) bytes can be answered now. */
bool ldisc_can_read(const struct ldisc *ld, size_t n);
/* poll's POLLIN: a read would not wait for input (n_tty's
 * input_available_p(tty, 1): a whole line in canonical mode, else VMIN
 * bytes when VTIME is 0 and VMIN is not, else one byte). */
bool ldisc_poll_in(const struct ldisc *ld);
/* Take up to n bytes for a read; *more: bytes the same Linux read would
 * also have returned are left (the rest of the line in canonical mode,
 * more held bytes otherwise). */
size_t ldisc_read(struct ldisc *ld, uint8_t *dst, size_t n, bool *more);
/* FIONREAD: what a read could take now (canonical: whole lines, end-of-file
 * marks not counted). */
size_t ldisc_readable(const struct ldisc *ld);

/* Process n output bytes into dst (room for at least
 * LDISC_OUTPUT_MAX_PER_BYTE bytes); returns the bytes of src consumed and
 * sets *out_len. Stops when dst could not take the next byte's output. */
size_t ldisc_output(struct ldisc *ld, const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
		    size_t *out_len);

/* The run of printable ASCII at s (at most n bytes). */
size_t ldisc_plain_run(const uint8_t *s, size_t n);
/* Whether ldisc_output would pass all n bytes through unchanged (no
 * OPOST, or printable ASCII without OLCUC); if so their columns are
 * counted, and the caller writes them as they are. */
static inline bool ldisc_unchanged(struct ldisc *ld, const uint8_t *s, size_t n)
{
	if (!(ld->t.c_oflag & OPOST))
		return true;
	/* A line's end is the usual reason not to: look there first. */
	if ((ld->t.c_oflag & OLCUC) || (n && (s[n - 1] < 32 || s[n - 1] >= 127)) ||
	    ldisc_plain_run(s, n) != n)
		return false;
	ld->column += (unsigned)n;
	return true;
}

/* TCSETS*: new settings; a change of ICANON turns what is held into one
 * line (to canonical) or plain bytes (to raw), as n_tty does. */
void ldisc_set_termios(struct ldisc *ld, const struct posix_termios *t);
/* TCSETSF, TCFLSH(TCIFLUSH): drop the input held. */
void ldisc_flush_input(struct ldisc *ld);
/* Output may go out (not stopped by VSTOP or tcflow). */
static inline bool ldisc_output_ok(const struct ldisc *ld)
{
	return !ld->stopped && !ld->tco_stopped;
}

#endif
