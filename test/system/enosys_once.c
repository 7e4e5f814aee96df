/* A Linux syscall libposix does not implement (Linux does): -ENOSYS each
 * time, one line in the system log naming it, and the program goes on.
 * tern only (on Linux these calls work); the harness checks the log. */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int ok = 1;
	for (int i = 0; i < 3; i++) {
		long r = syscall(SYS_io_uring_setup, 1, NULL);
		printf("io_uring_setup = %ld errno %d\n", r, r == -1 ? errno : 0);
		ok &= r == -1 && errno == ENOSYS;
	}
	long r = syscall(SYS_kexec_load, 0, 0, NULL, 0);
	ok &= r == -1 && errno == ENOSYS;
	printf("kexec_load = %ld errno %d\n", r, r == -1 ? errno : 0);
	printf("ENOSYS %s\n", ok ? "ok" : "FAIL");
	return ok ? 0 : 1;
}
