/*
 * Hardware capabilities: IRQ control (makes IRQ handler objects), IRQ
 * handlers (signal a notification, masked until acknowledged), I/O port
 * ranges and the machine itself (power off, restart, exit status).
 */
#include "apic/apic.h"
#include "arch/io.h"
#include "arch/trap.h"
#include "kernel/ipc.h"
#include "kernel/irq.h"
#include "kernel/machine.h"
#include "kernel/objects.h"
#include "kernel/tcb.h"
#include "tern/invocation.h"

static struct irq_handler *handlers[IRQ_ISA_COUNT];

static void irq_fire(struct trap_frame *tf, void *ctx)
{
	(void)tf;
	struct irq_handler *h = ctx;

	ioapic_mask_isa_irq(h->irq, true);
	lapic_eoi();
	if (h->ntfn.cap.type == TERN_CAP_NOTIFICATION)
		notification_signal(h->ntfn.cap.obj, h->ntfn.cap.badge);
}

void irq_handler_destroy(struct irq_handler *h)
{
	ioapic_mask_isa_irq(h->irq, true);
	irq_register(IRQ_VECTOR_BASE + h->irq, NULL, NULL);
	handlers[h->irq] = NULL;
	cte_delete(&h->ntfn, &kernel_cdt_ops);
}

int irq_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	switch (label) {
	case TERN_INV_IRQ_CONTROL_GET: {
		if (cap->type != TERN_CAP_IRQ_CONTROL)
			return TERN_EILLEGAL_OPERATION;
		uint64_t irq = msg_word(t, 0);
		struct cte *dst;
		int err = lookup_dest_slot(t, msg_word(t, 1), msg_word(t, 2), msg_word(t, 3), &dst);
		if (err)
			return err;
		if (irq >= IRQ_ISA_COUNT || irq == 2)
			return TERN_ERANGE_ERROR;
		if (handlers[irq])
			return TERN_EREVOKE_FIRST; /* one handler per line */
		if (!cap_is_null(&dst->cap))
			return TERN_EDELETE_FIRST;
		/* Charged to the quota the calling thread was made from. */
		struct irq_handler *h = kobj_alloc(t->hdr.quota, TERN_CAP_IRQ_HANDLER, sizeof(*h));
		if (!h)
			return TERN_ENOT_ENOUGH_MEMORY;
		h->irq = (unsigned)irq;
		handlers[irq] = h;
		irq_register(IRQ_VECTOR_BASE + h->irq, irq_fire, h);
		ioapic_route_isa_irq(h->irq, (uint8_t)(IRQ_VECTOR_BASE + h->irq));
		ioapic_mask_isa_irq(h->irq, true);
		struct cap c = { .type = TERN_CAP_IRQ_HANDLER,
				 .rights = TERN_RIGHTS_ALL,
				 .obj = h };
		cte_insert_original(dst, &c);
		return TERN_EOK;
	}
	case TERN_INV_IRQ_HANDLER_ACK: {
		if (cap->type != TERN_CAP_IRQ_HANDLER)
			return TERN_EILLEGAL_OPERATION;
		struct irq_handler *h = cap->obj;
		ioapic_mask_isa_irq(h->irq, false);
		return TERN_EOK;
	}
	case TERN_INV_IRQ_HANDLER_SET_NOTIFICATION: {
		struct cte *n;
		if (cap->type != TERN_CAP_IRQ_HANDLER)
			return TERN_EILLEGAL_OPERATION;
		if (msg_cap(t, 0, &n) || n->cap.type != TERN_CAP_NOTIFICATION)
			return TERN_EINVALID_CAPABILITY;
		struct irq_handler *h = cap->obj;
		cte_delete(&h->ntfn, &kernel_cdt_ops);
		cte_copy(&h->ntfn, n, TERN_RIGHTS_ALL);
		return TERN_EOK;
	}
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

int ioport_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	uint32_t first = cap->extra >> 16, last = cap->extra & 0xffff;
	uint64_t port = msg_word(t, 0), width = msg_word(t, 1);

	switch (label) {
	case TERN_INV_IOPORT_IN:
	case TERN_INV_IOPORT_OUT:
		if (width != 1 && width != 2 && width != 4)
			return TERN_EINVALID_ARGUMENT;
		/* port..port+width-1 within first..last, without computing an
		 * end that can wrap (port is a full 64-bit word). */
		if (port < first || port > last || width - 1 > last - port)
			return TERN_ERANGE_ERROR;
		if (label == TERN_INV_IOPORT_OUT) {
			uint64_t v = msg_word(t, 2);
			if (width == 1)
				outb((uint16_t)port, (uint8_t)v);
			else if (width == 2)
				outw((uint16_t)port, (uint16_t)v);
			else
				outl((uint16_t)port, (uint32_t)v);
			return TERN_EOK;
		}
		msg_set_word(t, 0,
			     width == 1	  ? inb((uint16_t)port)
			     : width == 2 ? inw((uint16_t)port)
					  : inl((uint16_t)port));
		t->ctx.rsi = tern_msginfo(0, 0, 1);
		return TERN_EOK;
	case TERN_INV_IOPORT_MINT_RANGE: {
		uint64_t lo = msg_word(t, 0), hi = msg_word(t, 1);
		struct cte *dst, *self;
		if (lo > hi || lo < first || hi > last)
			return TERN_ERANGE_ERROR;
		int err = lookup_dest_slot(t, msg_word(t, 2), msg_word(t, 3), msg_word(t, 4), &dst);
		if (err)
			return err;
		/* The new cap is derived from the invoked one (revocable). */
		if ((err = cspace_lookup_cap(&t->cspace_root.cap, t->ctx.rdi, &self)))
			return err;
		if ((err = cte_copy(dst, self, TERN_RIGHTS_ALL)))
			return err;
		dst->cap.extra = (uint32_t)(lo << 16 | hi);
		return TERN_EOK;
	}
	default:
		return TERN_EILLEGAL_OPERATION;
	}
}

/* The Machine cap: the root task hands it to whoever ends the system
 * (proc, when pid 1 exits or reboot(2) is called). */
int machine_invoke(struct tcb *t, struct cap *cap, uint64_t label)
{
	(void)cap;
	if (label != TERN_INV_MACHINE_EXIT)
		return TERN_EILLEGAL_OPERATION;
	uint64_t action = msg_word(t, 0), code = msg_word(t, 1);
	switch (action) {
	case TERN_MACHINE_EXIT:
		machine_exit(code == 0 ? MACHINE_EXIT_SUCCESS : MACHINE_EXIT_FAILURE);
	case TERN_MACHINE_POWER_OFF:
		machine_power_off();
	case TERN_MACHINE_RESTART:
		machine_reset();
	default:
		return TERN_EINVALID_ARGUMENT;
	}
}
