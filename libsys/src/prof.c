/*
 * The profiler's libsys side (sys/prof.h): the flag, phase accumulators
 * and their dump, and the profiled tern_call that takes a server's stamp
 * out of the reply label.
 */
#include <stddef.h>

#include "common/format.h"
#include "sys/ipc.h"
#include "sys/prof.h"
#include "sys/syscalls.h"

uint8_t tern_prof_on;

static struct tern_prof_phase *phases;

void tern_prof_phase_add(struct tern_prof_phase *p, uint64_t ticks)
{
	if (p->count == 0) {
		if (!p->next && p != phases) { /* not listed yet */
			p->next = phases;
			phases = p;
		}
		p->min = ticks;
		p->max = ticks;
	}
	if (ticks < p->min)
		p->min = ticks;
	if (ticks > p->max)
		p->max = ticks;
	p->count++;
	p->total += ticks;
}

/* One DEBUG_PUTS per line, on a line of its own, so that a program's
 * unfinished line (a BENCH line) is never run into (printf would bring
 * malloc's arena into libposix, which fork then copies). */
void tern_prof_line(const char *json)
{
	char buf[640];
	int n = format(buf, sizeof(buf), "PROF %s\n", json);

	if (n >= (int)sizeof(buf))
		n = (int)sizeof(buf) - 1;
	if (n > 0) {
		struct tern_sysregs r = { .rdi = (uint64_t)(uintptr_t)buf,
					  .rsi = (uint64_t)n,
					  .mr = { TERN_DEBUG_PUTS_LINE } };
		tern_sys_DEBUG_PUTS(&r);
	}
}

static void meta_line(const char *src)
{
	uint64_t out[4] = { 0 };
	char buf[160];

	tern_debug_query(TERN_DEBUG_QUERY_TSC_HZ, 0, out);
	format(buf, sizeof(buf), "{\"kind\":\"meta\",\"src\":\"%s\",\"tsc_hz\":%lu}", src,
	       (unsigned long)out[0]);
	tern_prof_line(buf);
}

void tern_prof_forget(void)
{
	for (struct tern_prof_phase *p = phases; p; p = p->next)
		p->count = p->total = p->min = p->max = 0;
}

void tern_prof_dump(const char *src)
{
	char buf[320];

	if (!tern_prof_enabled())
		return;
	meta_line(src);
	for (struct tern_prof_phase *p = phases; p; p = p->next) {
		if (!p->count)
			continue;
		format(buf, sizeof(buf),
		       "{\"kind\":\"phase\",\"src\":\"%s\",\"name\":\"%s\",\"count\":%lu,"
		       "\"total\":%lu,\"avg\":%lu,\"min\":%lu,\"max\":%lu}",
		       src, p->name, (unsigned long)p->count, (unsigned long)p->total,
		       (unsigned long)(p->total / p->count), (unsigned long)p->min,
		       (unsigned long)p->max);
		tern_prof_line(buf);
		p->count = p->total = p->min = p->max = 0;
	}
}

_Static_assert(offsetof(struct tern_ipc_buffer, prof_ipc) == 3984 &&
		       offsetof(struct tern_ipc_buffer, prof_server) == 3992,
	       "prof_call.S");
_Static_assert(TERN_PROF_LABEL_MARK == 1ull << 48 && TERN_PROF_LABEL_SHIFT == 16 &&
		       TERN_PROF_LABEL_STATUS == 0xffff,
	       "prof_call.S decodes the label so");

/* A server's reply label with its handler's ticks (see sys/prof.h). */
uint64_t tern_prof_stamp_label(uint64_t status, uint64_t t_recv)
{
	uint64_t ticks = tern_rdtsc() - t_recv;

	if (status > TERN_PROF_LABEL_STATUS)
		return status;
	if (ticks > TERN_PROF_LABEL_TICKS)
		ticks = TERN_PROF_LABEL_TICKS;
	return TERN_PROF_LABEL_MARK | ticks << TERN_PROF_LABEL_SHIFT | status;
}

int tern_prof_dump_server(uint64_t ep, const char *src)
{
	struct tern_msg m = { 0 };
	unsigned n = 0;

	if (!tern_prof_enabled())
		return 0;
	while (n < TERN_PROF_NAME_WORDS * 8 && src[n])
		n++;
	for (unsigned i = 0; i < n; i++)
		m.mr[i / 8] |= (uint64_t)(unsigned char)src[i] << (i % 8 * 8);
	m.info = tern_msginfo(TERN_SERVER_LABEL_PROF_DUMP, 0, (n + 7) / 8);
	if (tern_call(ep, &m) != TERN_EOK)
		return -1;
	return (int)tern_msginfo_label(m.info);
}
