/*
 * PIT channel 2 as a stopwatch: gate it on, count down once in mode 0 and
 * watch its output bit in port 0x61. Used only for calibration at boot,
 * when neither CPUID nor the hypervisor tells the TSC frequency.
 */
#include "arch/cpu.h"
#include "arch/io.h"
#include "kernel/time.h"

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20

/* Returns the TSC cycles that `pit_ticks` PIT ticks took. */
uint64_t pit_measure_tsc(uint32_t pit_ticks)
{
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) & ~PORT_B_GATE2));
	outb(PIT_CMD, 0xB0); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, pit_ticks & 0xff);
	outb(PIT_CH2, (pit_ticks >> 8) & 0xff);
	outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2)); /* start counting */

	uint64_t t0 = rdtsc();
	while (!(inb(PORT_B) & PORT_B_OUT2))
		;
	uint64_t t1 = rdtsc();

	outb(PORT_B, b);
	return t1 - t0;
}
