/*
 * The console driver (bin/console, drivers/serial/console/) started as
 * the root task starts it: the UART's 8 ports, an IRQ handler of line 4,
 * its endpoint and a quota. Through its protocol, as libposix's tty.c
 * speaks it:
 *   write               program text reaches the console unchanged
 *                       (ctest matches the lines), ONLCR's "\r\n" made once
 *   write_limits        a write longer than its message is refused, the
 *                       largest one goes out whole
 *   termios_defaults    TCGETS gives Linux's ttyS0 defaults; TCSETS with
 *                       OCRNL turns '\r' into a new line
 *   ioctls              TIOCGWINSZ 0x0 and TIOCSWINSZ, FIONREAD, ENOTTY
 *                       for an unknown request, the controlling-tty rules
 *                       (TIOCSCTTY by a session leader only, TIOCGPGRP
 *                       ENOTTY without it, TIOCSPGRP -1 EINVAL)
 *   input_only_from_irq CONSOLE_INPUT from a client is refused
 *   nonblock_empty      a read with nothing typed is EAGAIN with O_NONBLOCK
 *   typed_line          (keyboard through the harness: qemu_run.py --input
 *                       after "CONSOLE-DRV ready N") "abc DEL d CR" reads
 *                       as "abd\n", echoed with the erase
 *   typed_eof           ^D alone reads 0 bytes; "xy^D" reads "xy"
 *   typed_interrupt     ^C flushes the line and is logged as SIGINT for
 *                       the foreground group; the next line reads
 *   typed_raw           ICANON off, VMIN 2: a read waits for two bytes
 *   typed_vtime         VMIN 0 VTIME 2: an empty read after 200 ms; VMIN 3
 *                       VTIME 2: one typed byte read 200 ms after it came
 *   stopped_output      ^S (TIOCSTI) holds a write back until ^Q
 *   interrupted_read    CONSOLE_INTR's cap, signalled as the kernel does
 *                       for a signal, ends the waiting read with
 *                       TERN_EINTERRUPTED; another process's leaves it;
 *                       one that came with no read waiting ends the next
 *                       read at once (the signal came just before it)
 *   bench               icount figures of a 1-byte and a 64-byte write
 */
#include <string.h>

#include "guest.h"
#include "posix/boot.h"
#include "posix/ioctl.h"
#include "posix/proto_console.h"
#include "posix/status.h"
#include "posix/termios.h"
#include "tern/errors.h"

#define UART 0x3f8
#define UART_IRQ 4
#define CLIENT_PID 7
#define CONSOLE_PRIORITY (TERN_ROOT_PRIORITY - 1) /* runs when we wait */

static tern_cptr_t con;	   /* the console's endpoint, badged as pid CLIENT_PID */
static tern_cptr_t con_ep; /* the endpoint itself */
static uint64_t words[TERN_MSG_MAX_WORDS];

static int start(void)
{
	static struct tern_task task;
	uint64_t ioport = guest_slot(), irq = guest_slot(), quota = guest_slot();
	uint64_t ep = guest_create(TERN_CAP_ENDPOINT, 0);

	con = guest_slot();
	con_ep = ep;
	CHECK(ioport && irq && quota && ep && con);
	CHECK_EQ(tern_ioport_mint_range(TERN_SLOT_IOPORT, UART, UART + 7, TERN_SLOT_CNODE, ioport,
					64),
		 TERN_EOK);
	CHECK_EQ(tern_irq_control_get(TERN_SLOT_IRQ_CONTROL, UART_IRQ, TERN_SLOT_CNODE, irq, 64),
		 TERN_EOK);
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, 2ul << 20, TERN_SLOT_CNODE, quota, 64),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, con, 64, ep, 64, TERN_RIGHT_WRITE, CLIENT_PID),
		 TERN_EOK);
	struct tern_spawn_args a = {
		.priority = CONSOLE_PRIORITY, .arg = UART, .arg_cap = ep, .child_quota = quota
	};
	CHECK_EQ(guest_spawn_args("bin/console", &a, &task), 0);
	/* It runs only once we wait, with these in place. */
	CHECK_EQ(guest_give(&task, CONSOLE_SLOT_IOPORT, ioport), TERN_EOK);
	CHECK_EQ(guest_give(&task, CONSOLE_SLOT_IRQ, irq), TERN_EOK);
	return 0;
}

static int con_write(const char *s, size_t n, uint64_t *written)
{
	struct console_write_resp r = { 0 };

	words[0] = 0;
	words[1] = n;
	memcpy(words + CONSOLE_HDR_WORDS, s, n);
	int st = tern_client_call(con, CONSOLE_WRITE, words,
				  CONSOLE_HDR_WORDS + (unsigned)(n + 7) / 8, &r, 1);
	*written = r.written;
	return st;
}

static int puts_con(const char *s)
{
	uint64_t w;

	CHECK_EQ(con_write(s, strlen(s), &w), 0);
	CHECK_EQ(w, strlen(s));
	return 0;
}

/* A READ; the status, the bytes in buf and their count in *got. */
static int con_read(char *buf, size_t n, uint64_t flags, size_t *got)
{
	struct tern_msg m = { .info = tern_msginfo(CONSOLE_READ, 0, 3), .mr = { 0, n, flags } };
	enum tern_error err = tern_call(con, &m);

	if (err)
		return -(int)err;
	int st = (int)tern_msginfo_label(m.info);
	if (st)
		return st;
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	ipc->msg[2] = m.mr[2];
	ipc->msg[3] = m.mr[3];
	*got = m.mr[0];
	if (*got > n || tern_msginfo_length(m.info) < CONSOLE_HDR_WORDS + (*got + 7) / 8)
		return -1000;
	memcpy(buf, &ipc->msg[2], *got);
	return 0;
}

static int con_ioctl(uint64_t cmd, uint64_t arg, int64_t sid, const void *in, size_t in_len,
		     struct console_ioctl_resp *r)
{
	struct console_ioctl_req q = { .cmd = cmd, .arg = arg, .sid = sid, .pgid = sid };

	if (in)
		memcpy(q.data, in, in_len);
	return tern_client_call(con, CONSOLE_IOCTL, &q, sizeof(q) / 8, r, sizeof(*r) / 8);
}

static int test_write(void)
{
	CHECK_EQ(puts_con("CONSOLE-DRV hello, world\n"), 0);
	CHECK_EQ(puts_con("CONSOLE-DRV two\nCONSOLE-DRV lines\n"), 0);
	CHECK_EQ(puts_con("CONSOLE-DRV A\rB\n"), 0); /* a bare '\r' stays one */
	return 0;
}

static int test_write_limits(void)
{
	static char big[CONSOLE_DATA_MAX];
	uint64_t w;

	memset(big, 'x', sizeof(big));
	memcpy(big, "CONSOLE-DRV big ", 16);
	big[sizeof(big) - 1] = '\n';
	CHECK_EQ(con_write(big, sizeof(big), &w), 0);
	CHECK_EQ(w, sizeof(big));
	/* n beyond the words sent, and beyond any message. */
	words[0] = 0;
	words[1] = 17;
	struct console_write_resp r;
	CHECK_EQ(tern_client_call(con, CONSOLE_WRITE, words, 4, &r, 1), TERN_SERVER_EMSGSIZE);
	words[1] = CONSOLE_DATA_MAX + 1;
	CHECK_EQ(tern_client_call(con, CONSOLE_WRITE, words, TERN_MSG_MAX_WORDS, &r, 1),
		 TERN_SERVER_EMSGSIZE);
	return 0;
}

static int test_termios_defaults(void)
{
	struct console_ioctl_resp r;
	struct posix_termios t;

	CHECK_EQ(con_ioctl(TCGETS, 0, 0, NULL, 0, &r), 0);
	memcpy(&t, r.data, sizeof(t));
	CHECK_EQ(t.c_iflag, ICRNL | IXON);
	CHECK_EQ(t.c_oflag, OPOST | ONLCR);
	CHECK_EQ(t.c_cflag, B9600 | CS8 | CREAD | HUPCL | CLOCAL);
	CHECK_EQ(t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VERASE], 0177);
	CHECK_EQ(t.c_cc[VMIN], 1);
	struct posix_termios o = t;
	o.c_oflag |= OCRNL;
	CHECK_EQ(con_ioctl(TCSETS, 0, 0, &o, sizeof(o), &r), 0);
	CHECK_EQ(puts_con("CONSOLE-DRV ocrnl one\rCONSOLE-DRV ocrnl two\n"), 0);
	CHECK_EQ(con_ioctl(TCSETSW, 0, 0, &t, sizeof(t), &r), 0);
	CHECK_EQ(con_ioctl(TCGETS, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(memcmp(r.data, &t, sizeof(t)), 0);
	return 0;
}

static int test_ioctls(void)
{
	struct console_ioctl_resp r;
	struct posix_winsize ws = { 24, 80, 0, 0 };
	int32_t pgrp = -1;

	CHECK_EQ(con_ioctl(TIOCGWINSZ, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(r.data[0], 0); /* 0x0, as Linux's ttyS0 */
	CHECK_EQ(con_ioctl(TIOCSWINSZ, 0, 0, &ws, sizeof(ws), &r), 0);
	CHECK_EQ(con_ioctl(TIOCGWINSZ, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(memcmp(r.data, &ws, sizeof(ws)), 0);
	CHECK_EQ(con_ioctl(FIONREAD, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(r.value, 0);
	CHECK_EQ(con_ioctl(0x5499, 0, 0, NULL, 0, &r), POSIX_STATUS(ENOTTY));
	CHECK_EQ(con_ioctl(TIOCGPGRP, 0, CLIENT_PID, NULL, 0, &r), POSIX_STATUS(ENOTTY));
	CHECK_EQ(con_ioctl(TIOCSCTTY, 0, 3, NULL, 0, &r), POSIX_STATUS(EPERM)); /* not a leader */
	CHECK_EQ(con_ioctl(TIOCSCTTY, 0, CLIENT_PID, NULL, 0, &r), 0);
	CHECK_EQ(con_ioctl(TIOCGPGRP, 0, CLIENT_PID, NULL, 0, &r), 0);
	CHECK_EQ(r.value, CLIENT_PID);
	CHECK_EQ(con_ioctl(TIOCGSID, 0, CLIENT_PID, NULL, 0, &r), 0);
	CHECK_EQ(r.value, CLIENT_PID);
	CHECK_EQ(con_ioctl(TIOCSPGRP, 0, CLIENT_PID, &pgrp, sizeof(pgrp), &r),
		 POSIX_STATUS(EINVAL));
	CHECK_EQ(con_ioctl(TCFLSH, 3, 0, NULL, 0, &r), POSIX_STATUS(EINVAL));
	CHECK_EQ(con_ioctl(TCXONC, 9, 0, NULL, 0, &r), POSIX_STATUS(EINVAL));
	return 0;
}

static int test_input_only_from_irq(void)
{
	struct console_input_resp r;

	words[0] = 1;
	words[1] = 0;
	words[2] = 'x';
	CHECK_EQ(tern_client_call(con, CONSOLE_INPUT, words, 3, &r, 1), POSIX_STATUS(EPERM));
	return 0;
}

static int test_nonblock_empty(void)
{
	char buf[8];
	size_t got;

	CHECK_EQ(con_read(buf, sizeof(buf), CONSOLE_NONBLOCK, &got), POSIX_STATUS(EAGAIN));
	CHECK_EQ(con_read(buf, 0, 0, &got), POSIX_STATUS(EINVAL));
	return 0;
}

/* Say we are ready for the harness's next input, then read. */
static int typed(int step, char *buf, size_t n, size_t *got)
{
	tern_printf("CONSOLE-DRV ready %d\n", step);
	return con_read(buf, n, 0, got);
}

static int test_typed_line(void)
{
	char buf[64];
	size_t got;

	CHECK_EQ(typed(1, buf, sizeof(buf), &got), 0);
	CHECK_EQ(got, 4);
	CHECK_EQ(memcmp(buf, "abd\n", 4), 0);
	return 0;
}

static int test_typed_eof(void)
{
	char buf[64];
	size_t got;

	CHECK_EQ(typed(2, buf, sizeof(buf), &got), 0);
	CHECK_EQ(got, 0);
	CHECK_EQ(con_read(buf, sizeof(buf), 0, &got), 0);
	CHECK_EQ(got, 2);
	CHECK_EQ(memcmp(buf, "xy", 2), 0);
	CHECK_EQ(puts_con("\n"), 0); /* end the echoed "xy" line */
	return 0;
}

static int test_typed_interrupt(void)
{
	char buf[64];
	size_t got;

	CHECK_EQ(typed(3, buf, sizeof(buf), &got), 0);
	CHECK_EQ(got, 2);
	CHECK_EQ(memcmp(buf, "q\n", 2), 0);
	return 0;
}

static int test_typed_raw(void)
{
	struct console_ioctl_resp r;
	struct posix_termios t, raw;
	char buf[64];
	size_t got;

	CHECK_EQ(con_ioctl(TCGETS, 0, 0, NULL, 0, &r), 0);
	memcpy(&t, r.data, sizeof(t));
	raw = t;
	raw.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 2;
	CHECK_EQ(con_ioctl(TCSETSF, 0, 0, &raw, sizeof(raw), &r), 0);
	CHECK_EQ(typed(4, buf, sizeof(buf), &got), 0); /* "k", then "l" */
	CHECK_EQ(got, 2);
	CHECK_EQ(memcmp(buf, "kl", 2), 0);
	CHECK_EQ(con_ioctl(TCSETS, 0, 0, &t, sizeof(t), &r), 0);
	return 0;
}

static uint64_t ms_since(uint64_t t0)
{
	return (guest_rdtsc() - t0) / (guest_bootinfo->tsc_hz / 1000);
}

static int test_typed_vtime(void)
{
	struct console_ioctl_resp r;
	struct posix_termios t, raw;
	char buf[64];
	size_t got;

	CHECK_EQ(con_ioctl(TCGETS, 0, 0, NULL, 0, &r), 0);
	memcpy(&t, r.data, sizeof(t));
	raw = t;
	raw.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 2; /* a read waits 200 ms at most */
	CHECK_EQ(con_ioctl(TCSETSF, 0, 0, &raw, sizeof(raw), &r), 0);
	uint64_t t0 = guest_rdtsc();
	CHECK_EQ(con_read(buf, sizeof(buf), 0, &got), 0);
	CHECK_EQ(got, 0);
	uint64_t ms = ms_since(t0);
	CHECK(ms >= 200 && ms < 1000);
	/* VMIN 3, VTIME 2: after a byte, 200 ms for the next one. */
	raw.c_cc[VMIN] = 3;
	CHECK_EQ(con_ioctl(TCSETS, 0, 0, &raw, sizeof(raw), &r), 0);
	t0 = guest_rdtsc();
	CHECK_EQ(typed(5, buf, sizeof(buf), &got), 0); /* "z" only */
	CHECK_EQ(got, 1);
	CHECK_EQ(buf[0], 'z');
	CHECK(ms_since(t0) >= 200);
	CHECK_EQ(con_ioctl(TCSETS, 0, 0, &t, sizeof(t), &r), 0);
	return 0;
}

static tern_cptr_t writer_done;
static volatile int writer_status = -1;

static void writer(uint64_t arg)
{
	(void)arg;
	writer_status = puts_con("CONSOLE-DRV after ^Q\n");
	tern_signal(writer_done);
}

static int sti(uint8_t ch)
{
	struct console_ioctl_resp r;

	return con_ioctl(TIOCSTI, 0, 0, &ch, 1, &r);
}

static int test_stopped_output(void)
{
	uint64_t bits;

	writer_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(writer_done);
	CHECK_EQ(sti(023), 0); /* ^S */
	/* Above the console: it runs at once, and its write waits. */
	CHECK(guest_thread(writer, 0, TERN_ROOT_PRIORITY));
	/* Two round trips: the console has taken the writer's call (queued
	 * before our second) and left it waiting. */
	struct console_ioctl_resp r;
	CHECK_EQ(con_ioctl(FIONREAD, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(con_ioctl(FIONREAD, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(tern_poll(writer_done, &bits), TERN_EOK);
	CHECK_EQ(bits, 0);
	CHECK_EQ(sti(021), 0); /* ^Q */
	CHECK_EQ(tern_wait(writer_done, &bits), TERN_EOK);
	CHECK_EQ(writer_status, 0);
	return 0;
}

static tern_cptr_t reader_done;
static volatile int reader_status = -1;
static char reader_buf[8];
static size_t reader_got;

static void reader(uint64_t arg)
{
	(void)arg;
	reader_status = con_read(reader_buf, sizeof(reader_buf), 0, &reader_got);
	tern_signal(reader_done);
}

/* Our interrupt cap for a client badged `pid` (in a fresh slot). */
static int intr_cap(tern_cptr_t ep, uint64_t pid, tern_cptr_t *cap)
{
	struct console_intr_req q = { 0 };
	struct console_intr_resp r;

	*cap = guest_slot();
	CHECK(*cap);
	CHECK_EQ(tern_client_call_recv_cap(ep, CONSOLE_INTR, &q, 1, &r, 1, *cap), 0);
	CHECK_EQ(r.bit, 1ul << (2 + pid % 62));
	return 0;
}

/* Start the reader and let the console take its READ (two round trips
 * after it: it is queued before the second). */
static int start_reader(void)
{
	struct console_ioctl_resp r;
	uint64_t bits;

	reader_status = -1;
	CHECK(guest_thread(reader, 0, TERN_ROOT_PRIORITY));
	CHECK_EQ(con_ioctl(FIONREAD, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(con_ioctl(FIONREAD, 0, 0, NULL, 0, &r), 0);
	CHECK_EQ(tern_poll(reader_done, &bits), TERN_EOK);
	CHECK_EQ(bits, 0); /* waiting */
	return 0;
}

/* Whether the reader has finished, once the console's threads (below us)
 * have had their turn: round trips run the loop, the yield the reader. */
static int reader_finished(void)
{
	struct console_ioctl_resp r;
	uint64_t bits = 0;

	for (int i = 0; i < 3; i++)
		if (con_ioctl(FIONREAD, 0, 0, NULL, 0, &r) != 0)
			return -1;
	tern_yield();
	tern_poll(reader_done, &bits);
	return bits != 0;
}

static int test_interrupted_read(void)
{
	tern_cptr_t mine, other, other_ep = guest_slot();

	reader_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(reader_done && other_ep);
	/* Another process's endpoint cap (pid 8), and each one's cap. */
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, other_ep, 64, con_ep, 64, TERN_RIGHT_WRITE, 8),
		 TERN_EOK);
	CHECK_EQ(intr_cap(con, CLIENT_PID, &mine), 0);
	CHECK_EQ(intr_cap(other_ep, 8, &other), 0);
	/* What the kernel does when a signal comes while the read waits. */
	CHECK_EQ(start_reader(), 0);
	CHECK_EQ(tern_signal(mine), TERN_EOK);
	CHECK_EQ(reader_finished(), 1);
	CHECK_EQ(reader_status, TERN_SERVER_EINTERRUPTED);
	/* Another's signal leaves our read waiting; input answers it. */
	CHECK_EQ(start_reader(), 0);
	CHECK_EQ(tern_signal(other), TERN_EOK);
	CHECK_EQ(reader_finished(), 0);
	CHECK_EQ(sti('i'), 0);
	CHECK_EQ(sti('\n'), 0);
	CHECK_EQ(reader_finished(), 1);
	CHECK_EQ(reader_status, 0);
	CHECK_EQ(reader_got, 2);
	CHECK_EQ(memcmp(reader_buf, "i\n", 2), 0);
	/* Signalled while no read of ours waits (just before the call): the
	 * bit is kept and the next read ends at once instead of waiting. */
	CHECK_EQ(tern_signal(mine), TERN_EOK);
	CHECK_EQ(reader_finished(), 0); /* round trips: the console takes the bit */
	reader_status = -1;
	CHECK(guest_thread(reader, 0, TERN_ROOT_PRIORITY));
	CHECK_EQ(reader_finished(), 1);
	CHECK_EQ(reader_status, TERN_SERVER_EINTERRUPTED);
	return 0;
}

static int bench_write(const char *name, const char *s, size_t n, unsigned iters)
{
	uint64_t w, t0 = guest_rdtsc();

	for (unsigned i = 0; i < iters; i++)
		CHECK_EQ(con_write(s, n, &w), 0);
	uint64_t t = guest_rdtsc() - t0;
	CHECK_EQ(puts_con("\n"), 0);
	guest_bench_report(name, t, iters);
	return 0;
}

static int test_bench(void)
{
	static const char line[] = "0123456789abcdef0123456789abcdef0123456789abcdef012345678.\n";
	char s64[64];

	memcpy(s64, "CONSOLE-DRV ", 12);
	memcpy(s64 + 12, line, 52);
	_Static_assert(sizeof(line) > 52, "");
	s64[63] = '\n';
	CHECK_EQ(bench_write("console_write_1", ".", 1, 200), 0);
	CHECK_EQ(bench_write("console_write_64", s64, 64, 100), 0);
	/* Where it goes: the kernel's part (DEBUG_PUTS of the same bytes)
	 * and a round trip to the console that does nothing (a read that
	 * finds nothing, O_NONBLOCK). */
	uint64_t t0 = guest_rdtsc();
	for (unsigned i = 0; i < 200; i++)
		CHECK_EQ(tern_debug_puts_raw(".", 1), TERN_EOK);
	uint64_t t = guest_rdtsc() - t0;
	CHECK_EQ(puts_con("\n"), 0);
	guest_bench_report("debug_puts_raw_1", t, 200);
	t0 = guest_rdtsc();
	for (unsigned i = 0; i < 100; i++)
		CHECK_EQ(tern_debug_puts_raw(s64, 64), TERN_EOK);
	guest_bench_report("debug_puts_raw_64", guest_rdtsc() - t0, 100);
	char buf[8];
	size_t got;
	t0 = guest_rdtsc();
	for (unsigned i = 0; i < 200; i++)
		CHECK_EQ(con_read(buf, sizeof(buf), CONSOLE_NONBLOCK, &got), POSIX_STATUS(EAGAIN));
	guest_bench_report("console_read_eagain", guest_rdtsc() - t0, 200);
	struct console_ioctl_resp r;
	t0 = guest_rdtsc();
	for (unsigned i = 0; i < 200; i++)
		CHECK_EQ(con_ioctl(FIONREAD, 0, 0, NULL, 0, &r), 0);
	guest_bench_report("console_ioctl_fionread", guest_rdtsc() - t0, 200);
	return 0;
}

static const struct guest_case cases[] = {
	{ "start", start },
	{ "write", test_write },
	{ "write_limits", test_write_limits },
	{ "termios_defaults", test_termios_defaults },
	{ "ioctls", test_ioctls },
	{ "input_only_from_irq", test_input_only_from_irq },
	{ "nonblock_empty", test_nonblock_empty },
	{ "typed_line", test_typed_line },
	{ "typed_eof", test_typed_eof },
	{ "typed_interrupt", test_typed_interrupt },
	{ "typed_raw", test_typed_raw },
	{ "typed_vtime", test_typed_vtime },
	{ "stopped_output", test_stopped_output },
	{ "interrupted_read", test_interrupted_read },
	{ "bench", test_bench },
};

int main(void)
{
	guest_run("console_driver", cases, sizeof(cases) / sizeof(cases[0]));
}
