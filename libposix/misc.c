/*
 * The misc family, answered inside the process: uname, getrandom (the
 * kernel CRNG through the RANDOM call), sysinfo (the clock page and the
 * kernel's memory figures) and getcpu. Entry points: the posix_sys_*
 * handlers below.
 */
#include "call.h"
#include "misc_calc.h"
#include "uaccess.h"
#include "vdso/vclock.h"

#include "common/string.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/time.h"
#include "sys/syscalls.h"

#define clock_page ((const volatile struct tern_clock_page *)POSIX_VVAR)

/* Filled once: a uname is then one copy (390 bytes). */
static struct posix_utsname utsname;

long posix_sys_uname(struct posix_call *c)
{
	if (!utsname.sysname[0])
		posix_utsname_fill(&utsname);
	return copy_to_user(c->a[0], &utsname, sizeof(utsname));
}

/* The CRNG is seeded before the first program runs, so getrandom never
 * blocks and GRND_NONBLOCK, GRND_RANDOM and GRND_INSECURE change nothing
 * (as on Linux once the CRNG is ready). The kernel fills the caller's
 * buffer directly, TERN_RANDOM_MAX bytes a call; when it refuses a piece
 * (a bad page), that piece is redone through libposix's fault-safe copy
 * so the count returned is the bytes copied before the fault, as Linux
 * returns it (-EFAULT when no byte was). */
long posix_sys_getrandom(struct posix_call *c)
{
	uint8_t buf[TERN_RANDOM_MAX];
	uint64_t ubuf = c->a[0], len = posix_rw_count(c->a[1]), done = 0;
	long err = posix_getrandom_flags_check(c->a[2]);

	if (err)
		return err;
	if (len && !user_range_ok(ubuf, len))
		return -EFAULT;
	while (done < len) {
		uint64_t n = len - done < TERN_RANDOM_MAX ? len - done : TERN_RANDOM_MAX;
		if (tern_random((void *)(ubuf + done), n) != TERN_EOK)
			break;
		done += n;
	}
	if (done == len)
		return (long)done;
	while (done < len) {
		uint64_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		if (tern_random(buf, n) != TERN_EOK) {
			err = -EIO;
			break;
		}
		size_t copied = copy_to_user_upto(ubuf + done, buf, n);
		done += copied;
		if (copied < n) {
			err = -EFAULT;
			break;
		}
	}
	memset(buf, 0, sizeof(buf));
	__asm__ volatile("" : : "r"(buf) : "memory"); /* keep the wipe */
	return done ? (long)done : err;
}

long posix_sys_sysinfo(struct posix_call *c)
{
	struct posix_sysinfo si;
	uint64_t mem[4] = { 0 };

	if (tern_debug_query(TERN_DEBUG_QUERY_MEMORY, 0, mem) != TERN_EOK)
		return -EIO;
	/* FIXME: procs and the load averages need proc's count and the
	 * kernel's run-queue history; 1 (the caller) and 0 until then. */
	posix_sysinfo_fill(&si, vclock_ns(clock_page, CLOCK_BOOTTIME), mem[0], mem[1], 1);
	return copy_to_user(c->a[0], &si, sizeof(si));
}

/* One CPU, one node (vdso.c says why). The third argument is unused
 * since Linux 2.6.24. */
long posix_sys_getcpu(struct posix_call *c)
{
	unsigned zero = 0;

	if (c->a[0] && copy_to_user(c->a[0], &zero, sizeof(zero)))
		return -EFAULT;
	if (c->a[1] && copy_to_user(c->a[1], &zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}
