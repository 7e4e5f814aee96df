/*
 * The vfs core's platform on the host: calloc for memory, realloc'ed
 * buffers for file data (zero beyond the size, as the MemObj windows
 * are), a clock that ticks once per call, and a fake /proc process list.
 */
#include "platform_host.h"

#include <stdlib.h>
#include <string.h>

uint64_t host_data_limit = FS_DATA_MAX;
int64_t host_now;

void *fs_alloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

void fs_free(void *p)
{
	free(p);
}

int fs_data_reserve(struct fs_data *d, uint64_t size)
{
	uint64_t room = d->room ? d->room : 4096;

	if (size > host_data_limit)
		return -ENOSPC;
	if (size <= d->room && d->base)
		return 0;
	while (room < size)
		room *= 2;
	uint8_t *b = realloc(d->base, room);
	if (!b)
		return -ENOSPC;
	memset(b + d->room, 0, room - d->room);
	d->base = b;
	d->room = room;
	return 0;
}

void fs_data_release(struct fs_data *d)
{
	free(d->base);
	d->base = NULL;
	d->room = 0;
}

void fs_data_reclaim(void)
{
}

struct posix_timespec fs_now(void)
{
	struct posix_timespec t = { 1000 + host_now++, 0 };
	return t;
}
