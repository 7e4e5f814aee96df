/*
 * How the root task starts the system's servers: the slots of each
 * server's CSpace (besides tern_spawn's own, sys/spawn.h: TCB 1, CNode 2,
 * VSpace 3, fault endpoint 4 = the root's, quota 5, first free 16) that
 * the root fills before the server runs. Every server serves the
 * endpoint in SRV_SLOT_EP (unbadged, the original's copy).
 */
#ifndef POSIX_BOOT_H
#define POSIX_BOOT_H

enum posix_server_slot {
	SRV_SLOT_EP = 10,      /* the endpoint this server serves */
	SRV_SLOT_ROOT_EP = 11, /* the root task's endpoint (badge = POSIX_BADGE_SERVER_*) */

	/* proc */
	PROC_SLOT_VFS_EP = 6,	  /* vfs, unbadged: proc mints POSIX_BADGE_PROC and pid badges */
	PROC_SLOT_MM_EP = 7,	  /* mm, unbadged */
	PROC_SLOT_CONSOLE_EP = 8, /* the console driver, unbadged */
	PROC_SLOT_SYSTEM = 9,	  /* MemObj of the system archive, read-only (libposix, vDSO) */
	PROC_SLOT_CLOCK = 12,	  /* MemObj of the kernel's clock page, read-only */
	PROC_SLOT_MACHINE = 13,	  /* the Machine cap: power off, restart, exit status */
	PROC_SLOT_INITRD = 14,	  /* MemObj of the user's initramfs, read-only */

	/* vfs */
	VFS_SLOT_INITRD = 6, /* MemObj of the user's initramfs, read-only (the tmpfs's contents) */
	VFS_SLOT_CONSOLE_EP = 7, /* the console driver, unbadged */
	VFS_SLOT_CLOCK = 8,	 /* MemObj of the kernel's clock page, read-only (file times) */

	/* console */
	CONSOLE_SLOT_IOPORT = 6,  /* I/O ports of the console UART (8 ports from its base) */
	CONSOLE_SLOT_IRQ = 7,	  /* IRQ handler of its line (4 for ttyS0/2, 3 for ttyS1/3) */
	CONSOLE_SLOT_PROC_EP = 8, /* proc, badge POSIX_BADGE_CONSOLE (job control) */
};

/* The word each server gets in rdi (main's argument): for vfs and proc
 * the initramfs's size in bytes; for console the UART's port base. */

#endif
