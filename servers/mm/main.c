/*
 * The mm server: the receive loop on SRV_SLOT_EP (posix/boot.h). It owns
 * each Linux process's address space once exec has built it
 * (docs/personality.md, "proc and mm"): handlers in mmap.c.
 */
#include "mm.h"

#include "posix/boot.h"
#include "sys/printf.h"
#include "sys/runtime.h"

extern const struct tern_server_op mm_ops[];
extern const unsigned mm_nops;

static struct mm_server server;

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	struct tern_server s = {
		.ep = SRV_SLOT_EP,
		.ops = mm_ops,
		.nops = mm_nops,
		.ctx = &server,
		.accept_caps = 1,
	};
	mm_quota_init();
	enum tern_error err = tern_server_run(&s);
	tern_printf("mm: the server loop ended: %d\n", err);
	return 1;
}
