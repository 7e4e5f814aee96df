/*
 * Start-up hooks of libposix's families, called by start.c (in this
 * order) once the thread's runtime state is set up and before the
 * application's first instruction. Each is weak: a family that is not
 * linked in is skipped. Each returns 0 or a negative errno (start-up then
 * fails and proc reports it).
 */
#ifndef LIBPOSIX_INIT_H
#define LIBPOSIX_INIT_H

int posix_fd_init(void) __attribute__((weak));	 /* fdtable.c: the fd routes from vfs */
int posix_time_init(void) __attribute__((weak)); /* time.c: clock page, timer */

#endif
