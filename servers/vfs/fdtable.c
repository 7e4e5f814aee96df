/*
 * Open file descriptions and fd tables. A description (struct file) holds
 * the offset and the status flags, shared by every fd dup'ed from it and
 * by the child's copy of a table after fork; the fd's own flag is
 * close-on-exec. A table is shared whole by CLONE_FILES (its refs).
 * Lowest free fd first, as POSIX requires; RLIMIT_NOFILE is the limit the
 * caller passes.
 *
 * Entry points: fdtable_new, fdtable_clone, fdtable_put, fd_get, fd_alloc,
 * fd_install_at, fd_remove, fdtable_cloexec, file_new.
 */
#include "fs.h"

#include "common/string.h"

#define FDTABLE_INITIAL 64u

struct file *file_new(enum file_kind kind, uint32_t flags)
{
	struct file *f = fs_alloc(sizeof(*f));

	if (f) {
		f->refs = 0;
		f->kind = kind;
		f->flags = flags;
	}
	return f;
}

struct fdtable *fdtable_new(void)
{
	struct fdtable *t = fs_alloc(sizeof(*t));

	if (!t)
		return NULL;
	t->fds = fs_alloc(FDTABLE_INITIAL * sizeof(*t->fds));
	if (!t->fds) {
		fs_free(t);
		return NULL;
	}
	t->size = FDTABLE_INITIAL;
	t->refs = 1;
	return t;
}

struct fdtable *fdtable_clone(const struct fdtable *src)
{
	struct fdtable *t = fs_alloc(sizeof(*t));

	if (!t)
		return NULL;
	t->fds = fs_alloc(src->size * sizeof(*t->fds));
	if (!t->fds) {
		fs_free(t);
		return NULL;
	}
	memcpy(t->fds, src->fds, src->size * sizeof(*t->fds));
	for (uint32_t i = 0; i < src->size; i++)
		if (t->fds[i].file)
			t->fds[i].file->refs++;
	t->size = src->size;
	t->open = src->open;
	t->refs = 1;
	return t;
}

void fdtable_put(struct fdtable *t, void (*put)(struct file *, void *), void *ctx)
{
	if (!t || --t->refs)
		return;
	for (uint32_t i = 0; i < t->size; i++)
		if (t->fds[i].file)
			put(t->fds[i].file, ctx);
	fs_free(t->fds);
	fs_free(t);
}

struct file *fd_get(const struct fdtable *t, int64_t fd)
{
	if (fd < 0 || (uint64_t)fd >= t->size)
		return NULL;
	return t->fds[fd].file;
}

/* Make room for fd (doubling), never beyond limit. */
static int fdtable_grow(struct fdtable *t, uint32_t fd)
{
	uint32_t size = t->size;
	struct fd_slot *fds;

	if (fd < size)
		return 0;
	while (size <= fd)
		size *= 2;
	fds = fs_alloc(size * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	memcpy(fds, t->fds, t->size * sizeof(*fds));
	fs_free(t->fds);
	t->fds = fds;
	t->size = size;
	return 0;
}

bool fd_room(const struct fdtable *t, uint32_t limit)
{
	uint32_t fd = 0;

	while (fd < t->size && t->fds[fd].file)
		fd++;
	return fd < limit;
}

int fd_alloc(struct fdtable *t, struct file *f, uint32_t min, uint32_t limit, bool cloexec)
{
	uint32_t fd = min;

	while (fd < t->size && t->fds[fd].file)
		fd++;
	if (fd >= limit)
		return -EMFILE;
	if (fdtable_grow(t, fd))
		return -ENOMEM;
	t->fds[fd].file = f;
	t->fds[fd].cloexec = cloexec;
	f->refs++;
	t->open++;
	return (int)fd;
}

int fd_install_at(struct fdtable *t, uint32_t fd, struct file *f, bool cloexec, uint32_t limit,
		  struct file **old)
{
	*old = NULL;
	if (fd >= limit)
		return -EBADF;
	if (fdtable_grow(t, fd))
		return -ENOMEM;
	*old = t->fds[fd].file;
	if (!*old)
		t->open++;
	t->fds[fd].file = f;
	t->fds[fd].cloexec = cloexec;
	f->refs++;
	return 0;
}

struct file *fd_remove(struct fdtable *t, int64_t fd)
{
	struct file *f = fd_get(t, fd);

	if (f) {
		t->fds[fd].file = NULL;
		t->fds[fd].cloexec = false;
		t->open--;
	}
	return f;
}

void fdtable_cloexec(struct fdtable *t, void (*put)(struct file *, void *), void *ctx)
{
	for (uint32_t i = 0; i < t->size; i++)
		if (t->fds[i].file && t->fds[i].cloexec)
			put(fd_remove(t, i), ctx);
}
