/*
 * The data path: WRITE (program output through the line discipline's
 * output processing to the UART), READ (answered from the line
 * discipline, or deferred until it can be), POLL (n_tty_poll's answer,
 * or deferred until it holds or the timeout ends), INPUT (bytes from the
 * IRQ thread), and what input changes: waiting readers, pollers and writers, signals
 * (jobctl.c sends them; a background reader or TOSTOP writer is checked
 * there too).
 *
 * Output reaches the UART through the kernel (DEBUG_PUTS with
 * TERN_DEBUG_PUTS_RAW): the kernel's console_write keeps its own log
 * lines and programs' text on separate lines, and its UART code fills the
 * 16-byte FIFO per wait for the transmitter instead of polling the line
 * status per byte. The bytes are already processed as c_oflag says
 * (ONLCR's "\r\n" made here), so the kernel adds nothing.
 */
#include "common/format.h"
#include "common/string.h"
#include "console.h"
#include "posix/cspace.h"
#include "posix/poll.h"
#include "posix/status.h"
#include "sys/invoke.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

#define PUTS_MAX 1024 /* the kernel takes at most this per DEBUG_PUTS */

uint64_t console_caller_pid(const struct tern_request *req)
{
	return req->badge >= 1 && req->badge <= POSIX_PID_MAX ? req->badge : 0;
}

static void puts_raw(const uint8_t *s, size_t n)
{
	while (n) {
		size_t k = n < PUTS_MAX ? n : PUTS_MAX;
		tern_debug_puts_raw((const char *)s, k);
		s += k;
		n -= k;
	}
}

void console_flush_echo(struct console *c)
{
	puts_raw(c->echo, c->echo_len);
	c->echo_len = 0;
}

/* The line discipline's echo, gathered so one burst of input is one
 * kernel call. */
void console_emit(void *ctx, const uint8_t *s, size_t n)
{
	struct console *c = ctx;

	if (c->echo_len + n > sizeof(c->echo))
		console_flush_echo(c);
	memcpy(c->echo + c->echo_len, s, n);
	c->echo_len += n;
}

void console_output(struct console *c, const uint8_t *s, size_t n)
{
	uint8_t out[PUTS_MAX];

	console_flush_echo(c);
	if (ldisc_unchanged(&c->ld, s, n)) { /* no copy for what needs no processing */
		puts_raw(s, n);
		return;
	}
	while (n) {
		size_t len, used = ldisc_output(&c->ld, s, n, out, sizeof(out), &len);
		puts_raw(out, len);
		s += used;
		n -= used;
	}
}

CONSOLE_HANDLER(console_write)
CONSOLE_HANDLER(console_read)
CONSOLE_HANDLER(console_input)

/* Bytes that came with a request of `words` words after a 2-word header. */
static bool payload_ok(const struct tern_request *req, uint64_t n)
{
	return n <= CONSOLE_DATA_MAX && (n + 7) / 8 <= req->words - CONSOLE_HDR_WORDS;
}

static int console_write_handle(struct tern_request *req, const struct console_write_req *in,
				struct console_write_resp *out)
{
	struct console *c = req->server->ctx;
	const uint8_t *data = (const uint8_t *)(in + 1);

	if (!payload_ok(req, in->n))
		return TERN_SERVER_EMSGSIZE;
	if ((c->ld.t.c_lflag & TOSTOP) && !console_is_redirect(in->handle)) {
		/* n_tty_write: a background job stops (never on /dev/console) */
		int st = console_job_check(c, console_caller_pid(req), 22 /* SIGTTOU */,
					   in->handle & CONSOLE_H_TTOU_IGNORED);
		if (st)
			return st;
	}
	if (!ldisc_output_ok(&c->ld)) {
		if (c->nwriters == CONSOLE_MAX_WRITERS)
			return TERN_SERVER_EAGAIN;
		if (console_before_wait(c, console_caller_pid(req)))
			return TERN_SERVER_EINTERRUPTED;
		tern_cptr_t reply = tern_request_defer(req);
		if (!reply)
			return TERN_SERVER_ENOREPLY;
		struct console_writer *w = &c->writers[c->nwriters++];
		w->reply = reply;
		w->pid = console_caller_pid(req);
		w->n = in->n;
		memcpy(w->data, data, in->n);
		console_gone_wanted(c);
		return TERN_SERVER_DEFERRED;
	}
	console_output(c, data, in->n);
	out->written = in->n;
	return TERN_SERVER_OK;
}

/* Answer a waiting read with what the line discipline gives for n bytes. */
static void answer_read(struct console *c, tern_cptr_t reply, uint64_t n)
{
	static uint64_t words[CONSOLE_HDR_WORDS + CONSOLE_DATA_WORDS];
	bool more;
	size_t got = ldisc_read(&c->ld, (uint8_t *)(words + CONSOLE_HDR_WORDS), n, &more);

	words[0] = got;
	words[1] = more;
	tern_server_answer(reply, TERN_SERVER_OK, words,
			   CONSOLE_HDR_WORDS + (unsigned)(got + 7) / 8);
}

uint64_t console_now(void)
{
	uint64_t out[4] = { 0 };

	tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, out);
	return out[0];
}

#define DECISECOND_NS 100000000ull

/*
 * When a waiting raw read must be answered with what there is (n_tty's
 * VTIME): VMIN 0 counts VTIME from the read's start; VMIN > 0 from the
 * last byte received, once there is one (an inter-byte timer). 0: none.
 */
static uint64_t vtime_deadline(const struct console *c, uint64_t now, bool start)
{
	const struct posix_termios *t = &c->ld.t;

	if ((t->c_lflag & ICANON) || !t->c_cc[VTIME])
		return 0;
	if (t->c_cc[VMIN] == 0)
		return start ? now + t->c_cc[VTIME] * DECISECOND_NS : 0;
	return c->ld.len ? now + t->c_cc[VTIME] * DECISECOND_NS : 0;
}

/* The timer at the earliest reader's or poller's deadline (or off). */
static void timer_arm(struct console *c)
{
	uint64_t first = 0;

	for (unsigned i = 0; i < c->nreaders; i++) {
		uint64_t d = c->readers[i].deadline;
		if (d && (!first || d < first))
			first = d;
	}
	for (unsigned i = 0; i < c->npollers; i++) {
		uint64_t d = c->pollers[i].deadline;
		if (d && (!first || d < first))
			first = d;
	}
	if (first == c->timer_armed)
		return;
	c->timer_armed = first;
	tern_timer_set(c->timer, first, c->timer_ntfn);
}

void console_input_arrived(struct console *c)
{
	if (!c->ld.t.c_cc[VMIN])
		return; /* VMIN 0: counted from the read's start */
	uint64_t now = console_now();
	for (unsigned i = 0; i < c->nreaders; i++)
		c->readers[i].deadline = vtime_deadline(c, now, false);
	timer_arm(c);
}

static int console_read_handle(struct tern_request *req, const struct console_read_req *in,
			       struct console_read_resp *out)
{
	struct console *c = req->server->ctx;

	if (in->n == 0 || in->n > CONSOLE_DATA_MAX ||
	    (in->flags & ~(uint64_t)(CONSOLE_NONBLOCK | CONSOLE_READ_MORE)))
		return POSIX_STATUS(EINVAL);
	if (!(in->flags & CONSOLE_READ_MORE) && !console_is_redirect(in->handle)) {
		/* n_tty_read's job_control ("don't stop on /dev/console") */
		int st = console_job_check(c, console_caller_pid(req), 21 /* SIGTTIN */,
					   in->handle & CONSOLE_H_TTIN_IGNORED);
		if (st)
			return st;
	}
	if (ldisc_can_read(&c->ld, in->n) || (in->flags & CONSOLE_READ_MORE)) {
		/* At once, the data after the header (the loop's response
		 * buffer holds a whole message); a continuation with nothing
		 * left answers 0 bytes. */
		bool more = false;
		out->count = ldisc_can_read(&c->ld, in->n)
				     ? ldisc_read(&c->ld, (uint8_t *)(out + 1), in->n, &more)
				     : 0;
		out->more = more;
		req->resp_words = CONSOLE_HDR_WORDS + (unsigned)(out->count + 7) / 8;
		return TERN_SERVER_OK;
	}
	if (in->flags & CONSOLE_NONBLOCK)
		return POSIX_STATUS(EAGAIN);
	if (c->nreaders == CONSOLE_MAX_READERS)
		return TERN_SERVER_EAGAIN;
	if (console_before_wait(c, console_caller_pid(req)))
		return TERN_SERVER_EINTERRUPTED;
	tern_cptr_t reply = tern_request_defer(req);
	if (!reply)
		return TERN_SERVER_ENOREPLY;
	struct console_reader *r = &c->readers[c->nreaders++];
	*r = (struct console_reader){ reply, in->n, console_caller_pid(req), 0 };
	r->deadline = vtime_deadline(c, console_now(), true);
	timer_arm(c);
	console_gone_wanted(c);
	return TERN_SERVER_DEFERRED;
}

/* n_tty_poll's mask for the console now. */
static uint64_t poll_mask(const struct console *c)
{
	uint64_t m = 0;

	if (ldisc_poll_in(&c->ld))
		m |= POSIX_POLLIN | POSIX_POLLRDNORM;
	if (ldisc_output_ok(&c->ld))
		m |= POSIX_POLLOUT | POSIX_POLLWRNORM;
	return m;
}

CONSOLE_HANDLER(console_poll)

static int console_poll_handle(struct tern_request *req, const struct console_poll_req *in,
			       struct console_poll_resp *out)
{
	struct console *c = req->server->ctx;
	/* POLLERR and POLLHUP are reported whether asked for or not. */
	uint64_t want = (in->events & 0xffff) | POSIX_POLLERR | POSIX_POLLHUP;

	out->revents = poll_mask(c) & want;
	if (out->revents || in->timeout == 0)
		return TERN_SERVER_OK;
	if (c->npollers == CONSOLE_MAX_POLLERS)
		return TERN_SERVER_EAGAIN;
	if (console_before_wait(c, console_caller_pid(req)))
		return TERN_SERVER_EINTERRUPTED;
	tern_cptr_t reply = tern_request_defer(req);
	if (!reply)
		return TERN_SERVER_ENOREPLY;
	uint64_t deadline = 0;
	if (in->timeout != CONSOLE_POLL_FOREVER) {
		uint64_t now = console_now();
		deadline = in->timeout > UINT64_MAX - now ? 0 : now + in->timeout;
	}
	c->pollers[c->npollers++] =
		(struct console_poller){ reply, console_caller_pid(req), want, deadline };
	timer_arm(c);
	console_gone_wanted(c);
	return TERN_SERVER_DEFERRED;
}

/* Pollers whose events now hold, or whose time ran out (revents 0). */
static void progress_pollers(struct console *c, uint64_t now)
{
	uint64_t mask = poll_mask(c);
	unsigned kept = 0;

	for (unsigned i = 0; i < c->npollers; i++) {
		struct console_poller p = c->pollers[i];
		struct console_poll_resp r = { .revents = mask & p.events };
		if (r.revents || (p.deadline && p.deadline <= now))
			tern_server_answer(p.reply, TERN_SERVER_OK, &r, sizeof(r) / 8);
		else
			c->pollers[kept++] = p;
	}
	c->npollers = kept;
}

void console_progress(struct console *c)
{
	console_flush_echo(c);
	uint32_t sigs = c->ld.signals;
	c->ld.signals = 0;
	for (int s = 0; s < 32; s++)
		if (sigs & (1u << s))
			console_raise(c, s);
	/* Readers in the order they came; one whose VTIME ran out is
	 * answered with what there is (0 bytes, maybe). */
	uint64_t now = c->timer_armed ? console_now() : 0;
	unsigned kept = 0;
	for (unsigned i = 0; i < c->nreaders; i++) {
		struct console_reader r = c->readers[i];
		bool late = r.deadline && r.deadline <= now && !(c->ld.t.c_lflag & ICANON);
		if (late || ldisc_can_read(&c->ld, r.n))
			answer_read(c, r.reply, r.n);
		else
			c->readers[kept++] = r;
	}
	c->nreaders = kept;
	if (c->npollers)
		progress_pollers(c, c->timer_armed ? now : 0);
	timer_arm(c);
	if (!ldisc_output_ok(&c->ld))
		return;
	for (unsigned i = 0; i < c->nwriters; i++) {
		struct console_writer *w = &c->writers[i];
		struct console_write_resp r = { .written = w->n };
		console_output(c, w->data, w->n);
		tern_server_answer(w->reply, TERN_SERVER_OK, &r, sizeof(r) / 8);
	}
	c->nwriters = 0;
}

CONSOLE_HANDLER(console_intr)

/* Interrupt bits that ended no waiting call: the next call of such a
 * bit that would wait is answered TERN_EINTERRUPTED at once (the signal
 * came just before it was sent; libposix signals its own cap when a
 * signal is pending as it calls). A bit left over from a call answered
 * meanwhile ends one later wait early, which libposix makes again. */
static uint64_t intr_pending;

void console_interrupt(struct console *c, uint64_t bits)
{
	unsigned kept = 0;
	uint64_t used = 0;

	for (unsigned i = 0; i < c->nreaders; i++) {
		struct console_reader r = c->readers[i];
		if (bits & console_intr_bit(r.pid)) {
			tern_server_answer(r.reply, TERN_SERVER_EINTERRUPTED, NULL, 0);
			used |= console_intr_bit(r.pid);
		} else {
			c->readers[kept++] = r;
		}
	}
	c->nreaders = kept;
	kept = 0;
	for (unsigned i = 0; i < c->nwriters; i++) {
		if (bits & console_intr_bit(c->writers[i].pid)) {
			tern_server_answer(c->writers[i].reply, TERN_SERVER_EINTERRUPTED, NULL, 0);
			used |= console_intr_bit(c->writers[i].pid);
			continue;
		}
		if (kept != i)
			c->writers[kept] = c->writers[i];
		kept++;
	}
	c->nwriters = kept;
	kept = 0;
	for (unsigned i = 0; i < c->npollers; i++) {
		struct console_poller p = c->pollers[i];
		if (bits & console_intr_bit(p.pid)) {
			tern_server_answer(p.reply, TERN_SERVER_EINTERRUPTED, NULL, 0);
			used |= console_intr_bit(p.pid);
		} else {
			c->pollers[kept++] = p;
		}
	}
	c->npollers = kept;
	intr_pending |= bits & CONSOLE_NTFN_INTR_MASK & ~used;
	timer_arm(c);
}

bool console_before_wait(struct console *c, uint64_t pid)
{
	uint64_t bits = 0, own = console_intr_bit(pid);

	if (tern_poll(c->ntfn, &bits) == TERN_EOK && bits) {
		/* What the IRQ thread would have had goes back to it. */
		if (bits & CONSOLE_NTFN_IRQ)
			tern_signal(c->irq_ntfn);
		if (bits & CONSOLE_NTFN_TIMER)
			tern_signal(c->timer_ntfn);
		intr_pending |= bits & own;
		console_interrupt(c, bits & CONSOLE_NTFN_INTR_MASK & ~own);
	}
	if (!pid || !(intr_pending & own))
		return false;
	intr_pending &= ~own;
	return true;
}

/* The caller's interrupt cap: minted once per bit from our notification,
 * signal only, and sent with each answer (a copy). */
static int console_intr_handle(struct tern_request *req, const struct console_intr_req *in,
			       struct console_intr_resp *out)
{
	struct console *c = req->server->ctx;
	uint64_t pid = console_caller_pid(req);
	unsigned i = (unsigned)(pid % CONSOLE_INTR_BITS);

	(void)in;
	if (!c->intr_caps[i]) {
		tern_cptr_t slot = tern_slot_get();
		if (!slot)
			return POSIX_STATUS(ENOMEM);
		if (tern_cnode_mint(TERN_CHILD_SLOT_CNODE, slot, 64, c->ntfn, 64, TERN_RIGHT_WRITE,
				    console_intr_bit(pid)) != TERN_EOK) {
			tern_slot_put(slot);
			return POSIX_STATUS(ENOMEM);
		}
		c->intr_caps[i] = slot;
	}
	out->bit = console_intr_bit(pid);
	req->reply_cap = c->intr_caps[i];
	return TERN_SERVER_OK;
}

static int console_input_handle(struct tern_request *req, const struct console_input_req *in,
				struct console_input_resp *out)
{
	struct console *c = req->server->ctx;

	if (req->badge != CONSOLE_BADGE_IRQ)
		return POSIX_STATUS(EPERM);
	if (!payload_ok(req, in->n))
		return TERN_SERVER_EMSGSIZE;
	const uint8_t *data = (const uint8_t *)(in + 1);
	for (size_t done = 0; done < in->n;) {
		done += ldisc_receive(&c->ld, data + done, in->n - done);
		console_progress(c);
	}
	if (in->n)
		console_input_arrived(c);
	if (in->flags & CONSOLE_NTFN_INTR_MASK)
		console_interrupt(c, in->flags & CONSOLE_NTFN_INTR_MASK);
	if (in->flags & CONSOLE_NTFN_TIMER)
		console_progress(c); /* readers whose VTIME ran out */
	out->taken = in->n;
	return TERN_SERVER_OK;
}
