/*
 * The console driver: a user-space 16550 driver with the tty line
 * discipline, serving CONSOLE_PROTOCOL (posix/proto_console.h) on the
 * libsys server runtime. The root task starts it with (posix/boot.h):
 *   CONSOLE_SLOT_IOPORT  the UART's 8 I/O ports
 *   CONSOLE_SLOT_IRQ     an IRQ handler of its line
 *   CONSOLE_SLOT_PROC_EP proc, badge POSIX_BADGE_CONSOLE (job control)
 *   SRV_SLOT_EP          the endpoint it serves
 *   slot 5               the quota its threads and Replies come from
 * and rdi = the UART's port base. See docs/personality.md ("Console").
 */
#include "console.h"
#include "posix/boot.h"
#include "sys/invoke.h"
#include "sys/printf.h"
#include "sys/runtime.h"
#include "sys/spawn.h"
#include "sys/thread.h"

static const struct tern_server_op console_ops[] = { CONSOLE_PROTOCOL(TERN_SERVER_OP) };

static struct console console;

/* The notification the IRQ signals and our own endpoint for the IRQ
 * thread, each a cap with its badge. */
static int caps_setup(struct console *c)
{
	tern_cptr_t ntfn, irq_ntfn;
	int err;

	if ((err = tern_object_create(TERN_CAP_NOTIFICATION, 0, &ntfn)) ||
	    (err = tern_object_create(TERN_CAP_TIMER, 0, &c->timer)))
		return err;
	irq_ntfn = tern_slot_get();
	c->timer_ntfn = tern_slot_get();
	c->irq_ep = tern_slot_get();
	if (!irq_ntfn || !c->timer_ntfn || !c->irq_ep)
		return TERN_SPAWN_ESLOTS;
	if ((err = tern_cnode_mint(TERN_CHILD_SLOT_CNODE, irq_ntfn, 64, ntfn, 64, TERN_RIGHT_WRITE,
				   CONSOLE_NTFN_IRQ)) ||
	    (err = tern_cnode_mint(TERN_CHILD_SLOT_CNODE, c->timer_ntfn, 64, ntfn, 64,
				   TERN_RIGHT_WRITE, CONSOLE_NTFN_TIMER)) ||
	    (err = tern_cnode_mint(TERN_CHILD_SLOT_CNODE, c->irq_ep, 64, SRV_SLOT_EP, 64,
				   TERN_RIGHT_WRITE, CONSOLE_BADGE_IRQ)) ||
	    (err = tern_irq_handler_set_notification(CONSOLE_SLOT_IRQ, irq_ntfn)))
		return err;
	c->ntfn = ntfn;
	c->irq_ntfn = irq_ntfn;
	return 0;
}

int main(uint64_t port, uint64_t self_tcb)
{
	struct console *c = &console;
	int err;

	(void)self_tcb;
	ldisc_init(&c->ld, console_emit, c);
	c->port = (uint16_t)port;
	c->ioport = CONSOLE_SLOT_IOPORT;
	c->irq = CONSOLE_SLOT_IRQ;
	c->proc_ep = CONSOLE_SLOT_PROC_EP; /* empty without proc: calls fail, no job control */
	if (port == 0 || port > 0xfff8) {
		tern_printf("console: bad UART port base %#lx\n", (unsigned long)port);
		return 1;
	}
	if ((err = caps_setup(c)) || (err = console_uart_start(c))) {
		tern_printf("console: cannot start: %d\n", err);
		return 1;
	}
	if (console_gone_start(c)) /* without it the calls of the dead wait on */
		tern_printf("console: no watch for the calls of the dead\n");
	struct tern_server s = {
		.ep = SRV_SLOT_EP,
		.ops = console_ops,
		.nops = sizeof(console_ops) / sizeof(console_ops[0]),
		.ctx = c,
	};
	err = tern_server_run(&s);
	tern_printf("console: stopped: %d\n", err);
	return 1;
}
