/* The in-guest test framework (guest.h). */
#include "guest.h"

#include "common/cpio.h"
#include "sys/ipc.h"
#include "tern/caps.h"

#define DEBUG_EXIT_PORT 0xf4
#define EXIT_SUCCESS_CODE 0x10
#define EXIT_FAILURE_CODE 0x11
/* What tern_spawn may take: CNode, VSpace, TCB, stack, IPC buffer, segments. */
#define SPAWN_SLOTS (5 + ELF_MAX_SEGMENTS)

const struct tern_bootinfo *guest_bootinfo = (const struct tern_bootinfo *)TERN_BOOTINFO_VADDR;

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
	return tern_slot_get();
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

int guest_spawn_args(const char *path, struct tern_spawn_args *a, struct tern_task *task)
{
	size_t size;
	const void *image = guest_initrd_file(path, &size);
	struct tern_slot_alloc slots;

	if (!image || tern_slots_reserve(SPAWN_SLOTS, &slots))
		return -1;
	a->image = image;
	a->image_size = size;
	a->quota = TERN_SLOT_QUOTA;
	a->cnode = TERN_SLOT_CNODE;
	a->cnode_depth = 64;
	a->slots = &slots;
	a->vspace = TERN_SLOT_VSPACE;
	return tern_spawn(a, task);
}

int guest_spawn_faults(const char *path, uint64_t arg, tern_cptr_t arg_cap, tern_cptr_t fault_ep,
		       uint64_t priority, struct tern_task *task)
{
	struct tern_spawn_args a = {
		.priority = priority, .arg = arg, .arg_cap = arg_cap, .fault_ep = fault_ep
	};
	return guest_spawn_args(path, &a, task);
}

int guest_give(struct tern_task *task, uint64_t slot, tern_cptr_t cap)
{
	return tern_cnode_copy(task->cspace, slot, 64, cap, 64, TERN_RIGHTS_ALL);
}

struct guest_thread_start {
	void (*fn)(uint64_t);
	uint64_t arg;
};

static void guest_thread_entry(void *p)
{
	struct guest_thread_start st = *(struct guest_thread_start *)p;

	free(p);
	st.fn(st.arg);
}

uint64_t guest_thread(void (*fn)(uint64_t), uint64_t arg, uint64_t priority)
{
	return guest_thread_faults(fn, arg, priority, 0);
}

uint64_t guest_thread_faults(void (*fn)(uint64_t), uint64_t arg, uint64_t priority,
			     tern_cptr_t fault_ep)
{
	struct guest_thread_start *st = malloc(sizeof(*st));
	struct tern_thread *t;

	if (!st)
		return 0;
	*st = (struct guest_thread_start){ fn, arg };
	struct tern_thread_args a = {
		.fn = guest_thread_entry, .arg = st, .priority = priority, .fault_ep = fault_ep
	};
	if (tern_thread_create(&a, &t)) {
		free(st);
		return 0;
	}
	return t->tcb;
}

uint64_t guest_quota_used(void)
{
	uint64_t used = 0, limit = 0;

	tern_quota_query(TERN_SLOT_QUOTA, &used, &limit);
	return used;
}

uint64_t guest_frames(void)
{
	uint64_t out[4] = { 0 };

	if (tern_debug_query(TERN_DEBUG_QUERY_FRAMES, 0, out) != TERN_EOK)
		return 0;
	return out[0] + out[1];
}

void guest_print_irqoff(const char *suite)
{
	uint64_t out[4] = { 0 };

	if (tern_debug_query(TERN_DEBUG_QUERY_IRQ_OFF, 0, out) != TERN_EOK) {
		tern_printf("%s: interrupts-off stretches not measured (boot with irqoff_stats)\n",
			    suite);
		return;
	}
	tern_printf("%s: longest interrupts-off stretch since boot %lu ns, %lu stretches, "
		    "%lu preemptions\n",
		    suite, out[0] * 1000 / (guest_bootinfo->tsc_hz / 1000000), out[1], out[2]);
}
