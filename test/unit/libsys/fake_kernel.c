/* The fake kernel of fake_kernel.h. */
#include <string.h>

#include "fake_kernel.h"

struct tern_ipc_buffer fake_ipc;
struct tern_ipc_buffer *tern_ipc_buffer_current = &fake_ipc;
struct fake_call fake_log[FAKE_LOG_MAX];
unsigned fake_ncalls;
static fake_handler_t fake_handler;

void fake_reset(fake_handler_t handler)
{
	memset(&fake_ipc, 0, sizeof(fake_ipc));
	memset(fake_log, 0, sizeof(fake_log));
	fake_ncalls = 0;
	fake_handler = handler;
	tern_ipc_buffer_current = &fake_ipc;
}

uint64_t tern_host_syscall(uint64_t num, struct tern_sysregs *r)
{
	struct fake_call *c = &fake_log[fake_ncalls < FAKE_LOG_MAX ? fake_ncalls : 0];

	memset(c, 0, sizeof(*c));
	c->num = num;
	c->in = *r;
	c->label = tern_msginfo_label(r->rsi);
	c->length = tern_msginfo_length(r->rsi);
	c->ncaps = tern_msginfo_caps(r->rsi);
	for (unsigned i = 0; i < c->length && i < 32; i++)
		c->words[i] = i < TERN_MSG_REG_WORDS ? r->mr[i] : fake_ipc.msg[i];
	for (unsigned i = 0; i < c->ncaps; i++)
		c->caps[i] = fake_ipc.send_caps[i];
	fake_ncalls++;
	return fake_handler ? fake_handler(c, r) : TERN_EOK;
}
