/*
 * libposix's console path (libposix/tty.c) against a fake console driver
 * and fake user copies: Linux's chunking (2,048-byte writes, a read's
 * short copy counted) and the partial results and EFAULTs that follow, a read
 * continued across messages, and ioctls copying exactly the Linux struct
 * in or out (before the call for what they set, after it for what they
 * return), with the cmd's upper 32 bits ignored; a read or write the
 * driver ends as interrupted: -ERESTARTSYS with a signal pending, the
 * bytes so far after a part, made again without one (intr.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "call.h"
#include "intr.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/ioctl.h"
#include "posix/proto_console.h"
#include "posix/status.h"
#include "posix/termios.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "tty.h"
#include "uaccess.h"

static struct tern_ipc_buffer ipc;
struct tern_ipc_buffer *tern_ipc_buffer_current = &ipc;

/* User memory: anything, except the bytes of [bad, bad + bad_len). */
static uintptr_t bad;
static size_t bad_len;

static size_t good_prefix(uint64_t u, size_t n)
{
	if (!bad_len || u + n <= bad || u >= bad + bad_len)
		return n;
	return u < bad ? bad - u : 0;
}

long copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	size_t k = good_prefix(usrc, n);
	memcpy(dst, (const void *)(uintptr_t)usrc, k);
	return k == n ? 0 : -EFAULT;
}

size_t copy_to_user_upto(uint64_t udst, const void *src, size_t n)
{
	size_t k = good_prefix(udst, n);
	memcpy((void *)(uintptr_t)udst, src, k);
	return k;
}

long copy_to_user(uint64_t udst, const void *src, size_t n)
{
	size_t k = good_prefix(udst, n);
	memcpy((void *)(uintptr_t)udst, src, k);
	return k == n ? 0 : -EFAULT;
}

/* The fake driver. */
static uint8_t written[16384];
static size_t nwritten, write_calls, read_calls, ioctl_calls;
static size_t write_short; /* accept at most this many per WRITE (0: all) */
static uint64_t write_status;
static uint8_t input[16384];
static size_t input_len, input_pos;
static uint64_t read_status;
static int more_pending;
static struct console_ioctl_req last_ioctl;
static uint64_t ioctl_status;
static int64_t ioctl_value;
static unsigned read_intr_left, write_intr_left; /* calls to end as interrupted */
static unsigned write_intr_after;		 /* ... once this many went through */

/* intr.c's side, faked: `work` says whether a signal is pending. */
static int work;
static unsigned intr_begun;
void posix_intr_begin(enum posix_intr_server srv)
{
	assert_int_equal(srv, POSIX_INTR_CONSOLE);
	ipc.interrupt_ntfn = 99;
	intr_begun++;
}
void posix_intr_end(void)
{
	ipc.interrupt_ntfn = 0;
}
bool posix_intr_retry(long r)
{
	return posix_is_restart(r) && !work;
}

static uint64_t msg_word(const struct tern_sysregs *r, unsigned i)
{
	return i < TERN_MSG_REG_WORDS ? r->mr[i] : ipc.msg[i];
}

static void reply(struct tern_sysregs *r, uint64_t status, const uint64_t *w, unsigned n)
{
	r->rsi = tern_msginfo(status, 0, status ? 0 : n);
	for (unsigned i = 0; i < n; i++) {
		if (i < TERN_MSG_REG_WORDS)
			r->mr[i] = w[i];
		else
			ipc.msg[i] = w[i];
	}
}

uint64_t tern_host_syscall(uint64_t num, struct tern_sysregs *r)
{
	static uint64_t w[TERN_MSG_MAX_WORDS];
	unsigned len = tern_msginfo_length(r->rsi);

	assert_int_equal(num, TERN_SYS_CALL);
	assert_int_equal(r->rdi, POSIX_SLOT_CONSOLE_EP);
	for (unsigned i = 0; i < len; i++)
		w[i] = msg_word(r, i);
	switch (tern_msginfo_label(r->rsi)) {
	case CONSOLE_WRITE: {
		write_calls++;
		assert_int_equal(ipc.interrupt_ntfn, 99);
		uint64_t n = w[1];
		if (write_intr_left && write_calls > write_intr_after) {
			write_intr_left--;
			reply(r, TERN_SERVER_EINTERRUPTED, NULL, 0);
			break;
		}
		assert_true(len >= CONSOLE_HDR_WORDS + (n + 7) / 8);
		if (write_status) {
			reply(r, write_status, NULL, 0);
			break;
		}
		if (write_short && n > write_short)
			n = write_short;
		memcpy(written + nwritten, w + CONSOLE_HDR_WORDS, n);
		nwritten += n;
		uint64_t out[1] = { n };
		reply(r, 0, out, 1);
		break;
	}
	case CONSOLE_READ: {
		read_calls++;
		assert_int_equal(ipc.interrupt_ntfn, 99);
		if (read_intr_left) {
			read_intr_left--;
			reply(r, TERN_SERVER_EINTERRUPTED, NULL, 0);
			break;
		}
		if (read_status) {
			reply(r, read_status, NULL, 0);
			break;
		}
		uint64_t n = w[1], left = input_len - input_pos;
		assert_true(n >= 1 && n <= CONSOLE_DATA_MAX);
		/* A continuation exactly when the last answer said more. */
		assert_int_equal((w[2] & CONSOLE_READ_MORE) != 0, more_pending);
		uint64_t k = n < left ? n : left;
		static uint64_t out[TERN_MSG_MAX_WORDS];
		out[0] = k;
		out[1] = left > k;
		memcpy(out + CONSOLE_HDR_WORDS, input + input_pos, k);
		input_pos += k;
		more_pending = left > k;
		reply(r, 0, out, CONSOLE_HDR_WORDS + (unsigned)(k + 7) / 8);
		break;
	}
	case CONSOLE_IOCTL: {
		ioctl_calls++;
		assert_int_equal(len, sizeof(last_ioctl) / 8);
		memcpy(&last_ioctl, w, sizeof(last_ioctl));
		struct console_ioctl_resp out = { .value = ioctl_value };
		for (unsigned i = 0; i < CONSOLE_IOCTL_DATA_WORDS; i++)
			out.data[i] = 0x1111111111111111ull * (i + 1);
		reply(r, ioctl_status, (const uint64_t *)&out, sizeof(out) / 8);
		break;
	}
	default:
		fail();
	}
	return TERN_EOK;
}

/* tern_client_call, as libsys's (server.c), over the fake. */
int tern_client_call(tern_cptr_t ep, uint64_t label, const void *req, unsigned req_words,
		     void *resp, unsigned resp_words)
{
	struct tern_sysregs r = { .rdi = ep, .rsi = tern_msginfo(label, 0, req_words) };
	const uint64_t *q = req;

	for (unsigned i = 0; i < req_words; i++) {
		if (i < TERN_MSG_REG_WORDS)
			r.mr[i] = q[i];
		else
			ipc.msg[i] = q[i];
	}
	tern_host_syscall(TERN_SYS_CALL, &r);
	uint64_t status = tern_msginfo_label(r.rsi);
	if (status)
		return (int)status;
	for (unsigned i = 0; i < resp_words; i++)
		((uint64_t *)resp)[i] = msg_word(&r, i);
	return 0;
}

long posix_sys_getsid(struct posix_call *c)
{
	(void)c;
	return 42;
}

long posix_sys_getpgid(struct posix_call *c)
{
	(void)c;
	return 43;
}

static int setup(void **state)
{
	(void)state;
	bad = 0;
	bad_len = 0;
	nwritten = write_calls = read_calls = ioctl_calls = 0;
	write_short = 0;
	write_status = read_status = ioctl_status = 0;
	input_len = input_pos = 0;
	more_pending = 0;
	ioctl_value = 0;
	work = 0;
	read_intr_left = write_intr_left = write_intr_after = 0;
	memset(&last_ioctl, 0, sizeof(last_ioctl));
	return 0;
}

static uint8_t src[10000];

static void fill(void)
{
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 1);
}

static void write_in_linux_chunks(void **state)
{
	(void)state;
	fill();
	assert_int_equal(posix_tty_write(0, (uintptr_t)src, 5000), 5000);
	assert_int_equal(write_calls, 3); /* 2048 + 2048 + 904 */
	assert_int_equal(nwritten, 5000);
	assert_memory_equal(written, src, 5000);
	assert_int_equal(posix_tty_write(0, (uintptr_t)src, 0), 0);
	assert_int_equal(write_calls, 3);
}

static void write_faults(void **state)
{
	(void)state;
	fill();
	bad = (uintptr_t)src + 3000; /* inside the second chunk */
	bad_len = 1;
	assert_int_equal(posix_tty_write(0, (uintptr_t)src, 5000), 2048);
	assert_int_equal(write_calls, 1);
	bad = (uintptr_t)src;
	assert_int_equal(posix_tty_write(0, (uintptr_t)src, 10), -EFAULT);
	assert_int_equal(write_calls, 1);
	/* Beyond the user half: refused before anything is copied. */
	assert_int_equal(posix_tty_write(0, 0xffff800000000000ull, 10), -EFAULT);
	assert_int_equal(posix_tty_write(0, 0x00007ffffffffff0ull, 32), -EFAULT);
	assert_int_equal(write_calls, 1);
}

static void write_short_and_errors(void **state)
{
	(void)state;
	fill();
	write_short = 100;
	assert_int_equal(posix_tty_write(0, (uintptr_t)src, 5000), 100);
	write_status = POSIX_STATUS(EIO);
	assert_int_equal(posix_tty_write(0, (uintptr_t)src, 10), -EIO);
	write_status = TERN_SERVER_EINTERRUPTED;
	work = 1; /* a signal pending: the restart code (intr.h) */
	assert_int_equal(posix_tty_write(0, (uintptr_t)src, 10), -ERESTARTSYS);
}

static void read_continues_a_long_line(void **state)
{
	(void)state;
	uint8_t buf[8000];

	input_len = 5000;
	for (size_t i = 0; i < input_len; i++)
		input[i] = (uint8_t)(i * 3);
	assert_int_equal(posix_tty_read(0, (uintptr_t)buf, sizeof(buf), 0), 5000);
	assert_int_equal(read_calls, 2); /* 3504, then the rest with READ_MORE */
	assert_memory_equal(buf, input, 5000);
	assert_int_equal(posix_tty_read(0, (uintptr_t)buf, 0, 0), 0);
	assert_int_equal(read_calls, 2);
}

static void read_short_copy(void **state)
{
	(void)state;
	uint8_t buf[300];

	input_len = 300;
	memset(input, 'r', input_len);
	bad = (uintptr_t)buf + 200;
	bad_len = 1;
	/* Stored up to the first byte that cannot be. */
	assert_int_equal(posix_tty_read(0, (uintptr_t)buf, sizeof(buf), 0), 200);
	input_pos = 0;
	bad = (uintptr_t)buf;
	assert_int_equal(posix_tty_read(0, (uintptr_t)buf, sizeof(buf), 0), -EFAULT);
	assert_int_equal(posix_tty_read(0, 0xffff800000001000ull, 10, 0), -EFAULT);
	read_status = POSIX_STATUS(EAGAIN);
	bad_len = 0;
	assert_int_equal(posix_tty_read(0, (uintptr_t)buf, 10, 1), -EAGAIN);
}

static void ioctl_structs(void **state)
{
	(void)state;
	uint8_t t[64];

	memset(t, 0xee, sizeof(t));
	assert_int_equal(posix_tty_ioctl(0, TCGETS, (uintptr_t)t), 0);
	assert_int_equal(last_ioctl.cmd, TCGETS);
	uint64_t d[CONSOLE_IOCTL_DATA_WORDS];
	for (unsigned i = 0; i < CONSOLE_IOCTL_DATA_WORDS; i++)
		d[i] = 0x1111111111111111ull * (i + 1);
	assert_memory_equal(t, d, 36);
	assert_int_equal(t[36], 0xee); /* exactly 36 bytes */
	/* TCGETS with a bad pointer: EFAULT after asking. */
	bad = (uintptr_t)t + 35;
	bad_len = 1;
	assert_int_equal(posix_tty_ioctl(0, TCGETS, (uintptr_t)t), -EFAULT);
	assert_int_equal(ioctl_calls, 2);
	/* TCSETS: the 36 bytes go in; a bad pointer is EFAULT before asking. */
	assert_int_equal(posix_tty_ioctl(0, TCSETS, (uintptr_t)t), -EFAULT);
	assert_int_equal(ioctl_calls, 2);
	bad_len = 0;
	memset(t, 0x5a, sizeof(t));
	assert_int_equal(posix_tty_ioctl(0, TCSETSF, (uintptr_t)t), 0);
	assert_memory_equal(last_ioctl.data, t, 36);
	assert_int_equal(((uint8_t *)last_ioctl.data)[36], 0);
	/* The cmd is an unsigned int: upper bits ignored. */
	assert_int_equal(posix_tty_ioctl(0, 0xdead00000000ull | TIOCGWINSZ, (uintptr_t)t), 0);
	assert_int_equal(last_ioctl.cmd, TIOCGWINSZ);
}

static void ioctl_ints_and_ids(void **state)
{
	(void)state;
	int32_t v[2] = { -1, -1 };

	ioctl_value = 77;
	assert_int_equal(posix_tty_ioctl(0, TIOCGPGRP, (uintptr_t)v), 0);
	assert_int_equal(v[0], 77);
	assert_int_equal(v[1], -1); /* an int, 4 bytes */
	/* The session and group are never sent: the driver asks proc. */
	assert_int_equal(last_ioctl.sid, 0);
	assert_int_equal(last_ioctl.pgid, 0);
	v[0] = 9;
	assert_int_equal(posix_tty_ioctl(0, TIOCSPGRP, (uintptr_t)v), 0);
	assert_int_equal(last_ioctl.data[0], 9);
	v[0] = -5;
	assert_int_equal(posix_tty_ioctl(0, TIOCSPGRP, (uintptr_t)v), 0);
	assert_int_equal((int64_t)last_ioctl.data[0], -5);
	/* Values pass as they are; the driver's errno comes back. */
	ioctl_status = POSIX_STATUS(ENOTTY);
	assert_int_equal(posix_tty_ioctl(0, 0x5499, 1234), -ENOTTY);
	assert_int_equal(last_ioctl.arg, 1234);
	assert_int_equal(last_ioctl.sid, 0);
	ioctl_status = 0;
	bad = (uintptr_t)v;
	bad_len = 4;
	assert_int_equal(posix_tty_ioctl(0, FIONREAD, (uintptr_t)v), -EFAULT);
	assert_int_equal(posix_tty_ioctl(0, TIOCSTI, (uintptr_t)v), -EFAULT);
}

static void interrupted_calls(void **state)
{
	(void)state;
	static uint8_t buf[8192];

	/* No signal of ours pending: made again, the data comes. */
	memcpy(input, "hello\n", 6);
	input_len = 6;
	read_intr_left = 2;
	assert_int_equal(posix_tty_read(0, (uintptr_t)buf, 100, 0), 6);
	assert_int_equal(read_calls, 3);
	assert_int_equal(ipc.interrupt_ntfn, 0); /* named only around the call */
	/* A signal pending: the restart code, nothing read. */
	work = 1;
	input_pos = 0;
	read_intr_left = 1;
	assert_int_equal(posix_tty_read(0, (uintptr_t)buf, 100, 0), -ERESTARTSYS);
	assert_int_equal(read_calls, 4);
	/* A write: the restart code before any byte, the count after a chunk. */
	write_intr_left = 1;
	assert_int_equal(posix_tty_write(0, (uintptr_t)buf, 10), -ERESTARTSYS);
	assert_int_equal(nwritten, 0);
	write_intr_left = 1;
	write_intr_after = write_calls + 1;
	assert_int_equal(posix_tty_write(0, (uintptr_t)buf, 5000), 2048);
	assert_int_equal(nwritten, 2048);
	/* Without a signal the write goes on whole. */
	work = 0;
	write_intr_left = 1;
	write_intr_after = write_calls + 1;
	assert_int_equal(posix_tty_write(0, (uintptr_t)buf, 5000), 5000);
	assert_int_equal(nwritten, 2048 + 5000);
	assert_true(intr_begun > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(write_in_linux_chunks, setup),
		cmocka_unit_test_setup(write_faults, setup),
		cmocka_unit_test_setup(write_short_and_errors, setup),
		cmocka_unit_test_setup(read_continues_a_long_line, setup),
		cmocka_unit_test_setup(read_short_copy, setup),
		cmocka_unit_test_setup(ioctl_structs, setup),
		cmocka_unit_test_setup(ioctl_ints_and_ids, setup),
		cmocka_unit_test_setup(interrupted_calls, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
