/*
 * What the kernel tells the root task: mapped read-only at
 * TERN_BOOTINFO_VADDR, with the root task's initial capabilities in the
 * fixed slots below of its root CNode.
 */
#ifndef TERN_BOOTINFO_H
#define TERN_BOOTINFO_H

#include <stdint.h>

#define TERN_BOOTINFO_VADDR 0x7fffff000000ul
#define TERN_CLOCK_VADDR 0x7fffff001000ul /* the clock page (tern/clock.h) */
#define TERN_ROOT_CNODE_RADIX 12	  /* 4,096 slots, guard covers the other bits */
/* Where a child's is too (sys/spawn.h): main threads of all tasks then
 * have the same %gs base (sys/thread.h), and switching between them
 * writes no MSR. */
#define TERN_ROOT_IPC_BUFFER_VADDR 0x7ffffff80000ul
#define TERN_ROOT_STACK_TOP 0x7fff00000000ul
#define TERN_ROOT_STACK_PAGES 64
#define TERN_ROOT_INITRD_VADDR 0x10000000000ul
#define TERN_ROOT_SYSTEM_VADDR 0x20000000000ul
#define TERN_ROOT_PRIORITY 100

enum tern_root_slot {
	TERN_SLOT_NULL = 0,
	TERN_SLOT_TCB = 1,    /* the root thread */
	TERN_SLOT_CNODE = 2,  /* the root CNode itself */
	TERN_SLOT_VSPACE = 3, /* the root address space */
	TERN_SLOT_QUOTA = 4,  /* all free memory, as a quota */
	TERN_SLOT_IRQ_CONTROL = 5,
	TERN_SLOT_IOPORT = 6,	  /* every I/O port */
	TERN_SLOT_INITRD = 7,	  /* MemObj over the initrd, read-only */
	TERN_SLOT_IPC_BUFFER = 8, /* MemObj of the root's IPC buffer */
	TERN_SLOT_STACK = 9,	  /* MemObj of the root's stack */
	TERN_SLOT_BOOTINFO = 10,  /* MemObj of this page */
	TERN_SLOT_SEGMENT0 = 11,  /* MemObjs of the ELF segments, 11..15 */
	TERN_SLOT_CLOCK = 16,	  /* MemObj of the clock page, read-only */
	TERN_SLOT_SYSTEM = 17,	/* MemObj of the system archive, read-only (empty for tern.root=) */
	TERN_SLOT_MACHINE = 18, /* the Machine cap: power off, restart, exit status */
	TERN_SLOT_FIRST_FREE = 19,
};

struct tern_bootinfo {
	uint64_t magic; /* TERN_BOOTINFO_MAGIC */
	uint64_t ipc_buffer_vaddr;
	uint64_t initrd_vaddr; /* the initrd is mapped here, read-only */
	uint64_t initrd_size;  /* 0 when there is none */
	uint64_t quota_bytes;
	uint64_t tsc_hz;
	uint64_t clock_vaddr; /* the clock page (tern/clock.h), mapped read-only */
	uint64_t first_free_slot;
	uint64_t n_slots;
	uint64_t system_vaddr; /* the system archive (root, servers, libposix), read-only */
	uint64_t system_size;  /* 0 when the root task came from the initrd (tern.root=) */
	uint64_t console_port; /* the serial console's I/O port base (console=ttyS<N>) */
	char cmdline[2048];    /* Linux's COMMAND_LINE_SIZE */
};

#define TERN_BOOTINFO_MAGIC 0x6f666e69746e7274ull /* "trntinfo" */

#endif
