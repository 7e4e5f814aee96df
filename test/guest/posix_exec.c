/*
 * guest.posix_exec: the proc and mm servers without the root task of the
 * Linux system (tern.root=bin/guest_posix_exec). This test plays the
 * root: it spawns mm and proc from the initrd with the caps root gives
 * them (the initrd doubles as the system archive: lib/libposix.elf is in
 * it) and checks PROC_START_INIT's refusals and proc's answers to a
 * badge that names no process. (Running pid 1 needs vfs and the console
 * too: the boot test posix.exec does that through the real root.)
 */
#include "common/cpio.h"
#include "common/string.h"
#include "guest.h"
#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/proto_proc.h"
#include "posix/status.h"

#define SPAWN_SLOTS 64
#define PRIORITY 150

static tern_cptr_t proc_ep, mm_ep, root_ep;

static tern_cptr_t mint(tern_cptr_t src, uint64_t badge)
{
	tern_cptr_t slot = guest_slot();

	if (!slot || tern_cnode_mint(TERN_SLOT_CNODE, slot, 64, src, 64, TERN_RIGHTS_ALL, badge))
		return 0;
	return slot;
}

static int spawn(const char *name, tern_cptr_t ep, const struct tern_spawn_cap *caps,
		 unsigned ncaps, uint64_t arg)
{
	const struct tern_bootinfo *bi = guest_bootinfo;
	struct cpio_entry e;
	struct tern_slot_alloc slots;
	struct tern_task task;
	tern_cptr_t quota = guest_slot();

	CHECK(cpio_find((const void *)bi->initrd_vaddr, bi->initrd_size, name, &e) == 1);
	CHECK(tern_slots_reserve(SPAWN_SLOTS, &slots) == 0);
	CHECK(quota && tern_quota_split(TERN_SLOT_QUOTA, 64ul << 20, TERN_SLOT_CNODE, quota, 64) ==
			       TERN_EOK);
	struct tern_spawn_args a = {
		.image = e.data,
		.image_size = e.size,
		.quota = TERN_SLOT_QUOTA,
		.cnode = TERN_SLOT_CNODE,
		.cnode_depth = 64,
		.slots = &slots,
		.vspace = TERN_SLOT_VSPACE,
		.priority = PRIORITY,
		.arg = arg,
		.arg_cap = ep,
		.fault_ep = root_ep,
		.child_quota = quota,
		.caps = caps,
		.ncaps = ncaps,
	};
	int err = tern_spawn(&a, &task);
	if (err)
		tern_printf("GUEST posix_exec: spawn %s: %s\n", name, tern_spawn_strerror(err));
	CHECK(err == 0);
	return 0;
}

static int start_servers(void)
{
	const struct tern_bootinfo *bi = guest_bootinfo;

	root_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	proc_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	mm_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	CHECK(root_ep && proc_ep && mm_ep);
	const struct tern_spawn_cap proc_caps[] = {
		{ .src = mm_ep, .slot = PROC_SLOT_MM_EP },
		{ .src = TERN_SLOT_INITRD, .slot = PROC_SLOT_SYSTEM },
		{ .src = TERN_SLOT_CLOCK, .slot = PROC_SLOT_CLOCK },
		{ .src = TERN_SLOT_INITRD, .slot = PROC_SLOT_INITRD },
	};
	CHECK(spawn("bin/mm", mm_ep, NULL, 0, 0) == 0);
	CHECK(spawn("bin/proc", proc_ep, proc_caps, 4, bi->initrd_size) == 0);
	return 0;
}

/* PROC_START_INIT with path and argv[0] = path; the status. */
static int start_init(tern_cptr_t ep, const char *path)
{
	static uint64_t msg[TERN_MSG_MAX_WORDS];
	struct proc_start_init_req *req = (struct proc_start_init_req *)msg;
	char *payload = (char *)&msg[PROC_EXEC_REQ_WORDS];
	size_t n = strlen(path) + 1;

	memset(msg, 0, sizeof(msg));
	memcpy(payload, path, n);
	memcpy(payload + n, path, n);
	req->e.path_len = n - 1;
	req->e.argc = 1;
	req->e.envc = 0;
	req->e.bytes = 2 * n;
	struct proc_start_init_resp resp;
	return tern_client_call(ep, PROC_START_INIT, msg,
				(unsigned)(PROC_EXEC_REQ_WORDS + (2 * n + 7) / 8), &resp,
				sizeof(resp) / 8);
}

static int test_refusals(void)
{
	tern_cptr_t root = mint(proc_ep, POSIX_BADGE_ROOT), other = mint(proc_ep, 77);

	CHECK(root && other);
	/* Only the root's badge may start init. */
	CHECK_EQ(start_init(other, "/linux/posix_test"), POSIX_STATUS(EPERM));
	CHECK_EQ(start_init(root, "/linux/nonexistent"), POSIX_STATUS(ENOENT));
	CHECK_EQ(start_init(root, "/linux/bad_machine"), POSIX_STATUS(ENOEXEC));
	CHECK_EQ(start_init(root, "/linux/bad_phoff"), POSIX_STATUS(ENOEXEC));
	CHECK_EQ(start_init(root, "/linux/bad_memsz"), POSIX_STATUS(EINVAL));
	CHECK_EQ(start_init(root, "/linux/bad_loop"), POSIX_STATUS(ELOOP));
	/* A process badge that names no process gets nothing from proc. */
	struct proc_getpgid_req g = { 0 };
	struct proc_getpgid_resp gr;
	CHECK_EQ(proc_getpgid_call(other, &g, &gr), POSIX_STATUS(ESRCH));
	return 0;
}

static const struct guest_case cases[] = {
	{ "servers", start_servers },
	{ "refusals", test_refusals },
};

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	guest_run("posix_exec", cases, sizeof(cases) / sizeof(cases[0]));
}
