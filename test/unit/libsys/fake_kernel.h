/*
 * A fake kernel for host tests of libsys's call stubs: HOST_TEST builds of
 * sys/syscalls.h call tern_host_syscall() instead of `syscall`. Every call
 * is logged with its full message (register words and IPC buffer words),
 * then passed to the test's handler.
 */
#ifndef TEST_FAKE_KERNEL_H
#define TEST_FAKE_KERNEL_H

#include <stdint.h>

#include <sys/ipc.h>
#include <sys/syscalls.h>

#define FAKE_LOG_MAX 512

struct fake_call {
	uint64_t num;
	struct tern_sysregs in;
	uint64_t label;
	unsigned length, ncaps;
	uint64_t words[32]; /* the first message words, MR0.. */
	tern_cptr_t caps[TERN_MSG_MAX_CAPS];
};

typedef uint64_t (*fake_handler_t)(const struct fake_call *call, struct tern_sysregs *r);

extern struct tern_ipc_buffer fake_ipc;
extern struct fake_call fake_log[FAKE_LOG_MAX];
extern unsigned fake_ncalls;

/* Clears the log and the IPC buffer; handler NULL answers TERN_EOK. */
void fake_reset(fake_handler_t handler);

#endif
