/*
 * 16550 early console. Every port access is a VM exit under KVM, so we do
 * not poll the line status register per character: once LSR says the
 * transmitter is empty, the 16-byte FIFO is empty too and we write a whole
 * burst, checking LSR once per 16 characters.
 */
#include "serial/uart16550.h"

#include <stdbool.h>

#include "arch/io.h"

#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_THR_EMPTY 0x20
#define FIFO_DEPTH 16
#define SPIN_LIMIT 100000

static uint16_t uart_port;

uint16_t uart_port_base(void)
{
	return uart_port;
}

void uart_init(uint16_t port)
{
	uart_port = port;
	outb(port + REG_IER, 0x00);  /* no interrupts: the console tty is a server */
	outb(port + REG_LCR, 0x80);  /* DLAB */
	outb(port + REG_DATA, 0x01); /* 115200 baud */
	outb(port + REG_IER, 0x00);
	outb(port + REG_LCR, 0x03); /* 8n1 */
	outb(port + REG_FCR, 0xC7); /* FIFO on, cleared, 14-byte threshold */
	outb(port + REG_MCR, 0x03); /* DTR, RTS */
}

static void wait_fifo_empty(void)
{
	/* Bounded: a missing UART must not hang the kernel. */
	for (int i = 0; i < SPIN_LIMIT; i++)
		if (inb(uart_port + REG_LSR) & LSR_THR_EMPTY)
			return;
}

static void write_bursts(const char *s, size_t n, bool crlf)
{
	if (!uart_port)
		return;
	while (n) {
		wait_fifo_empty();
		size_t burst = 0;
		while (n && burst < FIFO_DEPTH) {
			if (crlf && *s == '\n') {
				if (burst + 2 > FIFO_DEPTH)
					break;
				outb(uart_port + REG_DATA, '\r');
				burst++;
			}
			outb(uart_port + REG_DATA, (uint8_t)*s++);
			burst++;
			n--;
		}
	}
}

void uart_write(const char *s, size_t n)
{
	write_bursts(s, n, true);
}

void uart_write_raw(const char *s, size_t n)
{
	write_bursts(s, n, false);
}
