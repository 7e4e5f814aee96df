/*
 * The 16550's receive side and its IRQ thread. The kernel keeps
 * transmitting (its log and, through DEBUG_PUTS, our output), so here we
 * touch only what input needs: IER (received-data interrupt), MCR's OUT2
 * (which gates the UART's interrupt line on a PC) and the FIFO trigger
 * level (one byte, so a key press interrupts at once). All through the
 * IOPort cap of the UART's 8 ports.
 *
 * The IRQ thread waits on the notification the IRQ handler signals,
 * drains the receive FIFO (LSR.DR, RBR) and hands the bytes to the
 * server loop as a CONSOLE_INPUT call on our own endpoint (badge
 * CONSOLE_BADGE_IRQ), so the line discipline is only ever touched by the
 * loop. The line is masked from the interrupt until IRQ_HANDLER_ACK; the
 * FIFO is drained again after the ack, so bytes that came in between are
 * never left behind (an ISA line is edge-triggered: data still pending at
 * the ack would raise no new edge). The VTIME timer and the clients'
 * interrupt caps signal the same notification with bits of their own;
 * the thread hands those to the loop in an empty CONSOLE_INPUT.
 */
#include "console.h"
#include "sys/invoke.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

#define REG_RBR 0
#define REG_IER 1
#define REG_FCR 2
#define REG_MCR 4
#define REG_LSR 5
#define IER_RX 0x01
#define FCR_FIFO_1BYTE 0x01 /* FIFO on, trigger at 1 byte, nothing cleared */
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DR 0x01

static int reg_in(struct console *c, unsigned reg, uint64_t *v)
{
	return tern_ioport_in(c->ioport, c->port + reg, 1, v);
}

static int reg_out(struct console *c, unsigned reg, uint64_t v)
{
	return tern_ioport_out(c->ioport, c->port + reg, 1, v);
}

/* Up to max bytes from the receive FIFO. */
static size_t drain(struct console *c, uint8_t *dst, size_t max)
{
	size_t n = 0;
	uint64_t lsr, v;

	while (n < max && reg_in(c, REG_LSR, &lsr) == TERN_EOK && (lsr & LSR_DR)) {
		if (reg_in(c, REG_RBR, &v) != TERN_EOK)
			break;
		dst[n++] = (uint8_t)v;
	}
	return n;
}

static void send_input(struct console *c, uint64_t *words, size_t n, uint64_t flags)
{
	struct console_input_resp r;

	words[0] = n;
	words[1] = flags;
	tern_client_call(c->irq_ep, CONSOLE_INPUT, words, CONSOLE_HDR_WORDS + (unsigned)(n + 7) / 8,
			 &r, sizeof(r) / 8);
}

/* Everything the FIFO holds, to the loop. */
static void forward(struct console *c, uint64_t *words)
{
	for (;;) {
		size_t n = drain(c, (uint8_t *)(words + CONSOLE_HDR_WORDS), CONSOLE_DATA_MAX);
		if (!n)
			return;
		send_input(c, words, n, 0);
	}
}

static void irq_main(void *arg)
{
	static uint64_t words[TERN_MSG_MAX_WORDS];
	struct console *c = arg;
	uint64_t bits;

	for (bits = CONSOLE_NTFN_IRQ;;) {
		if (bits & CONSOLE_NTFN_IRQ) {
			forward(c, words);
			tern_irq_handler_ack(c->irq);
			forward(c, words);
		}
		if (bits & ~CONSOLE_NTFN_IRQ) /* the timer, clients' interrupts */
			send_input(c, words, 0, bits & ~CONSOLE_NTFN_IRQ);
		tern_wait(c->ntfn, &bits);
	}
}

int console_uart_start(struct console *c)
{
	struct tern_thread *t;
	int err;

	if ((err = reg_out(c, REG_FCR, FCR_FIFO_1BYTE)) || (err = reg_out(c, REG_IER, IER_RX)) ||
	    (err = reg_out(c, REG_MCR, MCR_DTR_RTS_OUT2)))
		return err;
	/* As high as the loop: input waits for the loop only, never for
	 * programs. */
	struct tern_thread_args a = { .fn = irq_main, .arg = c, .priority = tern_own_priority() };
	return tern_thread_create(&a, &t);
}
