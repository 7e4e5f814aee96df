/*
 * PIT channel 2 as a stopwatch for the TSC: let it count down in mode 0
 * and read its counter (latched), timing the reads with rdtsc. Used only
 * for calibration at boot, when neither CPUID nor the hypervisor tells
 * the TSC frequency.
 *
 * The PIT and the TSC both keep counting while the CPU is away (an SMI, a
 * busy host descheduling the vCPU), so only the moments of the readings
 * matter. Each end of a measurement is the moment the counter took a new
 * value: it lies between the reading before, which still showed an older
 * value, and the reading that shows it. Of a few such brackets the
 * tightest is kept, and its width is the measurement's stated error. The
 * old stopwatch (gate on, wait for the output bit) took both ends from
 * moments the CPU could be away around (QEMU starts a mode 0 count at the
 * write, not at the gate), which on a busy host once made the TSC look
 * twice as fast as it is.
 */
#include "arch/cpu.h"
#include "arch/io.h"
#include "kernel/time.h"

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_CMD_CH2_MODE0 0xB0 /* channel 2, lobyte/hibyte, mode 0, binary */
#define PIT_CMD_LATCH_CH2 0x80
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define PIT_START_COUNT 0xffff
#define EDGE_TRIES 5

static uint16_t pit_ch2_count(void)
{
	outb(PIT_CMD, PIT_CMD_LATCH_CH2);
	uint8_t lo = inb(PIT_CH2);
	return (uint16_t)(lo | inb(PIT_CH2) << 8);
}

/* The counter took the value `count` at a moment in [lo, hi] (TSC). */
struct pit_edge {
	uint16_t count;
	uint64_t lo, hi;
};

static struct pit_edge pit_next_edge(void)
{
	uint64_t before = rdtsc(), prev_before;
	uint16_t old = pit_ch2_count(), c;

	do {
		prev_before = before;
		before = rdtsc();
		c = pit_ch2_count();
	} while (c == old);
	return (struct pit_edge){ c, prev_before, rdtsc() };
}

/* The tightest of a few edges. */
static struct pit_edge pit_edge(void)
{
	struct pit_edge best = { 0, 0, ~0ull };

	for (int i = 0; i < EDGE_TRIES; i++) {
		struct pit_edge e = pit_next_edge();
		if (e.hi - e.lo < best.hi - best.lo)
			best = e;
	}
	return best;
}

int pit_measure_tsc(uint32_t pit_ticks, struct pit_measurement *m)
{
	uint8_t b = inb(PORT_B);
	int ok = -1;

	if (pit_ticks == 0 || pit_ticks > PIT_START_COUNT / 2)
		return -1;
	outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) & ~PORT_B_GATE2));
	outb(PIT_CMD, PIT_CMD_CH2_MODE0);
	outb(PIT_CH2, PIT_START_COUNT & 0xff);
	outb(PIT_CH2, PIT_START_COUNT >> 8);
	outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2)); /* start counting */

	struct pit_edge e0 = pit_edge(), e1;
	while ((uint16_t)(e0.count - pit_ch2_count()) < pit_ticks && !(inb(PORT_B) & PORT_B_OUT2))
		;
	e1 = pit_edge();
	/* OUT2 high: the count reached 0 and wrapped (a long absence). */
	if (!(inb(PORT_B) & PORT_B_OUT2) && e1.count < e0.count) {
		m->pit_ticks = (uint32_t)(e0.count - e1.count);
		m->tsc_cycles = (e1.lo + e1.hi) / 2 - (e0.lo + e0.hi) / 2;
		m->tsc_error = (e0.hi - e0.lo) / 2 + (e1.hi - e1.lo) / 2;
		ok = 0;
	}
	outb(PORT_B, b);
	return ok;
}
