/*
 * An unimplemented Linux syscall: -ENOSYS, and one line in the system log
 * (never the program's stdout) the first time each number is seen.
 */
#include "call.h"
#include "log.h"
#include "posix/errno.h"

extern const char *const posix_syscall_names[POSIX_SYSCALL_MAX];

/* One bit per number (and one for every number beyond the list). */
static uint64_t logged[(POSIX_SYSCALL_MAX + 64) / 64 + 1];

long posix_enosys(uint64_t nr)
{
	uint64_t bit = nr < POSIX_SYSCALL_MAX ? nr : POSIX_SYSCALL_MAX;
	uint64_t mask = 1ul << (bit % 64);
	if (!(__atomic_fetch_or(&logged[bit / 64], mask, __ATOMIC_RELAXED) & mask)) {
		const char *name = nr < POSIX_SYSCALL_MAX ? posix_syscall_names[nr] : 0;
		if (name)
			posix_log("posix: %s (%lu) is not implemented: ENOSYS", name, nr);
		else
			posix_log("posix: unknown syscall %lu: ENOSYS (numbers past %d are logged "
				  "once together)",
				  nr, POSIX_SYSCALL_MAX - 1);
	}
	return -ENOSYS;
}
