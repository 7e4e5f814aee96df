/* /dev/null and /dev/zero as Linux's vfs_read/vfs_write and its drivers
 * answer them (tern answers their reads and writes inside the process):
 * the access mode, access_ok on the whole count before anything, the
 * MAX_RW_COUNT clamp, null swallowing a
 * write without touching the buffer, zero's short count at a bad page, and
 * the file position left alone. */
#include "contract.h"
#include <sys/mman.h>

#define PG 4096

int main(void)
{
	contract_begin("dev_memdev");
	need_dev();
	char buf[64];
	int nr = open("/dev/null", O_RDONLY), nw = open("/dev/null", O_WRONLY);
	int zr = open("/dev/zero", O_RDONLY), zrw = open("/dev/zero", O_RDWR);
	int n3 = open("/dev/null", 3); /* neither read nor write */
	OK(nr);
	OK(nw);
	OK(zr);
	OK(zrw);
	TRUE(n3 >= 0 || errno == EINVAL);

	/* The access mode first. */
	ERR(syscall(SYS_read, nw, buf, 1), EBADF);
	ERR(syscall(SYS_write, nr, buf, 1), EBADF);
	ERR(syscall(SYS_write, zr, buf, 1), EBADF);
	ERR(syscall(SYS_pread64, nw, buf, 1, 0), EBADF);
	if (n3 >= 0) {
		ERR(syscall(SYS_read, n3, buf, 1), EBADF);
		ERR(syscall(SYS_write, n3, buf, 1), EBADF);
	}
	/* null: nothing read, everything written, the buffer never looked at. */
	VAL(syscall(SYS_read, nr, buf, sizeof(buf)), 0);
	VAL(syscall(SYS_read, nr, NULL, 10), 0);
	VAL(syscall(SYS_write, nw, NULL, 10), 10);
	VAL(syscall(SYS_write, nw, buf, 0), 0);
	VAL(syscall(SYS_pwrite64, nw, NULL, 10, 1 << 20), 10);
	VAL(syscall(SYS_pread64, nr, buf, 10, 12345), 0);
	/* access_ok on the whole count comes before the driver. */
	ERR(syscall(SYS_write, nw, (void *)0xffff800000000000ul, 10), EFAULT);
	ERR(syscall(SYS_read, nr, (void *)0xffff800000000000ul, 10), EFAULT);
	ERR(syscall(SYS_write, nw, buf, (size_t)-1), EFAULT);
	ERR(syscall(SYS_write, nw, NULL, 0x8000000000000000ul), EFAULT);
	ERR(syscall(SYS_write, nw, NULL, 0x7ffffffffffffffful), EFAULT);
	/* The clamp: a count that access_ok allows but MAX_RW_COUNT cuts. */
	VAL(syscall(SYS_write, nw, NULL, 0x80000000ul), 0x7ffff000);
	/* (A negative pread/pwrite offset is EINVAL on most files but not on
	 * these: newer kernels mark the memory devices' offsets unsigned, so
	 * the answer depends on the version; not checked.) */
	/* zero: the buffer filled; writes swallowed. */
	memset(buf, 'x', sizeof(buf));
	VAL(syscall(SYS_read, zr, buf, sizeof(buf)), sizeof(buf));
	int all = 1;
	for (unsigned i = 0; i < sizeof(buf); i++)
		all &= buf[i] == 0;
	TRUE(all);
	VAL(syscall(SYS_write, zrw, buf, 7), 7);
	VAL(syscall(SYS_write, zrw, NULL, 7), 7);
	VAL(syscall(SYS_pread64, zr, buf, 5, 99), 5);
	ERR(syscall(SYS_read, zr, NULL, 16), EFAULT);
	/* A buffer that runs into an inaccessible page: a short count. */
	char *two = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(two != MAP_FAILED);
	OK(mprotect(two + PG, PG, PROT_NONE));
	VAL(syscall(SYS_read, zr, two + PG - 100, 300), 100);
	VAL(syscall(SYS_read, zr, two + PG, 300), -1);
	/* A read-only buffer: EFAULT from zero, nothing from null. */
	OK(mprotect(two, PG, PROT_READ));
	ERR(syscall(SYS_read, zr, two, 16), EFAULT);
	VAL(syscall(SYS_read, nr, two, 16), 0);
	/* The position never moves. */
	VAL(lseek(zr, 0, SEEK_CUR), 0);
	VAL(lseek(nr, 0, SEEK_CUR), 0);
	/* dup'ed and re-opened fds behave the same. */
	int d = dup(nw);
	OK(d);
	VAL(syscall(SYS_write, d, NULL, 3), 3);
	ERR(syscall(SYS_read, d, buf, 1), EBADF);
	OK(close(d));
	OK(close(nr));
	OK(close(nw));
	OK(close(zr));
	OK(close(zrw));
	if (n3 >= 0)
		OK(close(n3));
	ERR(syscall(SYS_read, nr, buf, 1), EBADF);
	return contract_end();
}
