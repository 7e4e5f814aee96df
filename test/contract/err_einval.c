/* EINVAL where Linux gives it: bad whence, flags, lengths, clocks, times. */
#include "contract.h"
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>

int main(void)
{
	char buf[16];
	struct timespec ts;
	contract_begin("err_einval");

	int fd = VAL(open("hello.txt", O_RDONLY), 3);
	ERR(lseek(fd, 0, 5), EINVAL);
	ERR(lseek(fd, -100, SEEK_CUR), EINVAL);
	ERR(fcntl(fd, 12345), EINVAL);
	ERR(syscall(SYS_dup3, fd, 10, 1), EINVAL);
	ERR(syscall(SYS_pipe2, (int[2]){ 0 }, 1), EINVAL);
	ERR(syscall(SYS_readv, fd, &(struct iovec){ buf, 1 }, -1), EINVAL);
	ERR(syscall(SYS_readlink, "link", buf, -1), EINVAL);
	ERR(syscall(SYS_readlink, "hello.txt", buf, sizeof(buf)), EINVAL);
	ERR(syscall(SYS_getdents64, open(".", O_RDONLY | O_DIRECTORY), buf, 1), EINVAL);
	ERR(syscall(SYS_access, "hello.txt", 8), EINVAL);
	ERR(syscall(SYS_faccessat, AT_FDCWD, "hello.txt", -1), EINVAL);
	ERR(syscall(SYS_unlinkat, AT_FDCWD, "x", 0x4), EINVAL);
	ERR(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", 0x100), EINVAL);

	printf("mm:\n");
	ERR((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	ERR((long)mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	ERR((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	ERR((long)mmap((void *)0x10000001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0),
	    EINVAL);
	ERR(munmap((void *)0x10000001, 4096), EINVAL);
	ERR(munmap((void *)0x10000000, 0), EINVAL);
	ERR(syscall(SYS_mprotect, 0x10000001, 4096, PROT_READ), EINVAL); /* musl aligns */
	ERR(syscall(SYS_madvise, (void *)0x10000001, 4096, MADV_DONTNEED), EINVAL);
	ERR(syscall(SYS_madvise, (void *)0x10000000, 4096, 12345), EINVAL);

	printf("time:\n");
	ERR(syscall(SYS_clock_gettime, 12345, &ts), EINVAL);
	ERR(syscall(SYS_clock_gettime, -1000, &ts), EINVAL);
	ERR(syscall(SYS_clock_getres, 12345, &ts), EINVAL);
	ERR(syscall(SYS_nanosleep, &(struct timespec){ 0, 1000000000 }, NULL), EINVAL);
	ERR(syscall(SYS_nanosleep, &(struct timespec){ 0, -1 }, NULL), EINVAL);
	ERR(syscall(SYS_nanosleep, &(struct timespec){ -1, 0 }, NULL), EINVAL);
	ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &(struct timespec){ 0, 1000000000 },
		    NULL),
	    EINVAL);
	/* Unknown clock_nanosleep flags are ignored. */
	VAL(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0x10, &(struct timespec){ 0, 1 }, NULL),
	    0);
	ERR(syscall(SYS_getrandom, buf, 4, 0x100), EINVAL);

	printf("other:\n");
	ERR(syscall(SYS_prctl, 0x7fffffff, 0, 0, 0, 0), EINVAL);
	ERR(syscall(SYS_arch_prctl, 0x7777, 0), EINVAL);
	VAL(close(fd), 0);
	return contract_end();
}
