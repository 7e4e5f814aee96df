/*
 * A static program (built with musl and with glibc) that vdso_loader starts with our vDSO in
 * AT_SYSINFO_EHDR over a fake clock page (7 s since boot, the epoch base
 * 1700000000 s): what it prints shows that the libc's own lookup found our
 * functions and that its clock_gettime, gettimeofday and time went
 * through them (the host's clocks would say otherwise), and that a clock
 * the page does not answer reached the (host) kernel through the
 * vDSO's fallback.
 */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec mono, real, coarse, cpu;
	struct timeval tv;

	int r0 = clock_gettime(CLOCK_MONOTONIC, &mono);
	int r1 = clock_gettime(CLOCK_REALTIME, &real);
	int r2 = clock_gettime(CLOCK_MONOTONIC_COARSE, &coarse);
	int r3 = gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	int r4 = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	printf("mono %d %ld real %d %ld coarse %d %ld %ld tod %d %ld time %ld cpu %d %d\n", r0,
	       (long)mono.tv_sec, r1, (long)real.tv_sec, r2, (long)coarse.tv_sec,
	       coarse.tv_nsec % 4000000, r3, (long)tv.tv_sec, (long)t, r4,
	       cpu.tv_sec >= 0 && cpu.tv_sec < 100);
	return 0;
}
