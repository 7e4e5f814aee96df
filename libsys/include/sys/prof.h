/*
 * The profiler (docs/measurements.md, "The profiler"): per-syscall costs
 * in libposix and phase timers anywhere in user space, switched on by
 * the kernel command line word `tern.profile=1` and costing one
 * predictable branch on each path when off.
 *
 * The flag: `tern_prof_on`, one byte per program, set once at start
 * (libsys's tern_start asks the kernel, TERN_DEBUG_QUERY_PROFILE;
 * libposix reads the clock page's flags, TERN_CLOCK_FLAG_PROFILE) and
 * never changed after, so a begin and its end always agree.
 *
 * Times are TSC ticks (rdtsc). Under QEMU's `-icount shift=0` a tick is
 * one guest instruction; elsewhere the dump's meta line gives tsc_hz
 * for the conversion to ns. Nothing here is atomic: two threads of one
 * task adding to the same accumulator at once may lose an update.
 *
 * Phase timers:
 *
 *     TERN_PROF_PHASE(ph_elf, "exec.elf_read");   // file scope
 *     ...
 *     uint64_t t = tern_prof_begin();             // 0 when off
 *     read_the_elf();
 *     tern_prof_lap(&ph_elf, &t);                 // adds now - t, t = now
 *     build_the_space();
 *     tern_prof_end(&ph_space, t);                // adds now - t
 *
 * An accumulator joins its task's list on its first sample; tern_prof_dump
 * prints every listed one as a PROF line.
 */
#ifndef SYS_PROF_H
#define SYS_PROF_H

#include <stdint.h>

#ifdef HOST_TEST
/* Host tests of the server runtime: the profiler is off. */
static const uint8_t tern_prof_on = 0;
#else
/* 1 when the command line says tern.profile=1 (set at program start). */
extern uint8_t tern_prof_on;
#endif

static inline int tern_prof_enabled(void)
{
	return __builtin_expect(tern_prof_on != 0, 0);
}

static inline uint64_t tern_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

struct tern_prof_phase {
	const char *name; /* "family.part", e.g. "exec.elf_read", "fork.copy" */
	uint64_t count;
	uint64_t total, min, max;     /* ticks */
	struct tern_prof_phase *next; /* the task's list (set on the first sample) */
};

/* A file-scope accumulator named `var`. */
#define TERN_PROF_PHASE(var, pname) static struct tern_prof_phase var = { .name = (pname) }

/* One sample of `ticks` (registers p on its first). */
#ifdef HOST_TEST
static inline void tern_prof_phase_add(struct tern_prof_phase *p, uint64_t ticks)
{
	(void)p;
	(void)ticks;
}
static inline void tern_prof_dump(const char *src)
{
	(void)src;
}
static inline uint64_t tern_prof_stamp_label(uint64_t status, uint64_t t_recv)
{
	(void)t_recv;
	return status;
}
#else
void tern_prof_phase_add(struct tern_prof_phase *p, uint64_t ticks);
#endif

/* Start of a timed stretch: the TSC now, or 0 when the profiler is off. */
static inline uint64_t tern_prof_begin(void)
{
	return tern_prof_enabled() ? tern_rdtsc() : 0;
}

/* End of a stretch begun at t0: one sample of now - t0. */
static inline void tern_prof_end(struct tern_prof_phase *p, uint64_t t0)
{
	if (tern_prof_enabled())
		tern_prof_phase_add(p, tern_rdtsc() - t0);
}

/* End of one stretch and start of the next: a sample of now - *t, *t = now. */
static inline void tern_prof_lap(struct tern_prof_phase *p, uint64_t *t)
{
	if (tern_prof_enabled()) {
		uint64_t now = tern_rdtsc();
		tern_prof_phase_add(p, now - *t);
		*t = now;
	}
}

#ifndef HOST_TEST
/*
 * Print this task's phase accumulators as PROF lines with "src": src
 * (the task's name: "proc", "vfs", "mm", "console", a program's), and
 * reset them. Nothing when the profiler is off.
 */
void tern_prof_dump(const char *src);

/* Zero this task's phase accumulators (a fork child's copy of its
 * parent's, which are the parent's to print). */
void tern_prof_forget(void);

/* Print one line: "PROF " and the text (a JSON object), through DEBUG_PUTS. */
void tern_prof_line(const char *json);
#endif

/*
 * The IPC split (libsys's tern_call and the server runtime). With the
 * profiler on, a server's reply to a protocol request (label below
 * TERN_FAULT_LABEL_BASE: never a fault's, whose answer the kernel reads)
 * carries the handler's time in its label:
 * bit 48 TERN_PROF_LABEL_MARK, bits 16..47 the ticks from the receive
 * to the reply (saturated), bits 0..15 the status (a status that does
 * not fit is sent as it is, unmarked). tern_call (src/prof_call.S)
 * takes the stamp out again before anyone looks at the label, and adds to the calling
 * thread's IPC-buffer counters prof_ipc (round trip less the server's
 * ticks: send, wake-up and reply in the kernel) and prof_server.
 */
#define TERN_PROF_LABEL_MARK (1ull << 48)
#define TERN_PROF_LABEL_SHIFT 16
#define TERN_PROF_LABEL_STATUS 0xffffull
#define TERN_PROF_LABEL_TICKS 0xffffffffull

#ifndef HOST_TEST
/* The server runtime's reply label for `status` after a handler that
 * began at t_recv (marked, or status itself when it does not fit). */
uint64_t tern_prof_stamp_label(uint64_t status, uint64_t t_recv);
#endif

/* The runtime label any server on sys/server.h answers by dumping its
 * phases (tern_prof_dump with the name in the request's first words). */
#define TERN_SERVER_LABEL_PROF_DUMP ((1ull << 40) + 3)
#define TERN_PROF_NAME_WORDS 3 /* a source name of at most 24 bytes */

/* Ask the server on `ep` to dump its phases as `src`; the runtime status
 * (0 when it dumped; nothing happens when the profiler is off). */
int tern_prof_dump_server(uint64_t ep, const char *src);

#endif
