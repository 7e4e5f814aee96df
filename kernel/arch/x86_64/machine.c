/*
 * Leaving the machine. Under QEMU the isa-debug-exit device at port 0xf4
 * ends the emulator with a status the test harness checks. The device
 * cannot be discovered, so the port is written first; a machine still
 * running afterwards has none, and then success powers off through ACPI
 * (S5) and failure follows panic=: halt (0, the default, as Linux), reset
 * after N seconds or at once (< 0). A reset tries the FADT reset
 * register, the keyboard controller, then a triple fault; under QEMU
 * -no-reboot any of them ends QEMU.
 */
#include "kernel/machine.h"

#include "arch/acpi.h"
#include "arch/cpu.h"
#include "arch/io.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define ISA_DEBUG_EXIT_PORT 0xf4
#define KBC_STATUS 0x64
#define KBC_COMMAND 0x64
#define KBC_INPUT_FULL 0x02
#define KBC_PULSE_RESET 0xfe
#define RESET_SETTLE_NS 100000000ul /* 100 ms for a reset to take effect */

static void settle(void)
{
	if (kclock.conv.tsc_hz)
		clock_spin_ns(RESET_SETTLE_NS);
	else
		for (int i = 0; i < 10000000; i++)
			cpu_relax();
}

static void __noreturn triple_fault(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	__asm__ volatile("lidt %0\n\tint3" ::"m"(no_idt));
	for (;;)
		cpu_halt();
}

void machine_reset(void)
{
	irq_disable();
	if (acpi_power.reset) {
		printk(KERN_NOTICE "machine: reset through the FADT reset register (port 0x%x)\n",
		       acpi_power.reset_port);
		acpi_reset();
		settle();
	}
	printk(KERN_NOTICE "machine: reset through the keyboard controller\n");
	for (int i = 0; i < 100000 && (inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
		cpu_relax();
	outb(KBC_COMMAND, KBC_PULSE_RESET);
	settle();
	printk(KERN_ERR "machine: still running; reset by triple fault\n");
	triple_fault();
}

void machine_power_off(void)
{
	irq_disable();
	acpi_power_off();
	printk(KERN_ERR "machine: power-off failed; resetting instead\n");
	machine_reset();
}

static void __noreturn stop_after_failure(void)
{
	int t = kernel_params()->panic_timeout;

	if (t == 0) {
		printk(KERN_EMERG "machine: halted (panic=0; panic=N resets after N s, "
				  "panic=-1 at once)\n");
		for (;;)
			cpu_halt();
	}
	if (t > 0) {
		printk(KERN_EMERG "machine: resetting in %d s (panic=%d)\n", t, t);
		if (kclock.conv.tsc_hz)
			clock_spin_ns((uint64_t)t * 1000000000ul);
	} else {
		printk(KERN_EMERG "machine: resetting (panic=%d)\n", t);
	}
	machine_reset();
}

void machine_exit(unsigned code)
{
	irq_disable();
	if (cpu_features.hypervisor_present)
		outl(ISA_DEBUG_EXIT_PORT, code);
	if (code == MACHINE_EXIT_SUCCESS)
		machine_power_off();
	stop_after_failure();
}
