/*
 * The vDSO: a small ELF shared object that proc maps into every Linux
 * process at POSIX_VDSO, right after the kernel's clock page at
 * POSIX_VVAR (posix/layout.h), and names in AT_SYSINFO_EHDR. musl and
 * glibc look its functions up by name and version (LINUX_2.6, vdso.lds)
 * and call them instead of the syscall, so clock_gettime, gettimeofday
 * and time cost no kernel entry.
 *
 * It runs in the application's context, called by the application, as
 * Linux's does: ordinary code on the caller's stack. Clocks the page does
 * not answer fall back to the real syscall, which libposix handles. The
 * clock page is found relative to the code (vvar_page, vdso.lds), so the
 * image works wherever the page sits one page before it (the host test
 * maps it at an address of its own).
 */
#include <stddef.h>
#include <stdint.h>

#include "posix/time.h"
#include "vclock.h"

#define SYS_clock_gettime 228
#define SYS_clock_getres 229

#define VDSO_EXPORT __attribute__((visibility("default")))

extern const volatile struct tern_clock_page vvar_page __attribute__((visibility("hidden")));

static long vdso_syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return ret;
}

/* clk is a clockid_t, an int: the upper half of rdi is not the caller's
 * to define, so it is never looked at. */
VDSO_EXPORT int __vdso_clock_gettime(int clk, struct posix_timespec *ts)
{
	if (!vclock_handles(clk))
		return (int)vdso_syscall2(SYS_clock_gettime, clk, (long)ts);
	vclock_timespec(vclock_ns(&vvar_page, clk), ts);
	return 0;
}

VDSO_EXPORT int __vdso_gettimeofday(struct posix_timeval *tv, struct posix_timezone *tz)
{
	if (tv) {
		uint64_t ns = vclock_ns(&vvar_page, CLOCK_REALTIME);
		tv->tv_sec = (int64_t)(ns / POSIX_NSEC_PER_SEC);
		tv->tv_usec = (int64_t)(ns % POSIX_NSEC_PER_SEC / 1000);
	}
	if (tz) {
		/* Linux's sys_tz, which nothing here sets (settimeofday). */
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}

VDSO_EXPORT int64_t __vdso_time(int64_t *t)
{
	int64_t s = (int64_t)(vclock_ns(&vvar_page, CLOCK_REALTIME) / POSIX_NSEC_PER_SEC);

	if (t)
		*t = s;
	return s;
}

VDSO_EXPORT int __vdso_clock_getres(int clk, struct posix_timespec *res)
{
	if (!vclock_handles(clk))
		return (int)vdso_syscall2(SYS_clock_getres, clk, (long)res);
	if (res)
		vclock_timespec(vclock_res_ns(clk), res);
	return 0;
}

/* One CPU and one node (the kernel runs on the boot CPU only). FIXME: read
 * the CPU number (RDPID, or the TSC_AUX MSR the kernel would set) once
 * the kernel schedules on several. */
VDSO_EXPORT int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

/* The unprefixed names, as Linux's vDSO exports them too. */
VDSO_EXPORT int clock_gettime(int, struct posix_timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime")));
VDSO_EXPORT int gettimeofday(struct posix_timeval *, struct posix_timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
VDSO_EXPORT int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time")));
VDSO_EXPORT int clock_getres(int, struct posix_timespec *)
	__attribute__((weak, alias("__vdso_clock_getres")));
VDSO_EXPORT int getcpu(unsigned *, unsigned *, void *)
	__attribute__((weak, alias("__vdso_getcpu")));
