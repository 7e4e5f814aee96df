/*
 * The timers' bookkeeping (itimer_calc.h), pure: no IPC, no clock.
 */
#include "itimer_calc.h"

#include "posix/errno.h"
#include "posix/signal.h"

#define NS_PER_USEC 1000ull

void posix_itimers_init(struct posix_itimers *s)
{
	*s = (struct posix_itimers){ 0 };
}

static bool fires(const struct posix_ptimer *t)
{
	return t->used && t->expires && t->notify != SIGEV_NONE;
}

uint64_t posix_itimers_next(const struct posix_itimers *s)
{
	uint64_t next = s->real_expires;

	for (unsigned i = 0; i < POSIX_TIMERS_MAX; i++)
		if (fires(&s->t[i]) && (!next || s->t[i].expires < next))
			next = s->t[i].expires;
	return next;
}

/* An expired deadline: one shot, 0 (disarmed); else forwarded past now.
 * Returns the expiries at or before now (>= 1). */
static uint64_t forward(uint64_t *expires, uint64_t interval, uint64_t now)
{
	if (!interval) {
		*expires = 0;
		return 1;
	}
	uint64_t k = (now - *expires) / interval + 1;
	if (k > POSIX_ITIMER_NS_MAX / interval) { /* far behind: past now at once */
		*expires = now + interval;
		return k;
	}
	*expires += k * interval;
	return k;
}

static int32_t clamp_overrun(uint64_t n)
{
	return n > POSIX_DELAYTIMER_MAX ? POSIX_DELAYTIMER_MAX : (int32_t)n;
}

unsigned posix_itimers_expire(struct posix_itimers *s, uint64_t now, struct posix_itimer_fire *out,
			      unsigned n)
{
	unsigned k = 0;

	if (k < n && s->real_expires && s->real_expires <= now) {
		/* SIGALRM is a standard signal: what was missed merges. */
		forward(&s->real_expires, s->real_interval, now);
		out[k++] = (struct posix_itimer_fire){ NULL, 0 };
	}
	for (unsigned i = 0; i < POSIX_TIMERS_MAX && k < n; i++) {
		struct posix_ptimer *t = &s->t[i];
		if (!fires(t) || t->expires > now)
			continue;
		t->overrun += forward(&t->expires, t->interval, now) - 1;
		t->overrun_last = clamp_overrun(t->overrun);
		t->overrun = 0;
		out[k++] = (struct posix_itimer_fire){ t, t->overrun_last };
	}
	return k;
}

bool posix_timeval_valid(const struct posix_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static uint64_t sec_ns(int64_t sec, uint64_t ns)
{
	if ((uint64_t)sec >= POSIX_ITIMER_NS_MAX / POSIX_NSEC_PER_SEC)
		return POSIX_ITIMER_NS_MAX;
	return (uint64_t)sec * POSIX_NSEC_PER_SEC + ns;
}

uint64_t posix_timeval_to_ns(const struct posix_timeval *tv)
{
	return sec_ns(tv->tv_sec, (uint64_t)tv->tv_usec * NS_PER_USEC);
}

uint64_t posix_timespec_to_ns(const struct posix_timespec *ts)
{
	return sec_ns(ts->tv_sec, (uint64_t)ts->tv_nsec);
}

void posix_ns_to_timeval(uint64_t ns, struct posix_timeval *tv)
{
	tv->tv_sec = (int64_t)(ns / POSIX_NSEC_PER_SEC);
	tv->tv_usec = (int64_t)(ns % POSIX_NSEC_PER_SEC / NS_PER_USEC);
}

void posix_ns_to_timespec(uint64_t ns, struct posix_timespec *ts)
{
	ts->tv_sec = (int64_t)(ns / POSIX_NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % POSIX_NSEC_PER_SEC);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b > POSIX_ITIMER_NS_MAX * 2 || a + b < a ? POSIX_ITIMER_NS_MAX * 2 : a + b;
}

void posix_itimer_real_get(const struct posix_itimers *s, uint64_t now, uint64_t *value_ns,
			   uint64_t *interval_ns)
{
	*interval_ns = s->real_interval;
	if (!s->real_expires)
		*value_ns = 0;
	else if (s->real_expires <= now)
		*value_ns = NS_PER_USEC; /* due: "racy but safe", 1 us */
	else
		*value_ns = s->real_expires - now;
}

void posix_itimer_real_set(struct posix_itimers *s, uint64_t now, uint64_t value_ns,
			   uint64_t interval_ns)
{
	if (!value_ns) {
		s->real_expires = 0;
		s->real_interval = 0;
		return;
	}
	s->real_expires = add_sat(now, value_ns);
	s->real_interval = interval_ns;
}

unsigned posix_alarm(struct posix_itimers *s, uint64_t now, unsigned seconds)
{
	uint64_t old, interval;

	posix_itimer_real_get(s, now, &old, &interval);
	posix_itimer_real_set(s, now, (uint64_t)seconds * POSIX_NSEC_PER_SEC, 0);
	uint64_t sec = old / POSIX_NSEC_PER_SEC, ns = old % POSIX_NSEC_PER_SEC;
	if ((!sec && ns) || ns >= POSIX_NSEC_PER_SEC / 2)
		sec++;
	return sec > 0xffffffffu ? 0xffffffffu : (unsigned)sec;
}

int posix_ptimer_create(struct posix_itimers *s, int32_t clock, const struct posix_sigevent *ev,
			bool (*thread_ok)(int32_t tid), int32_t *id)
{
	struct posix_ptimer *t = NULL;

	for (unsigned i = 0; i < POSIX_TIMERS_MAX && !t; i++)
		if (!s->t[i].used)
			t = &s->t[i];
	if (!t)
		return -EAGAIN;
	/* posix_timer_add: the next id not in use, from where the last ended. */
	int32_t nid = s->next_id;
	for (;;) {
		bool taken = false;
		for (unsigned i = 0; i < POSIX_TIMERS_MAX; i++)
			taken |= s->t[i].used && s->t[i].id == nid;
		if (!taken)
			break;
		nid = (int32_t)(((uint32_t)nid + 1) & 0x7fffffffu);
	}
	s->next_id = (int32_t)(((uint32_t)nid + 1) & 0x7fffffffu);
	struct posix_ptimer n = { .used = true, .id = nid, .clock = clock };
	if (!ev) {
		n.notify = SIGEV_SIGNAL;
		n.signo = POSIX_SIGALRM;
		n.value = (uint64_t)(uint32_t)nid; /* sival_int = the id */
	} else {
		/* good_sigevent */
		switch (ev->sigev_notify) {
		case SIGEV_SIGNAL | SIGEV_THREAD_ID:
			if (!thread_ok || !thread_ok(ev->sigev_tid))
				return -EINVAL;
			/* fall through */
		case SIGEV_SIGNAL:
		case SIGEV_THREAD:
			if (ev->sigev_signo <= 0 || ev->sigev_signo > POSIX_NSIG)
				return -EINVAL;
			/* fall through */
		case SIGEV_NONE:
			break;
		default:
			return -EINVAL;
		}
		n.notify = ev->sigev_notify == SIGEV_THREAD ? SIGEV_SIGNAL : ev->sigev_notify;
		n.signo = ev->sigev_signo;
		n.tid = ev->sigev_tid;
		n.value = ev->sigev_value;
	}
	*t = n;
	*id = nid;
	return 0;
}

struct posix_ptimer *posix_ptimer_find(struct posix_itimers *s, int64_t id)
{
	if (id < 0 || id > 0x7fffffff)
		return NULL;
	for (unsigned i = 0; i < POSIX_TIMERS_MAX; i++)
		if (s->t[i].used && s->t[i].id == id)
			return &s->t[i];
	return NULL;
}

int posix_ptimer_delete(struct posix_itimers *s, int64_t id)
{
	struct posix_ptimer *t = posix_ptimer_find(s, id);

	if (!t)
		return -EINVAL;
	*t = (struct posix_ptimer){ 0 };
	return 0;
}

void posix_ptimer_get(struct posix_ptimer *t, uint64_t now, struct posix_itimerspec *cur)
{
	bool sig_none = t->notify == SIGEV_NONE;

	*cur = (struct posix_itimerspec){ 0 };
	posix_ns_to_timespec(t->interval, &cur->it_interval);
	if (!t->expires)
		return;
	/* A SIGEV_NONE interval timer is forwarded when asked (nothing else
	 * runs it); a signalling one is forwarded at its expiry. */
	if (sig_none && t->interval && t->expires <= now)
		t->overrun += forward(&t->expires, t->interval, now);
	if (t->expires > now) {
		posix_ns_to_timespec(t->expires - now, &cur->it_value);
	} else if (!sig_none) {
		cur->it_value.tv_nsec = 1; /* expired, its signal under way */
	} else {
		t->expires = 0; /* a one-shot SIGEV_NONE timer that expired: 0 */
	}
}

static bool realtime_clock(int32_t clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_TAI || clk == CLOCK_REALTIME_ALARM;
}

void posix_ptimer_set(struct posix_ptimer *t, uint64_t now, uint64_t realtime_base, int flags,
		      const struct posix_itimerspec *new_spec, struct posix_itimerspec *old)
{
	if (old)
		posix_ptimer_get(t, now, old);
	t->overrun = 0;
	t->overrun_last = 0;
	t->interval = 0;
	t->expires = 0;
	uint64_t v = posix_timespec_to_ns(&new_spec->it_value);
	if (!v)
		return;
	t->interval = posix_timespec_to_ns(&new_spec->it_interval);
	if (!(flags & TIMER_ABSTIME)) {
		t->expires = add_sat(now, v);
		return;
	}
	if (realtime_clock(t->clock))
		v = v > realtime_base ? v - realtime_base : 0;
	t->expires = v > now ? v : now; /* past: due at once */
	if (!t->expires)
		t->expires = 1;
}
