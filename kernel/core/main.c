/*
 * kmain: the boot sequence after boot.S has entered long mode.
 *
 * Order matters: the console first (so everything after can complain),
 * then CPU features and traps (so a fault prints a frame), the boot
 * information (copied out before its memory can be reused), physical
 * memory and paging, the heap, then ACPI, time, interrupts and randomness.
 */
#include <stdint.h>

#include "apic/apic.h"
#include "arch/acpi.h"
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/trap.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/machine.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/personality.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/roottask.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/selftest.h"
#include "common/string.h"
#include "kernel/time.h"
#include "serial/uart16550.h"

#define MB1_LOADER_MAGIC 0x2BADB002u
#define MB2_LOADER_MAGIC 0x36D76289u
#define BOOT_MAPPED_LIMIT (1ul << 30)
#define MB2_INFO_MAX (1ul << 20)

static struct boot_info boot_info;

/* Boot phase timers: the TSC at the end of each phase, printed with the
 * banner so a slow phase shows up without a debugger. */
enum boot_phase {
	PHASE_EARLY,
	PHASE_MEMORY,
	PHASE_ACPI,
	PHASE_TIME,
	PHASE_APIC,
	PHASE_RANDOM,
	N_PHASES
};
static const char *const phase_names[N_PHASES] = { "early", "memory", "acpi",
						   "time",  "apic",   "random" };
static uint64_t phase_end_tsc[N_PHASES];

static void phase_done(enum boot_phase p)
{
	phase_end_tsc[p] = rdtsc();
}

static void print_phases(void)
{
	uint64_t prev = kclock.tsc_base;

	printk(KERN_INFO "boot phases (ns):");
	for (int i = 0; i < N_PHASES; i++) {
		printk(" %s %lu", phase_names[i],
		       tsc_cycles_to_ns(&kclock.conv, phase_end_tsc[i] - prev));
		prev = phase_end_tsc[i];
	}
	printk("\n");
}

/* Multiboot1 hands out physical pointers; boot.S maps the first 1 GiB. */
static const void *boot_phys_read(uint64_t pa, size_t len)
{
	if (pa + len < pa || pa + len > BOOT_MAPPED_LIMIT)
		return NULL;
	return phys_to_virt(pa);
}

static void parse_boot_info(uint32_t magic, uint64_t info_pa)
{
	int err;

	if (magic == MB2_LOADER_MAGIC) {
		const uint32_t *hdr = boot_phys_read(info_pa, 8);
		if (!hdr)
			panic("boot: multiboot2 info at %lx is not mapped", info_pa);
		size_t len = hdr[0] < MB2_INFO_MAX ? hdr[0] : MB2_INFO_MAX;
		if (!boot_phys_read(info_pa, len))
			panic("boot: multiboot2 info at %lx runs past the boot map", info_pa);
		err = multiboot2_parse(hdr, len, &boot_info);
		boot_info.info_start = info_pa;
		boot_info.info_end = info_pa + len;
	} else if (magic == MB1_LOADER_MAGIC) {
		err = multiboot1_parse(info_pa, boot_phys_read, &boot_info);
	} else {
		panic("boot: unknown loader magic %x (not multiboot1 or multiboot2)", magic);
	}
	if (err)
		panic("boot: malformed multiboot%u information (error %d)",
		      magic == MB2_LOADER_MAGIC ? 2 : 1, err);
}

const struct boot_info *boot_info_get(void)
{
	return &boot_info;
}

const struct boot_module *boot_module_find(const char *name)
{
	for (size_t i = 0; i < boot_info.n_modules; i++)
		if (!name || strcmp(boot_info.modules[i].name, name) == 0)
			return &boot_info.modules[i];
	return NULL;
}

static void print_banner(void)
{
	uint64_t banner_tsc = rdtsc();
	uint64_t hz = kclock.conv.tsc_hz;
	const struct cpu_features *f = &cpu_features;

	printk(KERN_NOTICE "tern microkernel 0.1 (x86-64)\n");
	printk(KERN_INFO "boot: %s via multiboot%u, cmdline \"%s\"\n",
	       boot_info.loader_name[0] ? boot_info.loader_name : "loader", boot_info.loader,
	       boot_info.cmdline);
	printk(KERN_INFO "memory: %lu MiB usable, %lu MiB free, %zu modules\n",
	       pmm_usable_bytes() >> 20, (pmm_free_pages() * PAGE_SIZE) >> 20, boot_info.n_modules);
	printk(KERN_INFO "cpu: %s%s%s, nx=%d pdpe1gb=%d pcid=%d smep=%d smap=%d umip=%d x2apic=%d "
			 "tsc-deadline=%d\n",
	       f->vendor, f->hypervisor_present ? " under " : "", f->hypervisor, f->nx, f->pdpe1gb,
	       f->pcid, f->smep, f->smap, f->umip, f->x2apic, f->tsc_deadline);
	printk(KERN_INFO "tsc: %lu.%03lu MHz (%s)\n", hz / 1000000, (hz / 1000) % 1000,
	       tsc_source_name(kclock.source));
	printk(KERN_INFO "apic: %s, timer %s, %u cpu(s) in MADT\n",
	       lapic_is_x2apic() ? "x2apic" : "xapic", lapic_timer_mode_name(), acpi_madt.n_cpus);
	printk(KERN_INFO "random: crng seeded from %s\n", random_source_name(random_seed_source()));
	uint64_t cycles = banner_tsc - kclock.tsc_base;
	printk(KERN_INFO "boot: %lu ns from kernel entry to banner (%lu TSC cycles)\n",
	       tsc_cycles_to_ns(&kclock.conv, cycles), cycles);
	print_phases();
}

/* console=ttyS<N>: move the console to that port (ttyS0 is already up). */
static void console_select(int serial)
{
	static const uint16_t ports[] = { UART_COM1, 0x2f8, 0x3e8, 0x2e8 };

	if (serial > 0 && serial < (int)(sizeof(ports) / sizeof(ports[0])))
		uart_init(ports[serial]);
}

void kmain(uint32_t magic, uint64_t info_pa);

void kmain(uint32_t magic, uint64_t info_pa)
{
	uart_init(UART_COM1);
	cpu_features_detect();
	gdt_init();
	trap_init();

	parse_boot_info(magic, info_pa);
	cmdline_set(boot_info.cmdline);
	console_select(kernel_params()->console_serial);
	phase_done(PHASE_EARLY);

	pmm_init(&boot_info);
	paging_init(mm_phys_limit());
	pmm_start();
	kheap_setup();
	phase_done(PHASE_MEMORY);

	acpi_init();
	phase_done(PHASE_ACPI);
	time_init();
	phase_done(PHASE_TIME);
	lapic_init();
	ioapic_init(acpi_madt.ioapic_base, acpi_madt.ioapic_gsi_base);
	phase_done(PHASE_APIC);
	random_init();
	phase_done(PHASE_RANDOM);

	print_banner();

	int failed = selftests_run();
	if (failed >= 0)
		machine_exit(failed ? MACHINE_EXIT_FAILURE : MACHINE_EXIT_SUCCESS);
	if (kernel_params()->exit)
		machine_exit(MACHINE_EXIT_SUCCESS);

	fpu_init();
	syscall_init();
	irqoff_init();
	sched_init();
	personality_init();
	roottask_start();
	kernel_exit();
}
