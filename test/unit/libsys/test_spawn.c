/*
 * tern_spawn against a model kernel that keeps objects per slot, MemObj
 * contents, the child's mappings and CNode, and the TCB's state. Checks a
 * full spawn (contents, rights, layout, registers, order), W^X and layout
 * rejections, running out of slots, and a failure injected at every call
 * in turn: each must leave no object behind and no scratch mapping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/spawn.h>
#include <tern/invocation.h>

#include "fake_kernel.h"

#define ROOT_CNODE 2
#define ROOT_VSPACE 3
#define QUOTA 4
#define FAULT_EP 8
#define ARG_EP 9
#define FIRST_SLOT 100
#define NSLOTS 4096
#define PAGE 4096
#define SCRATCH_PAGES 16
#define IMG_SIZE 0x3110

struct obj {
	bool live;
	uint64_t type;
	uint64_t size;
	uint8_t *data; /* MemObj contents */
};

struct mapping {
	uint64_t vaddr, pages, rights;
	tern_cptr_t memobj;
};

static struct model {
	struct obj objs[NSLOTS];
	struct mapping maps[32];
	unsigned nmaps;
	tern_cptr_t child_slots[1 << TERN_CHILD_CNODE_RADIX];
	bool scratch_mapped;
	tern_cptr_t scratch_obj;
	uint64_t scratch_pages;
	bool configured;
	uint64_t cfg_fault_ep, cfg_ipc_vaddr;
	tern_cptr_t cfg_caps[3];
	struct tern_regs regs;
	bool regs_written, resumed;
	uint64_t priority;
	tern_cptr_t deleted[64];
	unsigned ndeleted;
	unsigned calls, fail_at;
} m;

static uint8_t *scratch;
static uint8_t image[IMG_SIZE];

static void model_reset(unsigned fail_at)
{
	for (unsigned i = 0; i < NSLOTS; i++)
		free(m.objs[i].data);
	memset(&m, 0, sizeof(m));
	m.fail_at = fail_at;
	memset(scratch, 0xee, SCRATCH_PAGES * PAGE);
}

static struct obj *live_obj(tern_cptr_t c, uint64_t type)
{
	assert_true(c < NSLOTS);
	assert_true(m.objs[c].live);
	assert_int_equal(m.objs[c].type, type);
	return &m.objs[c];
}

static uint64_t do_create(const struct fake_call *c)
{
	struct obj *o;

	assert_int_equal(c->in.rdi, QUOTA);
	assert_int_equal(c->words[2], ROOT_CNODE);
	assert_int_equal(c->words[4], 64);
	assert_true(c->words[3] >= FIRST_SLOT && c->words[3] < NSLOTS);
	o = &m.objs[c->words[3]];
	if (o->live)
		return TERN_EDELETE_FIRST;
	o->live = true;
	o->type = c->words[0];
	o->size = c->words[1];
	if (o->type == TERN_CAP_MEMOBJ)
		o->data = calloc(o->size, PAGE);
	return TERN_EOK;
}

static uint64_t do_map(const struct fake_call *c)
{
	struct obj *mo = live_obj(c->caps[0], TERN_CAP_MEMOBJ);
	uint64_t vaddr = c->words[0], pages = c->words[2];

	assert_int_equal(c->ncaps, 1);
	assert_int_equal(c->words[1], 0);
	assert_int_equal(vaddr % PAGE, 0);
	assert_true(pages <= mo->size);
	if (c->in.rdi == ROOT_VSPACE) {
		assert_ptr_equal((void *)(uintptr_t)vaddr, scratch);
		assert_false(m.scratch_mapped);
		assert_true(pages <= SCRATCH_PAGES);
		memcpy(scratch, mo->data, pages * PAGE);
		m.scratch_mapped = true;
		m.scratch_obj = c->caps[0];
		m.scratch_pages = pages;
		return TERN_EOK;
	}
	live_obj(c->in.rdi, TERN_CAP_VSPACE);
	assert_false((c->words[3] & TERN_RIGHT_WRITE) && (c->words[3] & TERN_RIGHT_EXEC));
	m.maps[m.nmaps++] = (struct mapping){ vaddr, pages, c->words[3], c->caps[0] };
	return TERN_EOK;
}

static uint64_t do_unmap(const struct fake_call *c)
{
	assert_int_equal(c->in.rdi, ROOT_VSPACE);
	assert_true(m.scratch_mapped);
	assert_ptr_equal((void *)(uintptr_t)c->words[0], scratch);
	assert_int_equal(c->words[1], m.scratch_pages);
	memcpy(m.objs[m.scratch_obj].data, scratch, m.scratch_pages * PAGE);
	m.scratch_mapped = false;
	return TERN_EOK;
}

static uint64_t do_copy(const struct fake_call *c)
{
	live_obj(c->in.rdi, TERN_CAP_CNODE);
	assert_int_equal(c->ncaps, 1);
	assert_int_equal(c->caps[0], ROOT_CNODE);
	assert_int_equal(c->words[1], 64);
	assert_int_equal(c->words[3], 64);
	assert_true(c->words[0] < (1u << TERN_CHILD_CNODE_RADIX));
	if (m.child_slots[c->words[0]])
		return TERN_EDELETE_FIRST;
	m.child_slots[c->words[0]] = c->words[2];
	return TERN_EOK;
}

static uint64_t do_tcb(const struct fake_call *c)
{
	live_obj(c->in.rdi, TERN_CAP_TCB);
	switch (c->label) {
	case TERN_INV_TCB_CONFIGURE:
		assert_int_equal(c->ncaps, 3);
		m.configured = true;
		m.cfg_fault_ep = c->words[0];
		m.cfg_ipc_vaddr = c->words[1];
		assert_int_equal(c->length, 3);
		assert_int_equal(c->words[2], 0); /* the IPC MemObj's page 0 */
		memcpy(m.cfg_caps, c->caps, sizeof(m.cfg_caps));
		break;
	case TERN_INV_TCB_WRITE_REGISTERS:
		assert_int_equal(c->length, 24);
		assert_int_equal(c->words[0], 0);
		memcpy(&m.regs, &c->words[4], sizeof(m.regs));
		m.regs_written = true;
		break;
	case TERN_INV_TCB_SET_PRIORITY:
		m.priority = c->words[0];
		break;
	case TERN_INV_TCB_RESUME:
		assert_true(m.configured && m.regs_written);
		m.resumed = true;
		break;
	default:
		fail_msg("unexpected TCB invocation %lu", (unsigned long)c->label);
	}
	return TERN_EOK;
}

static uint64_t do_delete(const struct fake_call *c)
{
	struct obj *o;

	assert_int_equal(c->in.rdi, ROOT_CNODE);
	assert_int_equal(c->words[1], 64);
	o = &m.objs[c->words[0]];
	if (!o->live)
		return TERN_EFAILED_LOOKUP;
	if (c->label == TERN_INV_CNODE_REVOKE)
		return TERN_EOK;
	if (m.scratch_mapped && m.scratch_obj == c->words[0])
		m.scratch_mapped = false; /* deleting the last cap unmaps */
	free(o->data);
	memset(o, 0, sizeof(*o));
	m.deleted[m.ndeleted++] = c->words[0];
	return TERN_EOK;
}

static uint64_t model_kernel(const struct fake_call *c, struct tern_sysregs *r)
{
	(void)r;
	assert_int_equal(c->num, TERN_SYS_CALL);
	if (m.calls++ == m.fail_at)
		return TERN_ENOT_ENOUGH_MEMORY;
	switch (c->label) {
	case TERN_INV_QUOTA_CREATE:
		return do_create(c);
	case TERN_INV_VSPACE_MAP:
		return do_map(c);
	case TERN_INV_VSPACE_UNMAP:
		return do_unmap(c);
	case TERN_INV_CNODE_COPY:
		return do_copy(c);
	case TERN_INV_CNODE_REVOKE:
	case TERN_INV_CNODE_DELETE:
		return do_delete(c);
	default:
		return do_tcb(c);
	}
}

static void put_phdr(unsigned i, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t filesz,
		     uint64_t memsz)
{
	Elf64_Phdr ph = { ELF_PT_LOAD, flags, off, vaddr, vaddr, filesz, memsz, PAGE };

	memcpy(image + 64 + i * sizeof(ph), &ph, sizeof(ph));
}

/* text RX (two pages, file offset 0), rodata R, data RW with .bss. */
static void make_image(void)
{
	Elf64_Ehdr eh = { .e_type = ELF_ET_EXEC,
			  .e_machine = ELF_EM_X86_64,
			  .e_version = 1,
			  .e_entry = 0x400100,
			  .e_phoff = 64,
			  .e_ehsize = 64,
			  .e_phentsize = sizeof(Elf64_Phdr),
			  .e_phnum = 3 };

	memcpy(eh.e_ident,
	       "\x7f"
	       "ELF\x02\x01\x01",
	       7);
	for (unsigned i = 0; i < IMG_SIZE; i++)
		image[i] = (uint8_t)(i * 7 + 1);
	memcpy(image, &eh, sizeof(eh));
	put_phdr(0, ELF_PF_R | ELF_PF_X, 0, 0x400000, 0x1800, 0x1800);
	put_phdr(1, ELF_PF_R, 0x2000, 0x402000, 0x300, 0x300);
	put_phdr(2, ELF_PF_R | ELF_PF_W, 0x3010, 0x403010, 0x100, 0x5000);
}

static struct tern_slot_alloc slots;

static struct tern_spawn_args args(void)
{
	slots = (struct tern_slot_alloc){ FIRST_SLOT, NSLOTS };
	return (struct tern_spawn_args){ .image = image,
					 .image_size = IMG_SIZE,
					 .quota = QUOTA,
					 .cnode = ROOT_CNODE,
					 .slots = &slots,
					 .vspace = ROOT_VSPACE,
					 .scratch_vaddr = (uint64_t)(uintptr_t)scratch,
					 .priority = 50,
					 .arg = 0x1234,
					 .arg_cap = ARG_EP,
					 .fault_ep = FAULT_EP,
					 .child_quota = QUOTA };
}

static const struct mapping *mapping_at(uint64_t vaddr)
{
	for (unsigned i = 0; i < m.nmaps; i++)
		if (m.maps[i].vaddr == vaddr)
			return &m.maps[i];
	fail_msg("nothing mapped at %#lx", (unsigned long)vaddr);
	return NULL;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void check_segment(uint64_t vaddr, uint64_t rights, uint64_t pages, uint64_t off,
			  uint64_t filesz)
{
	const struct mapping *map = mapping_at(vaddr & ~(uint64_t)(PAGE - 1));
	const uint8_t *data = live_obj(map->memobj, TERN_CAP_MEMOBJ)->data;
	uint64_t in_page = vaddr % PAGE;

	assert_int_equal(map->rights, rights);
	assert_int_equal(map->pages, pages);
	assert_true(all_zero(data, in_page));
	assert_memory_equal(data + in_page, image + off, filesz);
	assert_true(all_zero(data + in_page + filesz, pages * PAGE - in_page - filesz));
}

static void test_spawn_ok(void **state)
{
	struct tern_spawn_args a = args();
	struct tern_task t;
	const struct mapping *stack, *ipc;

	(void)state;
	model_reset(~0u);
	assert_int_equal(tern_spawn(&a, &t), 0);
	assert_int_equal(t.entry, 0x400100);
	assert_int_equal(t.nsegments, 3);
	assert_int_equal(live_obj(t.cspace, TERN_CAP_CNODE)->size, TERN_CHILD_CNODE_RADIX);
	live_obj(t.vspace, TERN_CAP_VSPACE);
	live_obj(t.tcb, TERN_CAP_TCB);
	check_segment(0x400000, TERN_RIGHT_READ | TERN_RIGHT_EXEC, 2, 0, 0x1800);
	check_segment(0x402000, TERN_RIGHT_READ, 1, 0x2000, 0x300);
	check_segment(0x403010, TERN_RIGHT_READ | TERN_RIGHT_WRITE, 6, 0x3010, 0x100);

	stack = mapping_at(TERN_CHILD_STACK_TOP - TERN_CHILD_STACK_SIZE);
	assert_int_equal(stack->pages, TERN_CHILD_STACK_SIZE / PAGE);
	assert_int_equal(stack->rights, TERN_RIGHT_READ | TERN_RIGHT_WRITE);
	assert_int_equal(stack->memobj, t.stack);
	ipc = mapping_at(TERN_CHILD_IPC_BUFFER);
	assert_int_equal(ipc->pages, 1);
	assert_int_equal(ipc->memobj, t.ipc_buffer);
	assert_int_equal(m.nmaps, 5);
	assert_false(m.scratch_mapped);

	assert_int_equal(m.child_slots[TERN_CHILD_SLOT_TCB], t.tcb);
	assert_int_equal(m.child_slots[TERN_CHILD_SLOT_CNODE], t.cspace);
	assert_int_equal(m.child_slots[TERN_CHILD_SLOT_VSPACE], t.vspace);
	assert_int_equal(m.child_slots[TERN_CHILD_SLOT_FAULT_EP], FAULT_EP);
	assert_int_equal(m.child_slots[TERN_CHILD_SLOT_ARG_CAP], ARG_EP);
	assert_int_equal(m.child_slots[TERN_CHILD_SLOT_QUOTA], QUOTA);

	assert_true(m.configured);
	assert_int_equal(m.cfg_fault_ep, TERN_CHILD_SLOT_FAULT_EP);
	assert_int_equal(m.cfg_ipc_vaddr, TERN_CHILD_IPC_BUFFER);
	assert_int_equal(m.cfg_caps[0], t.cspace);
	assert_int_equal(m.cfg_caps[1], t.vspace);
	assert_int_equal(m.cfg_caps[2], t.ipc_buffer);
	assert_int_equal(m.regs.rip, 0x400100);
	assert_int_equal(m.regs.rsp, TERN_CHILD_STACK_TOP);
	assert_int_equal(m.regs.rsp % 16, 0);
	assert_int_equal(m.regs.rdi, 0x1234);
	assert_int_equal(m.regs.rsi, TERN_CHILD_SLOT_TCB);
	assert_true(m.regs.rflags & 0x200);
	assert_int_equal(m.priority, 50);
	assert_true(m.resumed);

	/* Destroy: the TCB goes first, then everything else. */
	assert_int_equal(tern_task_destroy(&t), 0);
	assert_int_equal(m.ndeleted, 3 + 3 + 2);
	for (unsigned i = 0; i < NSLOTS; i++)
		assert_false(m.objs[i].live);
	assert_int_equal(t.tcb, 0);
	assert_int_equal(t.nsegments, 0);
}

static void test_destroy_tcb_first(void **state)
{
	struct tern_spawn_args a = args();
	struct tern_task t;
	tern_cptr_t tcb;

	(void)state;
	model_reset(~0u);
	assert_int_equal(tern_spawn(&a, &t), 0);
	tcb = t.tcb;
	tern_task_destroy(&t);
	assert_int_equal(m.deleted[0], tcb);
}

static void check_nothing_left(void)
{
	for (unsigned i = 0; i < NSLOTS; i++)
		if (m.objs[i].live)
			fail_msg("slot %u still holds an object", i);
	assert_false(m.scratch_mapped);
}

static void test_failure_at_every_call(void **state)
{
	struct tern_spawn_args a = args();
	struct tern_task t;
	unsigned total;

	(void)state;
	model_reset(~0u);
	assert_int_equal(tern_spawn(&a, &t), 0);
	total = m.calls;
	tern_task_destroy(&t);
	for (unsigned k = 0; k < total; k++) {
		a = args();
		model_reset(k);
		assert_int_equal(tern_spawn(&a, &t), TERN_ENOT_ENOUGH_MEMORY);
		check_nothing_left();
		assert_false(m.resumed);
	}
}

static void test_out_of_slots(void **state)
{
	struct tern_spawn_args a = args();
	struct tern_task t;

	(void)state;
	model_reset(~0u);
	slots.end = FIRST_SLOT + 4; /* CNode, VSpace, TCB, one segment */
	assert_int_equal(tern_spawn(&a, &t), TERN_SPAWN_ESLOTS);
	check_nothing_left();
}

static void test_rejections(void **state)
{
	struct tern_spawn_args a;
	struct tern_task t;
	(void)state;
	/* W and X together. */
	make_image();
	put_phdr(2, ELF_PF_R | ELF_PF_W | ELF_PF_X, 0x3010, 0x403010, 0x100, 0x5000);
	a = args();
	model_reset(~0u);
	assert_int_equal(tern_spawn(&a, &t), TERN_SPAWN_EWX);
	assert_int_equal(m.calls, 0);
	/* rodata sharing text's last page. */
	make_image();
	put_phdr(1, ELF_PF_R, 0x1800, 0x401800, 0x300, 0x300);
	a = args();
	assert_int_equal(tern_spawn(&a, &t), TERN_SPAWN_EPAGES);
	/* A segment reaching the stack. */
	make_image();
	put_phdr(2, ELF_PF_R | ELF_PF_W, 0x3010, TERN_CHILD_IMAGE_TOP - 0x1000 + 0x10, 0x100,
		 0x1000);
	a = args();
	assert_int_equal(tern_spawn(&a, &t), TERN_SPAWN_ELAYOUT);
	/* Position-independent images are not loaded yet. */
	make_image();
	image[16] = ELF_ET_DYN;
	a = args();
	assert_int_equal(tern_spawn(&a, &t), TERN_SPAWN_EDYN);
	/* A parser error comes back as it is. */
	make_image();
	image[0] = 0;
	a = args();
	assert_int_equal(tern_spawn(&a, &t), ELF_EBADMAGIC);
	assert_int_equal(m.calls, 0);
	make_image();
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(tern_spawn_strerror(0), "success");
	assert_string_equal(tern_spawn_strerror(TERN_ENOT_ENOUGH_MEMORY), "quota exhausted");
	assert_string_equal(tern_spawn_strerror(TERN_SPAWN_EWX),
			    "segment both writable and executable");
	assert_string_equal(tern_spawn_strerror(ELF_EBADMAGIC), "not an ELF file");
}

static int setup(void **state)
{
	(void)state;
	scratch = aligned_alloc(PAGE, SCRATCH_PAGES * PAGE);
	make_image();
	fake_reset(model_kernel);
	return scratch ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	model_reset(~0u);
	free(scratch);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn_ok),
		cmocka_unit_test(test_destroy_tcb_first),
		cmocka_unit_test(test_failure_at_every_call),
		cmocka_unit_test(test_out_of_slots),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
