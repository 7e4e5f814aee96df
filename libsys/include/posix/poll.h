/*
 * Linux's poll ABI (include/uapi/asm-generic/poll.h): struct pollfd and
 * the event bits, for libposix's poll and ppoll and the console driver's
 * CONSOLE_POLL.
 */
#ifndef POSIX_POLL_H
#define POSIX_POLL_H

#include <stdint.h>

#define POSIX_POLLIN 0x0001
#define POSIX_POLLPRI 0x0002
#define POSIX_POLLOUT 0x0004
#define POSIX_POLLERR 0x0008
#define POSIX_POLLHUP 0x0010
#define POSIX_POLLNVAL 0x0020
#define POSIX_POLLRDNORM 0x0040
#define POSIX_POLLRDBAND 0x0080
#define POSIX_POLLWRNORM 0x0100
#define POSIX_POLLWRBAND 0x0200

struct posix_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
_Static_assert(sizeof(struct posix_pollfd) == 8, "Linux's struct pollfd");

#endif
