/*
 * A pipe's ring buffer: PIPE_SIZE bytes (Linux's default 16 pages) from
 * vfs's heap (lazily populated: pages a ring never used cost nothing). Writes of
 * at most PIPE_BUF bytes go in whole or not at all (POSIX atomicity);
 * longer ones take what fits. Who waits, and when to answer them, is the
 * server's business (io.c).
 *
 * Entry points: pipe_new, pipe_free, pipe_read, pipe_write, pipe_room.
 */
#include "fs.h"

#include "common/string.h"

struct pipe *pipe_new(void)
{
	struct pipe *p = fs_alloc(sizeof(*p));

	if (!p)
		return NULL;
	if (!(p->ring = fs_alloc(PIPE_SIZE))) {
		fs_free(p);
		return NULL;
	}
	return p;
}

void pipe_free(struct pipe *p)
{
	fs_free(p->ring);
	fs_free(p);
}

size_t pipe_room(const struct pipe *p)
{
	return PIPE_SIZE - p->len;
}

size_t pipe_read(struct pipe *p, void *buf, size_t n)
{
	uint8_t *out = buf;
	size_t done = 0;

	if (n > p->len)
		n = p->len;
	while (done < n) {
		size_t chunk = PIPE_SIZE - p->head;
		if (chunk > n - done)
			chunk = n - done;
		memcpy(out + done, p->ring + p->head, chunk);
		p->head = (uint32_t)((p->head + chunk) % PIPE_SIZE);
		p->len -= (uint32_t)chunk;
		done += chunk;
	}
	if (p->len == 0)
		p->head = 0;
	return done;
}

size_t pipe_write(struct pipe *p, const void *buf, size_t n)
{
	const uint8_t *in = buf;
	size_t room = pipe_room(p), done = 0;

	if (n <= POSIX_PIPE_BUF && n > room)
		return 0;
	if (n > room)
		n = room;
	while (done < n) {
		uint32_t tail = (uint32_t)((p->head + p->len) % PIPE_SIZE);
		size_t chunk = PIPE_SIZE - tail;
		if (chunk > n - done)
			chunk = n - done;
		memcpy(p->ring + tail, in + done, chunk);
		p->len += (uint32_t)chunk;
		done += chunk;
	}
	return done;
}
