/*
 * Starting the system's servers: each from bin/NAME of the system archive
 * (cpio, mapped read-only at bootinfo->system_vaddr), with a quota of its
 * own and the caps posix/boot.h names, the root's endpoint (badged) as its
 * fault endpoint.
 */
#include "servers.h"

#include "common/cpio.h"
#include "posix/boot.h"
#include "posix/cspace.h"
#include "sys/printf.h"
#include "sys/invoke.h"
#include "sys/runtime.h"
#include "sys/syscalls.h"
#include "sys/thread.h"
#include "tern/bootinfo.h"
#include "tern/fault.h"
#include "tern/invocation.h"

#define SERVER_PRIORITY 150 /* above Linux processes (proc runs them at 100) */
#define SPAWN_SLOTS 48

struct root_server_info root_servers[SRV_COUNT] = {
	[SRV_CONSOLE] = { .name = "bin/console" },
	[SRV_VFS] = { .name = "bin/vfs" },
	[SRV_MM] = { .name = "bin/mm" },
	[SRV_PROC] = { .name = "bin/proc" },
};

tern_cptr_t root_ep;

/* The share of the memory left after the root's own use each server's
 * quota gets, in percent; the console gets a fixed 4 MiB first. */
static const unsigned share[SRV_COUNT] = { 0, 30, 45, 20 };

static tern_cptr_t new_object(enum tern_cap_type type)
{
	tern_cptr_t slot = 0;
	return tern_object_create(type, 0, &slot) == TERN_EOK ? slot : 0;
}

static tern_cptr_t split_quota(uint64_t bytes)
{
	tern_cptr_t slot = tern_slot_get();
	if (!slot ||
	    tern_quota_split(TERN_SLOT_QUOTA, bytes, TERN_SLOT_CNODE, slot, 64) != TERN_EOK)
		return 0;
	return slot;
}

static tern_cptr_t mint(tern_cptr_t src, uint64_t rights, uint64_t badge)
{
	tern_cptr_t slot = tern_slot_get();
	if (!slot || tern_cnode_mint(TERN_SLOT_CNODE, slot, 64, src, 64, rights, badge) != TERN_EOK)
		return 0;
	return slot;
}

int root_start(enum root_server id, uint64_t arg, tern_cptr_t quota,
	       const struct tern_spawn_cap *caps, unsigned ncaps)
{
	const struct tern_bootinfo *bi = tern_bootinfo();
	struct root_server_info *s = &root_servers[id];
	struct cpio_entry e;

	if (cpio_find((const void *)bi->system_vaddr, bi->system_size, s->name, &e) != 1) {
		tern_logf(3, "root: %s is not in the system archive", s->name);
		return -1;
	}
	/* A restart reuses the slots of the first start (fault.c). */
	struct tern_slot_alloc *slots = &s->slots;
	if (!s->slots_reserved) {
		if (tern_slots_reserve(SPAWN_SLOTS, slots))
			return -1;
		s->slots_reserved = 1;
	}
	struct tern_slot_alloc spawn_slots = *slots;
	tern_cptr_t fault_ep = mint(root_ep, TERN_RIGHTS_ALL, 1 + (uint64_t)id);
	struct tern_spawn_args a = {
		.image = e.data,
		.image_size = e.size,
		.quota = TERN_SLOT_QUOTA,
		.cnode = TERN_SLOT_CNODE,
		.cnode_depth = 64,
		.slots = &spawn_slots,
		.vspace = TERN_SLOT_VSPACE,
		.priority = SERVER_PRIORITY,
		.arg = arg,
		.arg_cap = s->ep,
		.fault_ep = fault_ep,
		.child_quota = quota,
		.caps = caps,
		.ncaps = ncaps,
		/* proc keeps a dozen caps per process and a few per thread
		 * (posix/cspace.h, servers/proc/image.h): 256 slots ran out
		 * before its process table was full, and fork answered
		 * ENOMEM instead of EAGAIN (robust.exhaust_fork). */
		.cnode_radix = id == SRV_PROC ? 12 : 0,
	};
	int err = tern_spawn(&a, &s->task);
	if (err) {
		tern_logf(3, "root: cannot start %s: %s", s->name, tern_spawn_strerror(err));
		return -1;
	}
	s->running = 1;
	/* What a restart needs (fault.c): the same quota, argument and caps. */
	s->quota = quota;
	s->arg = arg;
	s->caps = caps;
	s->ncaps = ncaps;
	return 0;
}

int root_start_servers(void)
{
	const struct tern_bootinfo *bi = tern_bootinfo();
	uint64_t used, limit;

	root_ep = new_object(TERN_CAP_ENDPOINT);
	for (unsigned i = 0; i < SRV_COUNT; i++)
		root_servers[i].ep = new_object(TERN_CAP_ENDPOINT);
	if (!root_ep || tern_quota_query(TERN_SLOT_QUOTA, &used, &limit) != TERN_EOK)
		return -1;

	/* The console: its UART's eight ports and its IRQ line. */
	uint64_t port = bi->console_port ? bi->console_port : 0x3f8;
	unsigned irq = (port == 0x3f8 || port == 0x3e8) ? 4 : 3;
	tern_cptr_t ports = tern_slot_get(), line = tern_slot_get();
	int ok = ports && line &&
		 tern_ioport_mint_range(TERN_SLOT_IOPORT, port, port + 7, TERN_SLOT_CNODE, ports,
					64) == TERN_EOK &&
		 tern_irq_control_get(TERN_SLOT_IRQ_CONTROL, irq, TERN_SLOT_CNODE, line, 64) ==
			 TERN_EOK;
	const uint64_t console_quota = 4ul << 20;
	uint64_t left = limit - used - console_quota - (8ul << 20); /* the root keeps 8 MiB */
	tern_cptr_t q[SRV_COUNT] = { split_quota(console_quota) };
	for (unsigned i = 1; i < SRV_COUNT; i++)
		q[i] = split_quota(left / 100 * share[i]);
	for (unsigned i = 0; i < SRV_COUNT; i++)
		if (!q[i] || !root_servers[i].ep)
			ok = 0;
	if (!ok) {
		tern_logf(3, "root: out of memory or slots for the servers");
		return -1;
	}

	/* Static: a restart (fault.c) starts the console again with them. */
	static struct tern_spawn_cap console_caps[4];
	const struct tern_spawn_cap console_init[] = {
		{ .src = ports, .slot = CONSOLE_SLOT_IOPORT },
		{ .src = line, .slot = CONSOLE_SLOT_IRQ },
		{ .src = root_ep, .slot = SRV_SLOT_ROOT_EP, .badge = 1 + SRV_CONSOLE },
		{ .src = root_servers[SRV_PROC].ep,
		  .slot = CONSOLE_SLOT_PROC_EP,
		  .rights = TERN_RIGHT_WRITE,
		  .badge = POSIX_BADGE_CONSOLE },
	};
	for (unsigned i = 0; i < 4; i++)
		console_caps[i] = console_init[i];
	/* Without an initramfs the initrd slot is empty: no copy of it (the
	 * server then finds its slot empty and starts with an empty root). */
	const int rd = bi->initrd_size != 0;
	const struct tern_spawn_cap vfs_caps[] = {
		{ .src = root_servers[SRV_CONSOLE].ep, .slot = VFS_SLOT_CONSOLE_EP },
		{ .src = root_ep, .slot = SRV_SLOT_ROOT_EP, .badge = 1 + SRV_VFS },
		{ .src = TERN_SLOT_CLOCK, .slot = VFS_SLOT_CLOCK },
		{ .src = TERN_SLOT_INITRD, .slot = VFS_SLOT_INITRD },
	};
	const struct tern_spawn_cap mm_caps[] = {
		{ .src = root_ep, .slot = SRV_SLOT_ROOT_EP, .badge = 1 + SRV_MM },
	};
	const struct tern_spawn_cap proc_caps[] = {
		{ .src = root_servers[SRV_VFS].ep, .slot = PROC_SLOT_VFS_EP },
		{ .src = root_servers[SRV_MM].ep, .slot = PROC_SLOT_MM_EP },
		{ .src = root_servers[SRV_CONSOLE].ep, .slot = PROC_SLOT_CONSOLE_EP },
		{ .src = TERN_SLOT_SYSTEM, .slot = PROC_SLOT_SYSTEM },
		{ .src = TERN_SLOT_CLOCK, .slot = PROC_SLOT_CLOCK },
		{ .src = TERN_SLOT_MACHINE, .slot = PROC_SLOT_MACHINE },
		{ .src = root_ep, .slot = SRV_SLOT_ROOT_EP, .badge = 1 + SRV_PROC },
		{ .src = TERN_SLOT_INITRD, .slot = PROC_SLOT_INITRD },
	};
	if (root_start(SRV_CONSOLE, port, q[SRV_CONSOLE], console_caps, 4) ||
	    root_start(SRV_VFS, bi->initrd_size, q[SRV_VFS], vfs_caps, 3 + rd) ||
	    root_start(SRV_MM, 0, q[SRV_MM], mm_caps, 1) ||
	    root_start(SRV_PROC, bi->initrd_size, q[SRV_PROC], proc_caps, 7 + rd))
		return -1;
	return 0;
}
