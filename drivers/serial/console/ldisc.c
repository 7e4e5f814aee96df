/*
 * The tty line discipline (ldisc.h), after Linux's n_tty: the same
 * decisions in the same order, on a linear buffer instead of a ring (it
 * holds at most 4 KiB, and a read takes from the front).
 */
#include "ldisc.h"

#define CC(ld, i) ((ld)->t.c_cc[i])
#define I(ld, f) (((ld)->t.c_iflag & (f)) != 0)
#define O(ld, f) (((ld)->t.c_oflag & (f)) != 0)
#define L(ld, f) (((ld)->t.c_lflag & (f)) != 0)

static bool is_cntrl(uint8_t c)
{
	return c < 32 || c == 127;
}

static bool is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_continuation(const struct ldisc *ld, uint8_t c)
{
	return I(ld, IUTF8) && (c & 0xc0) == 0x80;
}

void ldisc_init(struct ldisc *ld, ldisc_emit_fn emit, void *emit_ctx)
{
	static const uint8_t cc[POSIX_NCCS] = POSIX_TTY_DEFAULT_CC;

	*ld = (struct ldisc){
		.t = { .c_iflag = POSIX_TTY_DEFAULT_IFLAG,
		       .c_oflag = POSIX_TTY_DEFAULT_OFLAG,
		       .c_cflag = POSIX_TTY_DEFAULT_CFLAG,
		       .c_lflag = POSIX_TTY_DEFAULT_LFLAG,
		       .c_line = N_TTY },
		.emit = emit,
		.emit_ctx = emit_ctx,
	};
	__builtin_memcpy(ld->t.c_cc, cc, sizeof(cc));
}

/*
 * n_tty's do_output_char: one byte's output into out (room for
 * LDISC_OUTPUT_MAX_PER_BYTE), the column kept. Returns the bytes made.
 */
static size_t output_char(struct ldisc *ld, uint8_t c, uint8_t *out)
{
	if (!O(ld, OPOST)) {
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (O(ld, ONLRET))
			ld->column = 0;
		if (O(ld, ONLCR)) {
			ld->canon_column = ld->column = 0;
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		ld->canon_column = ld->column;
		break;
	case '\r':
		if (O(ld, ONOCR) && ld->column == 0)
			return 0;
		if (O(ld, OCRNL)) {
			c = '\n';
			if (O(ld, ONLRET))
				ld->canon_column = ld->column = 0;
			break;
		}
		ld->canon_column = ld->column = 0;
		break;
	case '\t': {
		unsigned spaces = 8 - (ld->column & 7);
		ld->column += spaces;
		if ((ld->t.c_oflag & TABDLY) == XTABS) {
			for (unsigned i = 0; i < spaces; i++)
				out[i] = ' ';
			return spaces;
		}
		break;
	}
	case '\b':
		if (ld->column > 0)
			ld->column--;
		break;
	default:
		if (!is_cntrl(c)) {
			if (O(ld, OLCUC) && c >= 'a' && c <= 'z')
				c = (uint8_t)(c - 'a' + 'A');
			if (!is_continuation(ld, c))
				ld->column++;
		}
		break;
	}
	out[0] = c;
	return 1;
}

/* Printable ASCII: one column each, unchanged unless OLCUC. */
static bool plain(uint8_t c)
{
	return c >= 32 && c < 127;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The length of the run of plain bytes at s, at most n: 8 bytes per step
 * (every byte below 0x80, none below 0x20, none 0x7f), then bytewise. */
size_t ldisc_plain_run(const uint8_t *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		__builtin_memcpy(&w, s + i, 8);
		if ((w & HIGHS) || ((w + 0x60 * ONES) & HIGHS) != HIGHS || ((w + ONES) & HIGHS))
			break;
	}
	while (i < n && plain(s[i]))
		i++;
	return i;
}

size_t ldisc_output(struct ldisc *ld, const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
		    size_t *out_len)
{
	size_t i = 0, o = 0;

	if (!O(ld, OPOST)) {
		i = o = n < cap ? n : cap;
		__builtin_memcpy(dst, src, i);
		*out_len = o;
		return i;
	}
	while (i < n && cap - o >= LDISC_OUTPUT_MAX_PER_BYTE) {
		/* A run of plain bytes in one copy, as n_tty's
		 * process_output_block. */
		size_t run = 0, room = cap - o;
		if (!O(ld, OLCUC))
			run = ldisc_plain_run(src + i, n - i < room ? n - i : room);
		if (run) {
			__builtin_memcpy(dst + o, src + i, run);
			ld->column += (unsigned)run;
			i += run;
			o += run;
			continue;
		}
		o += output_char(ld, src[i++], dst + o);
	}
	*out_len = o;
	return i;
}

/* Echo: bytes through output processing, then emit. */
static void echo_raw(struct ldisc *ld, uint8_t c)
{
	uint8_t out[LDISC_OUTPUT_MAX_PER_BYTE];
	size_t n = output_char(ld, c, out);

	if (n && ld->emit)
		ld->emit(ld->emit_ctx, out, n);
}

/* n_tty's echo_char: a control character other than tab as ^X with
 * ECHOCTL (two columns), anything else as itself. */
static void echo_char(struct ldisc *ld, uint8_t c)
{
	if (L(ld, ECHOCTL) && is_cntrl(c) && c != '\t') {
		uint8_t out[2] = { '^', (uint8_t)(c ^ 0100) };
		if (O(ld, OPOST))
			ld->column += 2;
		if (ld->emit)
			ld->emit(ld->emit_ctx, out, 2);
		return;
	}
	echo_raw(ld, c);
}

/* The column of a line's first byte, recorded when its first byte is echoed. */
static void set_canon_col(struct ldisc *ld)
{
	if (ld->canon == ld->len)
		ld->canon_column = ld->column;
}

static void put(struct ldisc *ld, uint8_t c, uint8_t flag)
{
	ld->buf[ld->len] = c;
	ld->flag[ld->len] = flag;
	ld->len++;
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->len = ld->canon = 0;
	ld->lnext = false;
}

static void start_output(struct ldisc *ld)
{
	ld->stopped = false;
}

static void signal_char(struct ldisc *ld, int sig, uint8_t c)
{
	ld->signals |= 1u << sig;
	ld->raised = true;
	if (!L(ld, NOFLSH))
		ldisc_flush_input(ld);
	if (I(ld, IXON))
		start_output(ld);
	if (L(ld, ECHO))
		echo_char(ld, c);
}

static void erase_tab(struct ldisc *ld, unsigned num_chars, bool after_tab)
{
	if (!after_tab)
		num_chars += ld->canon_column;
	unsigned num_bs = 8 - (num_chars & 7);
	while (num_bs--)
		echo_raw(ld, '\b');
}

static void erase_visual(struct ldisc *ld)
{
	echo_raw(ld, '\b');
	echo_raw(ld, ' ');
	echo_raw(ld, '\b');
}

enum kill_type { ERASE, WERASE, KILL };

/* n_tty's eraser: VERASE, VWERASE or VKILL on the line being edited. */
static void eraser(struct ldisc *ld, uint8_t c)
{
	enum kill_type kill;

	if (ld->len == ld->canon)
		return;
	if (c == CC(ld, VERASE)) {
		kill = ERASE;
	} else if (c == CC(ld, VWERASE)) {
		kill = WERASE;
	} else {
		if (!L(ld, ECHO)) {
			ld->len = ld->canon;
			return;
		}
		if (!L(ld, ECHOK) || !L(ld, ECHOKE) || !L(ld, ECHOE)) {
			ld->len = ld->canon;
			echo_char(ld, c);
			if (L(ld, ECHOK))
				echo_raw(ld, '\n');
			return;
		}
		kill = KILL;
	}
	unsigned seen_alnums = 0;
	while (ld->len != ld->canon) {
		size_t head = ld->len;
		do
			c = ld->buf[--head];
		while (is_continuation(ld, c) && head != ld->canon);
		if (is_continuation(ld, c))
			break; /* never erase part of a character */
		if (kill == WERASE) {
			if (is_alnum(c) || c == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		ld->len = head;
		if (L(ld, ECHO)) {
			if (kill == ERASE && !L(ld, ECHOE)) {
				echo_char(ld, CC(ld, VERASE));
			} else if (c == '\t') {
				unsigned num_chars = 0;
				bool after_tab = false;
				for (size_t tail = ld->len; tail != ld->canon;) {
					uint8_t p = ld->buf[--tail];
					if (p == '\t') {
						after_tab = true;
						break;
					} else if (is_cntrl(p)) {
						if (L(ld, ECHOCTL))
							num_chars += 2;
					} else if (!is_continuation(ld, p)) {
						num_chars++;
					}
				}
				erase_tab(ld, num_chars, after_tab);
			} else {
				if (is_cntrl(c) && L(ld, ECHOCTL))
					erase_visual(ld);
				if (!is_cntrl(c) || L(ld, ECHOCTL))
					erase_visual(ld);
			}
		}
		if (kill == ERASE)
			break;
	}
}

/* A line is complete: its last byte carries the end mark. */
static void end_line(struct ldisc *ld, uint8_t c, uint8_t flag)
{
	put(ld, c, LDISC_EOL | flag);
	ld->canon = ld->len;
}

/* An ordinary byte (n_tty_receive_char). */
static void ordinary(struct ldisc *ld, uint8_t c)
{
	if (ld->stopped && !ld->tco_stopped && I(ld, IXON) && I(ld, IXANY))
		start_output(ld);
	if (L(ld, ECHO)) {
		set_canon_col(ld);
		echo_char(ld, c);
	}
	put(ld, c, 0);
}

static void receive_special(struct ldisc *ld, uint8_t c)
{
	if (I(ld, IXON)) {
		if (c == CC(ld, VSTART)) {
			start_output(ld);
			return;
		}
		if (c == CC(ld, VSTOP)) {
			ld->stopped = true;
			return;
		}
	}
	if (L(ld, ISIG)) {
		if (c == CC(ld, VINTR)) {
			signal_char(ld, LDISC_SIGINT, c);
			return;
		}
		if (c == CC(ld, VQUIT)) {
			signal_char(ld, LDISC_SIGQUIT, c);
			return;
		}
		if (c == CC(ld, VSUSP)) {
			signal_char(ld, LDISC_SIGTSTP, c);
			return;
		}
	}
	if (ld->stopped && !ld->tco_stopped && I(ld, IXON) && I(ld, IXANY))
		start_output(ld);
	if (c == '\r') {
		if (I(ld, IGNCR))
			return;
		if (I(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(ld, INLCR)) {
		c = '\r';
	}
	if (L(ld, ICANON)) {
		if (c == CC(ld, VERASE) || c == CC(ld, VKILL) ||
		    (c == CC(ld, VWERASE) && L(ld, IEXTEN))) {
			eraser(ld, c);
			return;
		}
		if (c == CC(ld, VLNEXT) && L(ld, IEXTEN)) {
			ld->lnext = true;
			if (L(ld, ECHO) && L(ld, ECHOCTL)) {
				uint8_t out[2] = { '^', '\b' };
				if (ld->emit)
					ld->emit(ld->emit_ctx, out, 2);
			}
			return;
		}
		if (c == CC(ld, VREPRINT) && L(ld, ECHO) && L(ld, IEXTEN)) {
			echo_char(ld, c);
			echo_raw(ld, '\n');
			for (size_t i = ld->canon; i < ld->len; i++)
				echo_char(ld, ld->buf[i]);
			return;
		}
		if (c == '\n') {
			if (L(ld, ECHO) || L(ld, ECHONL))
				echo_raw(ld, '\n');
			end_line(ld, c, 0);
			return;
		}
		if (c == CC(ld, VEOF)) {
			end_line(ld, 0, LDISC_EOF); /* a mark, not data */
			return;
		}
		if (c == CC(ld, VEOL) || (c == CC(ld, VEOL2) && L(ld, IEXTEN))) {
			if (L(ld, ECHO)) {
				set_canon_col(ld);
				echo_char(ld, c);
			}
			end_line(ld, c, 0);
			return;
		}
	}
	if (L(ld, ECHO)) {
		if (c == '\n') {
			echo_raw(ld, '\n');
		} else {
			set_canon_col(ld);
			echo_char(ld, c);
		}
	}
	put(ld, c, 0);
}

/* Whether n_tty's char_map marks c as special under the current settings. */
static bool is_special(const struct ldisc *ld, uint8_t c)
{
	if (c == '\r' && (I(ld, IGNCR) || I(ld, ICRNL)))
		return true;
	if (c == '\n' && I(ld, INLCR))
		return true;
	if (I(ld, IXON) && (c == CC(ld, VSTART) || c == CC(ld, VSTOP)))
		return true;
	if (L(ld, ISIG) && (c == CC(ld, VINTR) || c == CC(ld, VQUIT) || c == CC(ld, VSUSP)))
		return true;
	if (L(ld, ICANON)) {
		if (c == CC(ld, VERASE) || c == CC(ld, VKILL) || c == CC(ld, VEOF) || c == '\n' ||
		    c == CC(ld, VEOL))
			return true;
		if (L(ld, IEXTEN) &&
		    (c == CC(ld, VWERASE) || c == CC(ld, VLNEXT) || c == CC(ld, VEOL2)))
			return true;
		if (L(ld, IEXTEN) && L(ld, ECHO) && c == CC(ld, VREPRINT))
			return true;
	}
	return false;
}

static void receive_one(struct ldisc *ld, uint8_t c)
{
	/* Full: canonical mode with no whole line makes room for the line's
	 * end by dropping the last byte (a line is at most 4095 bytes and its
	 * end); otherwise the byte is lost. */
	if (ld->len >= LDISC_BUF - 1) {
		if (L(ld, ICANON) && ld->canon == 0 && ld->len > 0)
			ld->len--;
		else
			return;
	}
	if (ld->lnext) {
		ld->lnext = false;
		if (I(ld, ISTRIP))
			c &= 0x7f;
		if (I(ld, IUCLC) && L(ld, IEXTEN) && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		ordinary(ld, c);
		return;
	}
	if (I(ld, ISTRIP))
		c &= 0x7f;
	if (I(ld, IUCLC) && L(ld, IEXTEN) && c >= 'A' && c <= 'Z')
		c = (uint8_t)(c - 'A' + 'a');
	if (is_special(ld, c))
		receive_special(ld, c);
	else
		ordinary(ld, c);
}

size_t ldisc_receive(struct ldisc *ld, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		receive_one(ld, in[i]);
		if (ld->raised) {
			ld->raised = false;
			return i + 1;
		}
	}
	return n;
}

bool ldisc_can_read(const struct ldisc *ld, size_t n)
{
	if (L(ld, ICANON))
		return ld->canon > 0;
	size_t min = CC(ld, VMIN);
	if (min == 0 && CC(ld, VTIME))
		min = 1; /* VTIME alone: a byte, or the time runs out (the owner's timer) */
	if (min > n)
		min = n;
	return ld->len >= min;
}

bool ldisc_poll_in(const struct ldisc *ld)
{
	if (L(ld, ICANON))
		return ld->canon > 0;
	size_t min = !CC(ld, VTIME) && CC(ld, VMIN) ? CC(ld, VMIN) : 1;
	return ld->len >= min;
}

static void consume(struct ldisc *ld, size_t k)
{
	__builtin_memmove(ld->buf, ld->buf + k, ld->len - k);
	__builtin_memmove(ld->flag, ld->flag + k, ld->len - k);
	ld->len -= k;
	ld->canon = ld->canon > k ? ld->canon - k : 0;
}

size_t ldisc_read(struct ldisc *ld, uint8_t *dst, size_t n, bool *more)
{
	size_t out = 0, taken = 0;

	*more = false;
	if (L(ld, ICANON)) {
		while (taken < ld->canon && out < n) {
			uint8_t f = ld->flag[taken];
			if (!(f & LDISC_EOF))
				dst[out++] = ld->buf[taken];
			taken++;
			if (f & LDISC_EOL)
				break;
		}
		/* As Linux 6's canon_copy_from_read_buf: the line's end is
		 * looked for among the n bytes only, so a line "abc^D" read
		 * with n = 3 gives "abc" and leaves the mark (the next read
		 * is 0, end of file). */
		if (taken > 0 && !(ld->flag[taken - 1] & LDISC_EOL))
			*more = true;
	} else {
		out = taken = n < ld->len ? n : ld->len;
		__builtin_memcpy(dst, ld->buf, out);
		*more = ld->len > taken;
	}
	consume(ld, taken);
	return out;
}

size_t ldisc_readable(const struct ldisc *ld)
{
	if (!L(ld, ICANON))
		return ld->len;
	size_t nr = 0;
	for (size_t i = 0; i < ld->canon; i++)
		if (!(ld->flag[i] & LDISC_EOF))
			nr++;
	return nr;
}

void ldisc_set_termios(struct ldisc *ld, const struct posix_termios *t)
{
	bool was_canon = L(ld, ICANON);

	ld->t = *t;
	if (was_canon == L(ld, ICANON))
		return;
	/* n_tty_set_termios: the line boundaries go; in canonical mode what
	 * is held becomes one whole line, and end-of-file marks become the
	 * NUL bytes they are stored as. */
	for (size_t i = 0; i < ld->len; i++)
		ld->flag[i] = 0;
	ld->lnext = false;
	if (L(ld, ICANON) && ld->len) {
		ld->flag[ld->len - 1] = LDISC_EOL;
		ld->canon = ld->len;
	} else {
		ld->canon = 0;
	}
}
