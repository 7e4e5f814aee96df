/*
 * The system's servers as the root task starts them (servers.c).
 */
#ifndef ROOT_SERVERS_H
#define ROOT_SERVERS_H

#include <stdint.h>

#include "sys/spawn.h"
#include "tern/caps.h"

enum root_server { SRV_CONSOLE, SRV_VFS, SRV_MM, SRV_PROC, SRV_COUNT };

struct root_server_info {
	const char *name; /* bin/NAME in the system archive */
	tern_cptr_t ep;	  /* the endpoint it serves (root's original) */
	struct tern_task task;
	int running;
	/* How it was started, for a restart (fault.c). */
	tern_cptr_t quota;
	uint64_t arg;
	const struct tern_spawn_cap *caps;
	unsigned ncaps;
	struct tern_slot_alloc slots;
	int slots_reserved;
	unsigned restarts;
};

extern struct root_server_info root_servers[SRV_COUNT];

/* The root task's own endpoint: servers' faults arrive here, badged with
 * 1 + their enum root_server. */
extern tern_cptr_t root_ep;

/* Creates the endpoints, then starts every server found in the system
 * archive with its caps (posix/boot.h). Returns 0, or -1 after logging
 * why the system cannot run. */
int root_start_servers(void);

/* Starts (or starts again) one server with its quota and caps: 0 or -1. */
int root_start(enum root_server id, uint64_t arg, tern_cptr_t quota,
	       const struct tern_spawn_cap *caps, unsigned ncaps);

/* A fault injected on purpose (`tern.fault=NAME[:MS]` on the command
 * line; fault.c): a thread of root's makes that server fault MS ms
 * after init started. Nothing without the word. */
void root_fault_inject_start(void);

/* Serves root_ep for good (fault.c): a server's fault is reported with
 * its registers and a backtrace; the console driver is restarted (at
 * most ROOT_RESTARTS times), any other ends the machine with a failure
 * status. */
__attribute__((noreturn)) void root_serve_faults(void);

#endif
