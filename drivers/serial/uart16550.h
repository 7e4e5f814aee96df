/* The 16550 UART early console (COM1). */
#ifndef DRIVERS_SERIAL_UART16550_H
#define DRIVERS_SERIAL_UART16550_H

#include <stddef.h>
#include <stdint.h>

#define UART_COM1 0x3f8

void uart_init(uint16_t port);
/* Each "\n" goes out as "\r\n" (the kernel's log, native programs). */
void uart_write(const char *s, size_t n);
/* The bytes as they are (the console driver has done Linux's output
 * processing already). */
void uart_write_raw(const char *s, size_t n);
/* The port base the console is on (console=ttyS<N>). */
uint16_t uart_port_base(void);

#endif
