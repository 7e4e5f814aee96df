/*
 * The console's data path from libposix (tty.c): fds whose route is the
 * console (POSIX_ROUTE_CONSOLE, given by vfs at open) call these directly,
 * so a read or write on the terminal is one IPC to the console driver,
 * never through vfs. Results are Linux's (count or -errno); buffers are
 * application addresses (copied with uaccess.h).
 */
#ifndef LIBPOSIX_TTY_H
#define LIBPOSIX_TTY_H

#include <stddef.h>
#include <stdint.h>

long posix_tty_read(uint64_t handle, uint64_t ubuf, size_t n, int nonblock);
long posix_tty_write(uint64_t handle, uint64_t ubuf, size_t n);
long posix_tty_ioctl(uint64_t handle, uint64_t cmd, uint64_t arg);
/* path.c's open: the console was opened with these open flags (a session
 * leader's readable open without O_NOCTTY may make it its controlling
 * tty: CONSOLE_OPEN). */
void posix_tty_opened(uint64_t handle, uint64_t flags);
/* CONSOLE_POLL: the console's poll mask for `events` (posix/poll.h),
 * waiting up to timeout ns (CONSOLE_POLL_FOREVER, 0 none) for one of
 * them; the mask (0: the time ran out) or -errno (-ERESTARTSYS when a
 * signal ended the wait). */
long posix_tty_poll(uint64_t handle, uint64_t events, uint64_t timeout);

#endif
