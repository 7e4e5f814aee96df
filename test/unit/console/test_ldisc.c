/*
 * The tty line discipline against Linux's n_tty behaviour: canonical
 * editing with echo, erase and kill, end of file, raw mode with VMIN,
 * signal characters, the iflag and oflag conversions, flow control, and
 * mode switches with input held.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ldisc.h"

static struct ldisc ld;
static uint8_t echo[8192];
static size_t echo_len;

static void collect(void *ctx, const uint8_t *s, size_t n)
{
	(void)ctx;
	assert_true(echo_len + n <= sizeof(echo));
	memcpy(echo + echo_len, s, n);
	echo_len += n;
}

static int setup(void **state)
{
	(void)state;
	ldisc_init(&ld, collect, NULL);
	echo_len = 0;
	return 0;
}

/* As the server feeds it: again after each signal. */
static void feed(const char *s)
{
	size_t n = strlen(s), done = 0;

	while (done < n) {
		size_t k = ldisc_receive(&ld, (const uint8_t *)s + done, n - done);
		assert_true(k > 0);
		done += k;
	}
}

static void expect_echo(const char *s)
{
	size_t n = strlen(s);

	if (echo_len != n || memcmp(echo, s, n) != 0) {
		char got[256] = "";
		for (size_t i = 0; i < echo_len && i < 80; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%02x ", echo[i]);
		fail_msg("echo %s(%zu bytes), expected \"%s\"", got, echo_len, s);
	}
	echo_len = 0;
}

/* Read n bytes; the result must be exactly `want` (NULL: nothing readable). */
static void expect_read(size_t n, const char *want)
{
	uint8_t buf[LDISC_BUF];
	bool more;

	if (!want) {
		assert_false(ldisc_can_read(&ld, n));
		return;
	}
	assert_true(ldisc_can_read(&ld, n));
	size_t got = ldisc_read(&ld, buf, n, &more);
	assert_int_equal(got, strlen(want));
	assert_memory_equal(buf, want, got);
}

static void defaults_are_linux(void **state)
{
	(void)state;
	assert_int_equal(ld.t.c_iflag, 02400); /* ICRNL | IXON */
	assert_int_equal(ld.t.c_oflag, 05);    /* OPOST | ONLCR */
	assert_int_equal(ld.t.c_cflag, 06275); /* B9600 | CS8 | CREAD | HUPCL | CLOCAL */
	assert_int_equal(ld.t.c_lflag,
			 0105073); /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
	assert_int_equal(ld.t.c_cc[VINTR], 3);
	assert_int_equal(ld.t.c_cc[VQUIT], 034);
	assert_int_equal(ld.t.c_cc[VERASE], 0177);
	assert_int_equal(ld.t.c_cc[VKILL], 025);
	assert_int_equal(ld.t.c_cc[VEOF], 4);
	assert_int_equal(ld.t.c_cc[VMIN], 1);
	assert_int_equal(ld.t.c_cc[VTIME], 0);
	assert_int_equal(ld.t.c_cc[VSUSP], 032);
	assert_int_equal(ld.ws.ws_row, 0);
	assert_int_equal(ld.ws.ws_col, 0);
}

static void canonical_line_with_echo(void **state)
{
	(void)state;
	feed("hello");
	expect_echo("hello");
	expect_read(100, NULL); /* no whole line yet */
	assert_int_equal(ldisc_readable(&ld), 0);
	feed("\r"); /* ICRNL; the echo of '\n' gets ONLCR */
	expect_echo("\r\n");
	assert_int_equal(ldisc_readable(&ld), 6);
	expect_read(100, "hello\n");
	expect_read(100, NULL);
}

static void read_takes_one_line(void **state)
{
	(void)state;
	feed("ab\ncd\n");
	expect_read(100, "ab\n");
	expect_read(2, "cd");
	expect_read(100, "\n");
}

static void erase_and_kill(void **state)
{
	(void)state;
	feed("abc\177");
	expect_echo("abc\b \b");
	feed("\177\177\177"); /* the last two find nothing to erase */
	expect_echo("\b \b\b \b");
	feed("xy\025"); /* ^U with ECHOKE: each byte erased on screen */
	expect_echo("xy\b \b\b \b");
	feed("q\n");
	expect_echo("q\r\n");
	expect_read(100, "q\n");
}

static void erase_of_control_and_tab(void **state)
{
	(void)state;
	feed("a\001"); /* ECHOCTL: ^A takes two columns */
	expect_echo("a^A");
	feed("\177");
	expect_echo("\b \b\b \b");
	feed("\t");
	expect_echo("\t"); /* column 1 -> 8 */
	feed("\177");
	expect_echo("\b\b\b\b\b\b\b"); /* back to column 1 */
	feed("\n");
	expect_read(100, "a\n");
}

static void werase(void **state)
{
	(void)state;
	feed("one two  \027");
	expect_echo("one two  \b \b\b \b\b \b\b \b\b \b");
	feed("\n");
	expect_read(100, "one \n");
}

static void kill_without_echoke(void **state)
{
	(void)state;
	ld.t.c_lflag &= ~(uint32_t)ECHOKE;
	feed("abc\025");
	expect_echo("abc^U\r\n"); /* the kill char, then ECHOK's newline */
	feed("d\n");
	expect_echo("d\r\n");
	expect_read(100, "d\n");
}

static void erase_without_echoe(void **state)
{
	(void)state;
	ld.t.c_lflag &= ~(uint32_t)ECHOE;
	feed("ab\177");
	expect_echo("ab^?");
	feed("\n");
	expect_read(100, "a\n");
}

static void end_of_file(void **state)
{
	(void)state;
	feed("\004"); /* ^D alone: a read of 0 bytes, not echoed */
	expect_echo("");
	assert_true(ldisc_can_read(&ld, 10));
	assert_int_equal(ldisc_readable(&ld), 0);
	expect_read(10, "");
	feed("abc\004"); /* ^D ends the line without a newline */
	expect_echo("abc");
	assert_int_equal(ldisc_readable(&ld), 3);
	expect_read(10, "abc");
	expect_read(10, NULL);
	feed("xyz\004");
	expect_read(3, "xyz"); /* the mark is past the 3 bytes: */
	expect_read(3, "");    /* the next read is end of file (Linux 6) */
}

static void literal_next(void **state)
{
	(void)state;
	feed("\026\003\n"); /* ^V ^C: a literal ^C, no signal */
	expect_echo("^\b^C\r\n");
	assert_int_equal(ld.signals, 0);
	expect_read(10, "\003\n");
}

static void reprint(void **state)
{
	(void)state;
	feed("ab\022");
	expect_echo("ab^R\r\nab");
	feed("\n");
	expect_read(10, "ab\n");
}

static void signals_flush_and_echo(void **state)
{
	(void)state;
	/* A signal ends the receive: the owner acts on it before what
	 * follows. */
	assert_int_equal(ldisc_receive(&ld, (const uint8_t *)"partial\003more", 12), 8);
	expect_echo("partial^C");
	assert_int_equal(ld.signals, 1u << LDISC_SIGINT);
	assert_int_equal(ld.len, 0); /* flushed */
	feed("\034\032");
	expect_echo("^\\^Z");
	assert_int_equal(ld.signals,
			 (1u << LDISC_SIGINT) | (1u << LDISC_SIGQUIT) | (1u << LDISC_SIGTSTP));
	ld.signals = 0;
	ld.t.c_lflag |= NOFLSH;
	feed("kept\003\n");
	expect_read(10, "kept\n");
	ld.t.c_lflag &= ~(uint32_t)ISIG;
	feed("\003\n");
	expect_read(10, "\003\n");
	assert_int_equal(ld.signals, 1u << LDISC_SIGINT);
}

static void raw_mode_vmin(void **state)
{
	(void)state;
	ld.t.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	ld.t.c_cc[VMIN] = 3;
	feed("ab");
	expect_echo("");
	expect_read(10, NULL);
	expect_read(2, "ab"); /* min(VMIN, n) */
	feed("\177\025\004x");
	expect_read(10, "\177\025\004x"); /* no editing in raw mode */
	ld.t.c_cc[VMIN] = 0;
	expect_read(10, ""); /* VMIN 0, VTIME 0: at once, even empty */
	ld.t.c_cc[VTIME] = 1;
	expect_read(10, NULL); /* VMIN 0, VTIME 1: a byte, or the timer */
	feed("v");
	expect_read(10, "v");
	ld.t.c_cc[VTIME] = 0;
	feed("\r");
	expect_read(10, "\n"); /* ICRNL applies in raw mode too */
}

/* poll's POLLIN (n_tty's input_available_p(tty, 1)): a whole line (or an
 * end of file) in canonical mode, VMIN bytes in raw mode when VTIME is 0,
 * else one byte. */
static void poll_in(void **state)
{
	(void)state;
	assert_false(ldisc_poll_in(&ld));
	feed("ab");
	assert_false(ldisc_poll_in(&ld)); /* half a line */
	feed("\r");
	assert_true(ldisc_poll_in(&ld));
	expect_read(10, "ab\n");
	assert_false(ldisc_poll_in(&ld));
	feed("\004");
	assert_true(ldisc_poll_in(&ld)); /* end of file: a read returns 0 at once */
	expect_read(10, "");
	ld.t.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	ld.t.c_cc[VMIN] = 1;
	assert_false(ldisc_poll_in(&ld));
	feed("x");
	assert_true(ldisc_poll_in(&ld)); /* a key in raw mode: what line editing waits for */
	expect_read(10, "x");
	ld.t.c_cc[VMIN] = 3;
	feed("yz");
	assert_false(ldisc_poll_in(&ld));
	ld.t.c_cc[VTIME] = 1;
	assert_true(ldisc_poll_in(&ld)); /* VTIME: one byte is enough */
	ld.t.c_cc[VMIN] = 0;
	ld.t.c_cc[VTIME] = 0;
	expect_read(10, "yz");
	assert_false(ldisc_poll_in(&ld)); /* VMIN 0: a read does not wait, but nothing is there */
}

static void raw_echo_and_more(void **state)
{
	(void)state;
	ld.t.c_lflag &= ~(uint32_t)ICANON;
	feed("a\001\r"); /* '\r' becomes '\n' and echoes as one; a typed ^J
			      * is an ordinary byte here, echoed "^J" as n_tty does */
	expect_echo("a^A\r\n");
	uint8_t buf[4];
	bool more;
	assert_int_equal(ldisc_read(&ld, buf, 2, &more), 2);
	assert_true(more);
	assert_int_equal(ldisc_read(&ld, buf, 2, &more), 1);
	assert_false(more);
}

static void iflag_conversions(void **state)
{
	(void)state;
	ld.t.c_iflag |= IGNCR;
	feed("a\rb\n");
	expect_read(10, "ab\n");
	ld.t.c_iflag &= ~(uint32_t)(IGNCR | ICRNL);
	ld.t.c_iflag |= INLCR;
	ld.t.c_lflag &= ~(uint32_t)ICANON;
	feed("\n");
	expect_read(10, "\r");
	ld.t.c_iflag = ISTRIP | IUCLC;
	feed("\xc1"
	     "B");
	expect_read(10, "ab");
}

static void flow_control(void **state)
{
	(void)state;
	feed("\023");
	assert_false(ldisc_output_ok(&ld));
	expect_echo("");
	feed("x"); /* not IXANY: still stopped */
	assert_false(ldisc_output_ok(&ld));
	feed("\021");
	assert_true(ldisc_output_ok(&ld));
	ld.t.c_iflag |= IXANY;
	feed("\023y");
	assert_true(ldisc_output_ok(&ld));
	feed("\n");
	expect_read(10, "xy\n"); /* ^S and ^Q never reach the reader */
}

static void output_processing(void **state)
{
	(void)state;
	uint8_t out[64];
	size_t n;

	assert_int_equal(ldisc_output(&ld, (const uint8_t *)"a\nb\r\n", 5, out, sizeof(out), &n),
			 5);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "a\r\nb\r\r\n", 7); /* as Linux: "\r\n" becomes "\r\r\n" */
	ld.t.c_oflag = 0;			     /* no OPOST: bytes as they are */
	ldisc_output(&ld, (const uint8_t *)"a\nb", 3, out, sizeof(out), &n);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "a\nb", 3);
	ld.t.c_oflag = OPOST | OCRNL | OLCUC | XTABS;
	ld.column = 0;
	ldisc_output(&ld, (const uint8_t *)"ab\t\r", 4, out, sizeof(out), &n);
	assert_int_equal(n, 9);
	assert_memory_equal(out, "AB      \n", 9);
	ld.t.c_oflag = OPOST | ONOCR;
	ld.column = 0;
	ldisc_output(&ld, (const uint8_t *)"\rx\r", 3, out, sizeof(out), &n);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "x\r", 2);
	/* A full destination stops before a byte whose output might not fit. */
	ld.t.c_oflag = OPOST | ONLCR;
	assert_int_equal(ldisc_output(&ld, (const uint8_t *)"abc\td", 5, out, 9, &n), 3);
	assert_int_equal(n, 3);
}

/* The word-at-a-time scan agrees with a byte-by-byte one on every byte
 * value in every position of a word. */
static void plain_runs(void **state)
{
	(void)state;
	uint8_t s[24];

	for (unsigned v = 0; v < 256; v++) {
		for (unsigned pos = 0; pos < sizeof(s); pos++) {
			memset(s, 'a', sizeof(s));
			s[pos] = (uint8_t)v;
			size_t want = v >= 32 && v < 127 ? sizeof(s) : pos;
			assert_int_equal(ldisc_plain_run(s, sizeof(s)), want);
		}
	}
	assert_int_equal(ldisc_plain_run(s, 0), 0);
	ld.column = 0;
	assert_false(ldisc_unchanged(&ld, (const uint8_t *)"abc\n", 4));
	assert_int_equal(ld.column, 0);
	assert_true(ldisc_unchanged(&ld, (const uint8_t *)"abc", 3));
	assert_int_equal(ld.column, 3);
	ld.t.c_oflag |= OLCUC;
	assert_false(ldisc_unchanged(&ld, (const uint8_t *)"abc", 3));
	ld.t.c_oflag = 0;
	assert_true(ldisc_unchanged(&ld, (const uint8_t *)"a\nc", 3));
}

static void mode_switches(void **state)
{
	(void)state;
	struct posix_termios t = ld.t;

	feed("ab\ncd");
	t.c_lflag &= ~(uint32_t)ICANON;
	ldisc_set_termios(&ld, &t);
	expect_read(100, "ab\ncd"); /* to raw: every byte readable */
	t.c_lflag &= ~(uint32_t)ECHO;
	ldisc_set_termios(&ld, &t);
	feed("xy\nz");
	t.c_lflag |= ICANON;
	ldisc_set_termios(&ld, &t);
	expect_read(100, "xy\nz"); /* to canonical: what is held is one line */
	expect_read(100, NULL);
}

static void line_limit(void **state)
{
	(void)state;
	ld.t.c_lflag &= ~(uint32_t)ECHO;
	for (int i = 0; i < 5000; i++)
		feed("x");
	assert_int_equal(ld.len, LDISC_BUF - 1);
	feed("\n"); /* the line's end always gets in */
	assert_int_equal(ldisc_readable(&ld), LDISC_BUF - 1);
	uint8_t buf[LDISC_BUF];
	bool more;
	assert_int_equal(ldisc_read(&ld, buf, sizeof(buf), &more), LDISC_BUF - 1);
	assert_int_equal(buf[LDISC_BUF - 2], '\n');
	assert_false(more);
}

/*
 * What Debian's Linux 6.1 echoes and reads on ttyS0 for the same keys
 * (a static program reading fd 0 as /init, keys typed by qemu_run.py
 * --input; "\r" of ONLCR as the harness logged it restored).
 */
/* The program's "PROBE ready N\n" between two reads: the column is 0. */
static void prints_line(void)
{
	uint8_t out[32];
	size_t n;

	ldisc_output(&ld, (const uint8_t *)"ready\n", 6, out, sizeof(out), &n);
}

static void linux_transcripts(void **state)
{
	(void)state;
	prints_line();
	feed("abc\177d\r");
	expect_echo("abc\b \bd\r\n");
	expect_read(64, "abd\n");
	prints_line();
	feed("\004xy\004");
	expect_echo("xy");
	expect_read(64, "");
	expect_read(64, "xy");
	prints_line();
	feed("a\t\177\001\177b\025c \027q\r");
	expect_echo("a\t\b\b\b\b\b\b\b^A\b \b\b \bb\b \b\b \bc \b \b\b \bq\r\n");
	expect_read(64, "q\n");
	prints_line();
	ld.t.c_lflag &= ~(uint32_t)ICANON;
	feed("k\n");
	expect_echo("k^J");
	expect_read(64, "k\n");
	ld.t.c_lflag |= ICANON;
	prints_line();
	feed("\026\003\r");
	expect_echo("^\b^C\r\n");
	expect_read(64, "\003\n");
	prints_line();
	feed("ab\022\r");
	expect_echo("ab^R\r\nab\r\n");
	expect_read(64, "ab\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(defaults_are_linux, setup),
		cmocka_unit_test_setup(canonical_line_with_echo, setup),
		cmocka_unit_test_setup(read_takes_one_line, setup),
		cmocka_unit_test_setup(erase_and_kill, setup),
		cmocka_unit_test_setup(erase_of_control_and_tab, setup),
		cmocka_unit_test_setup(werase, setup),
		cmocka_unit_test_setup(kill_without_echoke, setup),
		cmocka_unit_test_setup(erase_without_echoe, setup),
		cmocka_unit_test_setup(end_of_file, setup),
		cmocka_unit_test_setup(literal_next, setup),
		cmocka_unit_test_setup(reprint, setup),
		cmocka_unit_test_setup(signals_flush_and_echo, setup),
		cmocka_unit_test_setup(raw_mode_vmin, setup),
		cmocka_unit_test_setup(poll_in, setup),
		cmocka_unit_test_setup(raw_echo_and_more, setup),
		cmocka_unit_test_setup(iflag_conversions, setup),
		cmocka_unit_test_setup(flow_control, setup),
		cmocka_unit_test_setup(output_processing, setup),
		cmocka_unit_test_setup(plain_runs, setup),
		cmocka_unit_test_setup(mode_switches, setup),
		cmocka_unit_test_setup(line_limit, setup),
		cmocka_unit_test_setup(linux_transcripts, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
