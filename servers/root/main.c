/*
 * The root task of the Linux system: started by the kernel from the
 * system archive, it reads pid 1's argv and envp from the command line,
 * starts the servers (console, vfs, mm, proc) and asks proc to run init,
 * then reports any server's death (docs/personality.md).
 */
#include "init.h"
#include "initargs.h"
#include "servers.h"
#include "sys/printf.h"
#include "sys/invoke.h"
#include "sys/runtime.h"
#include "tern/bootinfo.h"
#include "tern/invocation.h"

static struct init_args args;

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	const struct tern_bootinfo *bi = tern_bootinfo();

	if (init_args_build(bi->cmdline, &args) != 0) {
		tern_logf(0, "root: %s `%s'", args.error, args.error_word ? args.error_word : "");
		tern_machine_exit(TERN_SLOT_MACHINE, TERN_MACHINE_EXIT, 1);
	}
	if (root_start_servers() != 0 || root_start_init(&args) != 0)
		tern_machine_exit(TERN_SLOT_MACHINE, TERN_MACHINE_EXIT, 1);
	root_fault_inject_start();
	root_serve_faults();
}
