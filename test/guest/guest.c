/* The in-guest test framework (guest.h). */
#include "guest.h"

#include "kernel/cpio.h"
#include "sys/ipc.h"
#include "tern/caps.h"

#define DEBUG_EXIT_PORT 0xf4
#define EXIT_SUCCESS_CODE 0x10
#define EXIT_FAILURE_CODE 0x11
#define THREAD_AREA 0x500000000000ul
#define THREAD_STACK_PAGES 4
#define THREAD_STRIDE (64ul << 10)

struct tern_slot_alloc guest_slots = { TERN_SLOT_FIRST_FREE, 1u << TERN_ROOT_CNODE_RADIX };
const struct tern_bootinfo *guest_bootinfo = (const struct tern_bootinfo *)TERN_BOOTINFO_VADDR;
static unsigned thread_count;

void guest_exit(int ok)
{
	tern_ioport_out(TERN_SLOT_IOPORT, DEBUG_EXIT_PORT, 4,
			ok ? EXIT_SUCCESS_CODE : EXIT_FAILURE_CODE);
	for (;;)
		tern_yield();
}

void guest_run(const char *suite, const struct guest_case *cases, size_t n)
{
	unsigned passed = 0, failed = 0;

	for (size_t i = 0; i < n; i++) {
		int r = cases[i].fn();
		tern_printf("GUEST %s.%s: %s\n", suite, cases[i].name, r == 0 ? "PASS" : "FAIL");
		if (r == 0)
			passed++;
		else
			failed++;
	}
	tern_printf("GUEST %s: %u passed, %u failed\n", suite, passed, failed);
	guest_exit(failed == 0);
}

uint64_t guest_slot(void)
{
	return tern_slot_alloc(&guest_slots);
}

uint64_t guest_create(uint64_t type, uint64_t size)
{
	uint64_t s = guest_slot();

	if (!s ||
	    tern_quota_create(TERN_SLOT_QUOTA, type, size, TERN_SLOT_CNODE, s, 64) != TERN_EOK)
		return 0;
	return s;
}

const void *guest_initrd_file(const char *path, size_t *size)
{
	struct cpio_entry e;

	if (cpio_find((const void *)guest_bootinfo->initrd_vaddr, guest_bootinfo->initrd_size, path,
		      &e) != 1)
		return NULL;
	*size = e.size;
	return e.data;
}

int guest_spawn(const char *path, uint64_t arg, tern_cptr_t arg_cap, uint64_t priority,
		struct tern_task *task)
{
	return guest_spawn_faults(path, arg, arg_cap, 0, priority, task);
}

void guest_bench_report(const char *name, uint64_t cycles, uint64_t iters)
{
	uint64_t hz = guest_bootinfo->tsc_hz;
	/* ns = cycles * 1e9 / hz, in two steps to avoid overflow. */
	uint64_t total_ns = cycles / hz * 1000000000ull + cycles % hz * 1000000000ull / hz;
	uint64_t per_x10 = total_ns * 10 / iters;

	tern_printf("BENCH %s %lu %lu %lu.%lu\n", name, iters, total_ns, per_x10 / 10,
		    per_x10 % 10);
}

int guest_spawn_faults(const char *path, uint64_t arg, tern_cptr_t arg_cap, tern_cptr_t fault_ep,
		       uint64_t priority, struct tern_task *task)
{
	size_t size;
	const void *image = guest_initrd_file(path, &size);

	if (!image)
		return -1;
	struct tern_spawn_args a = {
		.image = image,
		.image_size = size,
		.quota = TERN_SLOT_QUOTA,
		.cnode = TERN_SLOT_CNODE,
		.cnode_depth = 64,
		.slots = &guest_slots,
		.vspace = TERN_SLOT_VSPACE,
		.priority = priority,
		.arg = arg,
		.arg_cap = arg_cap,
		.fault_ep = fault_ep,
	};
	return tern_spawn(&a, task);
}

int guest_give(struct tern_task *task, uint64_t slot, tern_cptr_t cap)
{
	return tern_cnode_copy(task->cspace, slot, 64, cap, 64, TERN_RIGHTS_ALL);
}

uint64_t guest_thread(void (*fn)(uint64_t), uint64_t arg, uint64_t priority)
{
	return guest_thread_faults(fn, arg, priority, 0);
}

uint64_t guest_thread_faults(void (*fn)(uint64_t), uint64_t arg, uint64_t priority,
			     tern_cptr_t fault_ep)
{
	uint64_t base = THREAD_AREA + thread_count++ * THREAD_STRIDE;
	uint64_t tcb = guest_create(TERN_CAP_TCB, 0);
	uint64_t stack = guest_create(TERN_CAP_MEMOBJ, THREAD_STACK_PAGES);
	uint64_t ipcbuf = guest_create(TERN_CAP_MEMOBJ, 1);

	if (!tcb || !stack || !ipcbuf)
		return 0;
	uint64_t ipc_va = base, stack_va = base + 0x2000;
	if (tern_vspace_map(TERN_SLOT_VSPACE, ipc_va, ipcbuf, 0, 1,
			    TERN_RIGHT_READ | TERN_RIGHT_WRITE) ||
	    tern_vspace_map(TERN_SLOT_VSPACE, stack_va, stack, 0, THREAD_STACK_PAGES,
			    TERN_RIGHT_READ | TERN_RIGHT_WRITE) ||
	    tern_tcb_configure(tcb, fault_ep, ipc_va, TERN_SLOT_CNODE, TERN_SLOT_VSPACE, ipcbuf) ||
	    tern_tcb_set_priority(tcb, priority))
		return 0;
	struct tern_regs r = { 0 };
	r.rip = (uint64_t)fn;
	r.rsp = stack_va + THREAD_STACK_PAGES * 4096 - 8;
	r.rdi = arg;
	r.gs_base = ipc_va; /* libsys finds the thread's IPC buffer through %gs */
	if (tern_tcb_write_registers(tcb, 1, &r))
		return 0;
	return tcb;
}

uint64_t guest_quota_used(void)
{
	uint64_t used = 0, limit = 0;

	tern_quota_query(TERN_SLOT_QUOTA, &used, &limit);
	return used;
}
