/*
 * The console's data path (tty.h): read, write and ioctl on an fd whose
 * route is the console go straight to the console driver, one Call per
 * chunk, data inline in the message (posix/proto_console.h). Every user
 * buffer goes through uaccess.h. Partial results are Linux's tty layer's:
 * a write copies and sends 2,048 bytes at a time (tty_write's chunk) and
 * stops at the first chunk it cannot copy whole; a read stores what it got
 * up to the first byte it cannot store (tty_read counts a short copy).
 */
#include "tty.h"

#include "call.h"
#include "errors.h"
#include "intr.h"
#include "signals.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/fcntl.h"
#include "posix/ioctl.h"
#include "posix/proto_console.h"
#include "posix/signal.h"
#include "posix/termios.h"
#include "sys/ipc.h"
#include "sys/syscalls.h"
#include "uaccess.h"

#define TTY_WRITE_CHUNK 2048 /* Linux's tty_write chunk */
_Static_assert(TTY_WRITE_CHUNK <= CONSOLE_DATA_MAX, "a write chunk fits in one message");

/*
 * A Call to the console; its status as a Linux result (0 or -errno). A
 * READ and a stopped WRITE wait in the driver: a signal ends them with
 * -ERESTARTSYS (intr.h; Linux's n_tty_read and the tty write path), a
 * call ended with no signal of ours pending is made again (the message
 * is still in the registers we kept and the IPC buffer).
 */
static long console_call(struct tern_msg *m)
{
	struct tern_msg sent = *m;

	for (;;) {
		posix_intr_begin(POSIX_INTR_CONSOLE);
		enum tern_error err = tern_call(POSIX_SLOT_CONSOLE_EP, m);
		posix_intr_end();
		long r = posix_status_to_errno(err != TERN_EOK ? -(long)err
							       : (long)tern_msginfo_label(m->info));
		if (!posix_intr_retry(r))
			return r;
		*m = sent;
	}
}

/* The handle with what job control needs of us (posix/proto_console.h):
 * whether SIGTTIN and SIGTTOU are ignored or blocked. */
static uint64_t job_handle(uint64_t handle)
{
	uint64_t set = posix_signal_ignored_or_blocked ? posix_signal_ignored_or_blocked() : 0;

	handle &= ~CONSOLE_H_FLAGS;
	if (set & (1ull << (POSIX_SIGTTIN - 1)))
		handle |= CONSOLE_H_TTIN_IGNORED;
	if (set & (1ull << (POSIX_SIGTTOU - 1)))
		handle |= CONSOLE_H_TTOU_IGNORED;
	return handle;
}

long posix_tty_write(uint64_t handle, uint64_t ubuf, size_t n)
{
	size_t done = 0;

	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	while (done < n) {
		size_t k = n - done < TTY_WRITE_CHUNK ? n - done : TTY_WRITE_CHUNK;
		struct tern_ipc_buffer *ipc = tern_ipc_buffer();
		/* The data goes from word 2 on: words 2 and 3 travel in
		 * registers, the rest in the IPC buffer where it is copied. */
		if (copy_from_user(&ipc->msg[CONSOLE_HDR_WORDS], ubuf + done, k))
			return done ? (long)done : -EFAULT;
		struct tern_msg m = {
			.info = tern_msginfo(CONSOLE_WRITE, 0,
					     CONSOLE_HDR_WORDS + (unsigned)((k + 7) / 8)),
			.mr = { job_handle(handle), k, ipc->msg[2], ipc->msg[3] },
		};
		long r = console_call(&m);
		if (r == 0 && tern_msginfo_length(m.info) < 1)
			r = -EIO;
		if (r < 0)
			return done ? (long)done : r;
		if (m.mr[0] > k)
			return -EIO;
		done += m.mr[0];
		if (m.mr[0] < k)
			break;
	}
	return (long)done;
}

/* One READ call for at most CONSOLE_DATA_MAX bytes; the data is left at
 * the IPC buffer's word 2 on. Returns the count or -errno. */
static long read_call(uint64_t handle, size_t n, uint64_t flags, int *more)
{
	struct tern_msg m = {
		.info = tern_msginfo(CONSOLE_READ, 0, 3),
		.mr = { job_handle(handle), n, flags },
	};
	long r = console_call(&m);

	if (r < 0)
		return r;
	unsigned words = tern_msginfo_length(m.info);
	uint64_t count = m.mr[0];
	if (words < CONSOLE_HDR_WORDS || count > n ||
	    (count + 7) / 8 > (uint64_t)(words - CONSOLE_HDR_WORDS))
		return -EIO; /* the server and libposix disagree */
	struct tern_ipc_buffer *ipc = tern_ipc_buffer();
	ipc->msg[2] = m.mr[2];
	ipc->msg[3] = m.mr[3];
	*more = m.mr[1] != 0;
	return (long)count;
}

/* The bytes stored before the first that cannot be, or -EFAULT for none. */
static long store(uint64_t udst, const uint8_t *src, size_t count)
{
	size_t k = copy_to_user_upto(udst, src, count);

	return k || !count ? (long)k : -EFAULT;
}

long posix_tty_read(uint64_t handle, uint64_t ubuf, size_t n, int nonblock)
{
	size_t done = 0;
	uint64_t flags = nonblock ? CONSOLE_NONBLOCK : 0;
	int more = 0;

	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	do {
		size_t k = n - done < CONSOLE_DATA_MAX ? n - done : CONSOLE_DATA_MAX;
		long got = read_call(handle, k, flags, &more);
		if (got < 0)
			return done ? (long)done : got;
		const uint8_t *data = (const uint8_t *)&tern_ipc_buffer()->msg[CONSOLE_HDR_WORDS];
		long stored = store(ubuf + done, data, (size_t)got);
		if (stored < 0)
			return done ? (long)done : stored;
		done += (size_t)stored;
		if (stored < got || (size_t)got < k)
			break;
		/* What the same Linux read would also have returned (the rest
		 * of a long line, more raw bytes): never wait for it. */
		flags |= CONSOLE_READ_MORE;
	} while (more && done < n);
	return (long)done;
}

void posix_tty_opened(uint64_t handle, uint64_t flags)
{
	struct console_open_req q = { .handle = handle };
	struct console_open_resp r;

	if ((flags & POSIX_O_NOCTTY) || (flags & POSIX_O_ACCMODE) == POSIX_O_WRONLY)
		return;
	tern_client_call(POSIX_SLOT_CONSOLE_EP, CONSOLE_OPEN, &q, sizeof(q) / 8, &r, sizeof(r) / 8);
}

/* How an ioctl moves data: IN bytes from arg before the call, OUT bytes
 * to arg after it (struct data), or an int (the result value). */
enum { ARG_NONE, ARG_IN, ARG_OUT, ARG_OUT_INT, ARG_IN_INT, ARG_IN_CHAR };

static int arg_kind(uint32_t cmd, size_t *size)
{
	switch (cmd) {
	case TCGETS:
		*size = sizeof(struct posix_termios);
		return ARG_OUT;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		*size = sizeof(struct posix_termios);
		return ARG_IN;
	case TIOCGWINSZ:
		*size = sizeof(struct posix_winsize);
		return ARG_OUT;
	case TIOCSWINSZ:
		*size = sizeof(struct posix_winsize);
		return ARG_IN;
	case FIONREAD:
	case TIOCOUTQ:
	case TIOCGPGRP:
	case TIOCGSID:
	case TIOCGETD:
	case TIOCGEXCL:
		return ARG_OUT_INT;
	case TIOCSPGRP:
	case TIOCSETD:
		return ARG_IN_INT;
	case TIOCSTI:
		return ARG_IN_CHAR;
	}
	return ARG_NONE;
}

long posix_tty_ioctl(uint64_t handle, uint64_t cmd64, uint64_t arg)
{
	uint32_t cmd = (uint32_t)cmd64; /* Linux's cmd is an unsigned int */
	size_t size = 0;
	int kind = arg_kind(cmd, &size);
	struct console_ioctl_req q = { .handle = job_handle(handle), .cmd = cmd, .arg = arg };
	struct console_ioctl_resp r;

	if (kind == ARG_IN && copy_from_user(q.data, arg, size))
		return -EFAULT;
	if (kind == ARG_IN_INT) {
		int32_t v;
		if (copy_from_user(&v, arg, sizeof(v)))
			return -EFAULT;
		q.data[0] = (uint64_t)(int64_t)v;
	}
	if (kind == ARG_IN_CHAR) {
		uint8_t ch;
		if (copy_from_user(&ch, arg, 1))
			return -EFAULT;
		q.data[0] = ch;
	}
	int status = tern_client_call(POSIX_SLOT_CONSOLE_EP, CONSOLE_IOCTL, &q, sizeof(q) / 8, &r,
				      sizeof(r) / 8);
	long res = posix_status_to_errno(status);
	if (res < 0)
		return res;
	if (kind == ARG_OUT && copy_to_user(arg, r.data, size))
		return -EFAULT;
	if (kind == ARG_OUT_INT) {
		int32_t v = (int32_t)r.value;
		if (copy_to_user(arg, &v, sizeof(v)))
			return -EFAULT;
	}
	return 0;
}

long posix_tty_poll(uint64_t handle, uint64_t events, uint64_t timeout)
{
	struct tern_msg m = {
		.info = tern_msginfo(CONSOLE_POLL, 0, 3),
		.mr = { handle, events, timeout },
	};
	long r = console_call(&m);

	if (r < 0)
		return r;
	return tern_msginfo_length(m.info) < 1 ? -EIO : (long)(m.mr[0] & 0xffff);
}
