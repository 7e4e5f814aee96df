/* The smallest native program: print a line and return (crt0 then
 * suspends the thread). */
#include <stdint.h>

#include "sys/printf.h"
#include "sys/runtime.h"

int main(uint64_t arg, uint64_t self_tcb)
{
	(void)arg;
	(void)self_tcb;
	tern_puts("hello from user space");
	return 0;
}
