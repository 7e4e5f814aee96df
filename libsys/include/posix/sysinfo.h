/*
 * Linux's struct sysinfo (include/uapi/linux/sysinfo.h) on x86-64: the
 * libc5 padding is empty there, the struct 112 bytes.
 */
#ifndef POSIX_SYSINFO_H
#define POSIX_SYSINFO_H

#include <stddef.h>
#include <stdint.h>

#define POSIX_SI_LOAD_SHIFT 16

struct posix_sysinfo {
	int64_t uptime;	    /* seconds since boot */
	uint64_t loads[3];  /* 1, 5 and 15 minute load averages, << SI_LOAD_SHIFT */
	uint64_t totalram;  /* usable RAM, in mem_unit */
	uint64_t freeram;   /* free RAM */
	uint64_t sharedram; /* shared memory */
	uint64_t bufferram; /* memory used by buffers */
	uint64_t totalswap;
	uint64_t freeswap;
	uint16_t procs; /* current processes */
	uint16_t pad;
	uint64_t totalhigh; /* high memory (none on x86-64) */
	uint64_t freehigh;
	uint32_t mem_unit; /* bytes per unit of the memory fields */
};
_Static_assert(sizeof(struct posix_sysinfo) == 112, "struct sysinfo is Linux's");
_Static_assert(offsetof(struct posix_sysinfo, procs) == 80, "struct sysinfo is Linux's");
_Static_assert(offsetof(struct posix_sysinfo, totalhigh) == 88, "struct sysinfo is Linux's");
_Static_assert(offsetof(struct posix_sysinfo, mem_unit) == 104, "struct sysinfo is Linux's");

#endif
