/*
 * Pure parts of the misc family (misc_calc.h).
 */
#include "misc_calc.h"

#include "common/string.h"
#include "posix/errno.h"
#include "posix/time.h"

static void set_field(char field[POSIX_UTS_LEN], const char *value)
{
	size_t n = strlen(value);

	memcpy(field, value, n);
	memset(field + n, 0, POSIX_UTS_LEN - n);
}

void posix_utsname_fill(struct posix_utsname *u)
{
	set_field(u->sysname, POSIX_UTS_SYSNAME);
	set_field(u->nodename, POSIX_UTS_NODENAME);
	set_field(u->release, POSIX_UTS_RELEASE);
	set_field(u->version, POSIX_UTS_VERSION);
	set_field(u->machine, POSIX_UTS_MACHINE);
	set_field(u->domainname, POSIX_UTS_DOMAINNAME);
}

long posix_getrandom_flags_check(uint64_t flags)
{
	/* The syscall's flags are an unsigned int: the upper half is not
	 * looked at. */
	uint32_t f = (uint32_t)flags;

	if (f & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((f & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	return 0;
}

uint64_t posix_rw_count(uint64_t len)
{
	const uint64_t max = 0x7ffff000ull; /* INT_MAX & PAGE_MASK */

	return len > max ? max : len;
}

void posix_sysinfo_fill(struct posix_sysinfo *si, uint64_t uptime_ns, uint64_t total, uint64_t free,
			uint16_t procs)
{
	memset(si, 0, sizeof(*si));
	/* Linux rounds a started second up. */
	si->uptime =
		(int64_t)(uptime_ns / POSIX_NSEC_PER_SEC + (uptime_ns % POSIX_NSEC_PER_SEC != 0));
	si->totalram = total;
	si->freeram = free;
	si->procs = procs;
	si->mem_unit = 1;
}
