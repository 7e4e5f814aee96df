/* writev and pwritev to /dev/null and /dev/zero take every segment whole
 * without reading it (drivers/char/mem.c's write_iter_null), the total
 * clamped to MAX_RW_COUNT (import_iovec); a segment beyond the user half
 * is EFAULT (access_ok), a read-only fd EBADF. (libposix wrote a huge
 * segment piece by piece through vfs: a loop that never ended, found by
 * the syscall fuzzer.) */
#include "contract.h"
#include <sys/uio.h>

int main(void)
{
	char buf[16] = "0123456789abcdef";
	contract_begin("dev_writev_huge");
	need_dev();
	int n = VAL(open("/dev/null", O_WRONLY), 3);
	int z = VAL(open("/dev/zero", O_RDWR), 4);
	int r = VAL(open("/dev/null", O_RDONLY), 5);
	struct iovec iov[3] = { { buf, 16 }, { (void *)0x1000, (size_t)1 << 40 }, { buf, 4 } };
	VAL(writev(n, iov, 1), 16);
	VAL(writev(n, iov, 3), 0x7ffff000);
	VAL(writev(z, iov, 3), 0x7ffff000);
	VAL(pwritev(n, iov, 3, 0), 0x7ffff000);
	VAL(pwritev(z, &iov[1], 1, 4096), 0x7ffff000);
	iov[1].iov_base = (void *)0x7ffffffff000ul; /* runs past the user half */
	ERR(writev(n, iov, 3), EFAULT);
	ERR(writev(r, iov, 1), EBADF);
	iov[1].iov_base = (void *)0x1000;
	iov[1].iov_len = 100;
	VAL(writev(z, iov, 3), 120);
	VAL(close(n), 0);
	VAL(close(z), 0);
	VAL(close(r), 0);
	return contract_end();
}
