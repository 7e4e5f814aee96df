/* Syscall numbers Linux x86-64 does not have: -ENOSYS, every time, and
 * the program goes on. */
#include "contract.h"

int main(void)
{
	contract_begin("enosys");

	ERR(syscall(500), ENOSYS);
	ERR(syscall(500), ENOSYS); /* again: still ENOSYS (logged once) */
	ERR(syscall(400), ENOSYS); /* the gap before 424 (335, 336 are uprobes since 6.11) */
	ERR(syscall(423), ENOSYS);
	ERR(syscall(512), ENOSYS); /* x32 numbers start at 512 | 0x40000000 */
	ERR(syscall(1000000), ENOSYS);
	ERR(syscall(-1), ENOSYS);
	ERR(syscall(0x7fffffff), ENOSYS);
	/* The raw result is -38 in rax. */
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(500L) : "rcx", "r11", "memory");
	VAL(r, -ENOSYS);
	/* Still running: real calls work. */
	TRUE(getpid() > 0);
	VAL(access("hello.txt", R_OK), 0);
	return contract_end();
}
