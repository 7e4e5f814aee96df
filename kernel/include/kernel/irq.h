/* User-level interrupt handling: an IRQ handler object signals a
 * notification and keeps the line masked until acknowledged. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

#include "kernel/cap.h"

#define IRQ_ISA_COUNT 16
#define IRQ_VECTOR_BASE 0x20

struct irq_handler {
	struct kobj hdr;
	unsigned irq;
	struct cte ntfn; /* copy of the notification cap to signal */
};

void irq_handler_destroy(struct irq_handler *h);
int tcb_init(void *tcb);
void tcb_destroy(void *tcb);
/* The CDT emptied a TCB's IPC-buffer slot (cdt_ops.held_emptied): its
 * MemObj's pin goes. */
struct cte;
void tcb_ipc_buffer_emptied(struct cte *slot);

#endif
