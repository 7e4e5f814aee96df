/*
 * The one table from Linux syscall number to handler, made from the list
 * in posix/syscalls.h. Each handler is referred to weakly: a family file
 * that defines posix_sys_<name> fills its entry, and a name nobody
 * defines stays NULL, which the dispatcher answers with -ENOSYS.
 */
#include "call.h"

#define POSIX_WEAK_DECL(num, name) \
	extern long posix_sys_##name(struct posix_call *c) __attribute__((weak));
POSIX_SYSCALLS(POSIX_WEAK_DECL)
#undef POSIX_WEAK_DECL

const posix_handler_fn posix_table[POSIX_SYSCALL_MAX] = {
#define POSIX_TABLE_ENTRY(num, name) [num] = posix_sys_##name,
	POSIX_SYSCALLS(POSIX_TABLE_ENTRY)
#undef POSIX_TABLE_ENTRY
};

const char *const posix_syscall_names[POSIX_SYSCALL_MAX] = {
#define POSIX_NAME_ENTRY(num, name) [num] = #name,
	POSIX_SYSCALLS(POSIX_NAME_ENTRY)
#undef POSIX_NAME_ENTRY
};
