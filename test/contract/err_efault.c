/* EFAULT from bad pointers: NULL, an unmapped page, the kernel half, a
 * non-canonical address, a struct or string running off the end of a
 * mapping, and a read-only buffer for a call that writes. Raw syscalls
 * throughout: the libc wrappers would touch some pointers themselves.
 * The program goes on after each, and a last call works. */
#include "contract.h"
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#define KERNEL_PTR ((void *)0xffff800000000000ul)
#define NONCANONICAL ((void *)0x0000800000000000ul)

int main(void)
{
	char buf[64];
	contract_begin("err_efault");
	need_dev();

	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(ro != MAP_FAILED);
	/* Two pages, the second unmapped: the end of a mapping. Nothing is
	 * mapped after this, so the hole stays a hole. */
	char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TRUE(map != MAP_FAILED);
	VAL(munmap(map + 4096, 4096), 0);
	char *unmapped = map + 4096;
	/* A path whose NUL would be on the unmapped page. */
	char *edge = unmapped - 9;
	/* A struct stat (144 bytes) that runs off the end. */
	void *straddle = unmapped - 64;

	int fd = VAL(open("hello.txt", O_RDONLY), 3);
	void *bad[] = { NULL, unmapped, KERNEL_PTR, NONCANONICAL };
	const char *names[] = { "NULL", "unmapped", "kernel", "noncanonical" };
	for (int i = 0; i < 4; i++) {
		void *p = bad[i];
		printf("%s:\n", names[i]);
		ERR(syscall(SYS_read, fd, p, 10), EFAULT);
		ERR(syscall(SYS_pread64, fd, p, 10, 0), EFAULT);
		ERR(syscall(SYS_write, 1, p, 10), EFAULT);
		ERR(syscall(SYS_open, p, O_RDONLY), EFAULT);
		ERR(syscall(SYS_stat, p, buf), EFAULT);
		ERR(syscall(SYS_stat, "hello.txt", p), EFAULT);
		ERR(syscall(SYS_fstat, fd, p), EFAULT);
		ERR(syscall(SYS_lstat, "link", p), EFAULT);
		ERR(syscall(SYS_newfstatat, AT_FDCWD, "hello.txt", p, 0), EFAULT);
		ERR(syscall(SYS_access, p, F_OK), EFAULT);
		ERR(syscall(SYS_mkdir, p, 0755), EFAULT);
		ERR(syscall(SYS_unlink, p), EFAULT);
		ERR(syscall(SYS_chdir, p), EFAULT);
		ERR(syscall(SYS_readlink, "link", p, 10), EFAULT);
		ERR(syscall(SYS_readlink, p, buf, 10), EFAULT);
		ERR(syscall(SYS_rename, p, "x"), EFAULT);
		ERR(syscall(SYS_symlink, p, "x"), EFAULT);
		ERR(syscall(SYS_getcwd, p, 100), EFAULT);
		ERR(syscall(SYS_uname, p), EFAULT);
		ERR(syscall(SYS_pipe, p), EFAULT);
		ERR(syscall(SYS_pipe2, p, 0), EFAULT);
		ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p), EFAULT);
		if (p) /* NULL is allowed: see below */
			ERR(syscall(SYS_clock_getres, CLOCK_MONOTONIC, p), EFAULT);
		ERR(syscall(SYS_nanosleep, p, NULL), EFAULT);
		if (p)
			ERR(syscall(SYS_gettimeofday, p, NULL), EFAULT);
		ERR(syscall(SYS_getrandom, p, 16, 0), EFAULT);
		ERR(syscall(SYS_sysinfo, p), EFAULT);
		ERR(syscall(SYS_readv, fd, p, 1), EFAULT);
		ERR(syscall(SYS_writev, 1, p, 1), EFAULT);
		struct iovec iov = { p, 10 };
		ERR(syscall(SYS_readv, fd, &iov, 1), EFAULT);
		ERR(syscall(SYS_writev, 1, &iov, 1), EFAULT);
		int dfd = open(".", O_RDONLY | O_DIRECTORY);
		ERR(syscall(SYS_getdents64, dfd, p, 4096), EFAULT);
		close(dfd);
		ERR(syscall(SYS_execve, p, NULL, NULL), EFAULT);
	}

	/* Running off the end of a mapping. */
	printf("straddling:\n");
	ERR(syscall(SYS_stat, "hello.txt", straddle), EFAULT);
	ERR(syscall(SYS_fstat, fd, straddle), EFAULT);
	/* (The failed copies above wrote the first bytes of their structs.) */
	memcpy(edge, "hello.txt", 9);
	ERR(syscall(SYS_open, edge, O_RDONLY), EFAULT);
	ERR(syscall(SYS_stat, edge, buf), EFAULT);
	ERR(syscall(SYS_clock_gettime, CLOCK_REALTIME, unmapped - 8), EFAULT);
	ERR(syscall(SYS_uname, unmapped - 100), EFAULT);
	/* A buffer the call writes, mapped read-only. */
	printf("read-only:\n");
	ERR(syscall(SYS_read, fd, ro, 10), EFAULT);
	ERR(syscall(SYS_stat, "hello.txt", ro), EFAULT);
	ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ro), EFAULT);
	ERR(syscall(SYS_pipe, ro), EFAULT);
	ERR(syscall(SYS_uname, ro), EFAULT);
	/* Reading from read-only memory is fine. */
	VAL(syscall(SYS_write, 1, ro, 0), 0);
	int nul = VAL(open("/dev/null", O_WRONLY), 4);
	VAL(syscall(SYS_write, nul, ro, 100), 100);
	/* /dev/null does not look at the buffer at all. */
	VAL(syscall(SYS_write, nul, NULL, 10), 10);
	VAL(close(nul), 0);
	/* NULL is allowed where Linux allows it. */
	VAL(syscall(SYS_gettimeofday, NULL, NULL), 0);
	VAL(syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL), 0);
	VAL(syscall(SYS_read, fd, NULL, 0), 0);
	VAL(syscall(SYS_nanosleep, &(struct timespec){ 0, 1 }, NULL), 0);

	/* Still alive, and the file still reads. */
	VAL(syscall(SYS_read, fd, buf, 5), 5);
	TRUE(memcmp(buf, "hello", 5) == 0);
	VAL(close(fd), 0);
	return contract_end();
}
