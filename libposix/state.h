/*
 * libposix's process-local state: what proc's start page said (identity,
 * the name), and what Linux keeps per thread that libposix answers
 * locally (the TLS bases the application set, set_tid_address's and
 * set_robust_list's pointers). One thread per process for now; the
 * per-thread part moves to a per-thread struct with clone.
 */
#ifndef LIBPOSIX_STATE_H
#define LIBPOSIX_STATE_H

#include <stdint.h>

struct posix_state {
	uint64_t pid, ppid, tid;
	uint64_t vdso;
	char comm[16];

	/* The main thread's: */
	uint64_t fs_base;     /* ARCH_SET_FS (the real %fs base) */
	uint64_t app_gs_base; /* ARCH_SET_GS: emulated, %gs stays libsys's */
	uint64_t clear_child_tid;
	uint64_t robust_list, robust_list_len;
};

extern struct posix_state posix_state;

#endif
