/*
 * The local APIC: x2APIC (MSR access) when the CPU has it, else xAPIC
 * through an uncached MMIO window. EOI is a single register write with no
 * lock. The timer uses TSC-deadline mode when available (one MSR write to
 * arm, no calibration); otherwise one-shot mode with the APIC timer's rate
 * measured against the TSC once at boot.
 */
#include "apic/apic.h"

#include "arch/cpu.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "kernel/tsc_math.h"

#define LAPIC_DEFAULT_BASE 0xFEE00000ul
#define APIC_BASE_ENABLE (1ul << 11)
#define APIC_BASE_X2APIC (1ul << 10)

#define REG_ID 0x020
#define REG_TPR 0x080
#define REG_EOI 0x0B0
#define REG_IRR 0x200
#define REG_SVR 0x0F0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3E0

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)
#define TIMER_DIV_16 0x3
#define CALIBRATION_NS 10000000ull

static bool x2apic;
static volatile uint32_t *mmio;
static enum lapic_timer_mode timer_mode;
static uint8_t timer_vector;
static struct tsc_conv apic_ticks; /* ns -> APIC timer ticks */

static uint32_t lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return mmio[reg / 4];
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + (reg >> 4), v);
	else
		mmio[reg / 4] = v;
}

bool lapic_is_x2apic(void)
{
	return x2apic;
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(REG_ID);
	return x2apic ? id : id >> 24;
}

/* Any interrupt requested and not yet taken: a bit in IRR (vectors 32..255). */
bool lapic_irq_pending(void)
{
	for (uint32_t i = 1; i < 8; i++)
		if (lapic_read(REG_IRR + i * 0x10))
			return true;
	return false;
}

void lapic_eoi(void)
{
	lapic_write(REG_EOI, 0);
}

/* APIC timer ticks per second, measured against the TSC clock. */
static uint64_t calibrate_apic_timer(void)
{
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
	lapic_write(REG_TIMER_INIT, 0xffffffff);
	clock_spin_ns(CALIBRATION_NS);
	uint32_t elapsed = 0xffffffff - lapic_read(REG_TIMER_CUR);
	lapic_write(REG_TIMER_INIT, 0);
	return (uint64_t)elapsed * (1000000000ull / CALIBRATION_NS);
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	pic_disable();
	x2apic = cpu_features.x2apic;
	if (x2apic) {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
	} else {
		uint64_t pa = base & ~0xffful;
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
		mmio = ioremap(pa ? pa : LAPIC_DEFAULT_BASE, PAGE_SIZE);
	}
	lapic_write(REG_TPR, 0);
	lapic_write(REG_SVR, SVR_ENABLE | 0xFF);

	if (cpu_features.tsc_deadline) {
		timer_mode = LAPIC_TIMER_TSC_DEADLINE;
	} else {
		timer_mode = LAPIC_TIMER_ONESHOT;
		/* ticks = ns * hz / 1e9, precomputed as a multiply and shift. */
		uint64_t hz = calibrate_apic_timer();
		if (hz == 0 || tsc_conv_init(&apic_ticks, hz) != 0)
			panic("lapic: timer calibration failed (%lu Hz)", hz);
	}
}

enum lapic_timer_mode lapic_timer_mode(void)
{
	return timer_mode;
}

const char *lapic_timer_mode_name(void)
{
	return timer_mode == LAPIC_TIMER_TSC_DEADLINE ? "tsc-deadline" : "one-shot";
}

void lapic_timer_set_vector(uint8_t vector)
{
	timer_vector = vector;
	if (timer_mode == LAPIC_TIMER_TSC_DEADLINE)
		lapic_write(REG_LVT_TIMER, vector | LVT_TSC_DEADLINE);
	else
		lapic_write(REG_LVT_TIMER, vector);
}

void lapic_timer_oneshot_ns(uint64_t ns)
{
	if (timer_mode == LAPIC_TIMER_TSC_DEADLINE) {
		wrmsr(MSR_TSC_DEADLINE, rdtsc() + clock_ns_to_tsc(ns));
		return;
	}
	uint64_t ticks = tsc_ns_to_cycles(&apic_ticks, ns);
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffff)
		ticks = 0xffffffff;
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
	lapic_write(REG_TIMER_INIT, (uint32_t)ticks);
}

void lapic_timer_stop(void)
{
	if (timer_mode == LAPIC_TIMER_TSC_DEADLINE)
		wrmsr(MSR_TSC_DEADLINE, 0);
	else
		lapic_write(REG_TIMER_INIT, 0);
}
