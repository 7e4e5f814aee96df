/*
 * Starting pid 1 as Linux does (init/main.c, kernel_init): rdinit= (or
 * /init) from the initramfs; if that cannot run, init= if given, then
 * /sbin/init, /etc/init, /bin/init and /bin/sh; if none runs, the boot
 * stops with "No working init found" (Linux panics there).
 */
#include "init.h"

#include "common/string.h"
#include "posix/proto_proc.h"
#include "posix/status.h"
#include "servers.h"
#include "sys/printf.h"
#include "sys/ipc.h"
#include "sys/server.h"

/* Sends path, argv (path as argv[0]) and envp as the request's payload
 * (posix/proto_proc.h). Returns proc's status (0 when init runs). */
static int try_init(const char *path, const struct init_args *a)
{
	static uint64_t msg[TERN_MSG_MAX_WORDS];
	struct proc_start_init_req *req = (struct proc_start_init_req *)msg;
	char *payload = (char *)&msg[PROC_EXEC_REQ_WORDS];
	size_t used = 0;
	const char *argv0[] = { path };
	const char *const *lists[4] = { argv0, argv0, a->argv, a->envp };
	unsigned counts[4] = { 1, 1, a->argc, a->envc };

	for (unsigned l = 0; l < 4; l++)
		for (unsigned i = 0; i < counts[l]; i++) {
			size_t n = strlen(lists[l][i]) + 1;
			if (used + n > PROC_STRINGS_MAX)
				return POSIX_STATUS(E2BIG);
			memcpy(payload + used, lists[l][i], n);
			used += n;
		}
	req->e.path_len = strlen(path);
	req->e.argc = 1 + a->argc;
	req->e.envc = a->envc;
	req->e.bytes = used;
	struct proc_start_init_resp resp;
	struct tern_client_msg m = {
		.label = PROC_START_INIT,
		.req = msg,
		.req_words = (unsigned)(PROC_EXEC_REQ_WORDS + (used + 7) / 8),
		.resp = &resp,
		.resp_min = sizeof(resp) / 8,
		.resp_max = sizeof(resp) / 8,
	};
	return tern_client_transact(root_servers[SRV_PROC].ep, &m);
}

/* As Linux prints it: -errno, or -EIO for a status that is not one. */
static long errno_of(int st)
{
	return st > POSIX_STATUS_ERRNO && st <= POSIX_STATUS_ERRNO + POSIX_ERRNO_MAX
		       ? -(long)(st - POSIX_STATUS_ERRNO)
		       : -(long)EIO;
}

int root_start_init(const struct init_args *a)
{
	static const char *const fallbacks[] = { "/sbin/init", "/etc/init", "/bin/init",
						 "/bin/sh" };
	const char *rdinit = a->rdinit[0] ? a->rdinit : "/init";
	int st = try_init(rdinit, a);

	if (st == 0)
		return 0;
	tern_logf(3, "root: Failed to execute %s (error %ld)", rdinit, errno_of(st));
	if (a->init[0]) {
		if ((st = try_init(a->init, a)) == 0)
			return 0;
		tern_logf(3, "root: Requested init %s failed (error %ld).", a->init, errno_of(st));
	}
	for (unsigned i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++)
		if (try_init(fallbacks[i], a) == 0)
			return 0;
	tern_logf(0, "root: No working init found. Try passing init= option to kernel. "
		     "See Linux Documentation/admin-guide/init.rst for guidance.");
	return -1;
}
