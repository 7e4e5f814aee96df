/*
 * The region list (vma.h): a sorted array, small enough (VMA_MAX) that
 * linear scans are cheaper than a tree and easy to check.
 */
#include "vma.h"

void vma_init(struct vma_list *l)
{
	l->n = 0;
}

struct vma *vma_find(struct vma_list *l, uint64_t addr)
{
	for (unsigned i = 0; i < l->n; i++) {
		if (addr < l->v[i].start)
			return NULL;
		if (addr < l->v[i].end)
			return &l->v[i];
	}
	return NULL;
}

bool vma_range_free(const struct vma_list *l, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i].start < end && start < l->v[i].end)
			return false;
	return true;
}

bool vma_range_covered(const struct vma_list *l, uint64_t start, uint64_t end)
{
	uint64_t at = start;

	for (unsigned i = 0; i < l->n && at < end; i++) {
		if (l->v[i].end <= at)
			continue;
		if (l->v[i].start > at)
			return false;
		at = l->v[i].end;
	}
	return at >= end;
}

bool vma_range_has_kind(const struct vma_list *l, uint64_t start, uint64_t end, uint32_t kinds)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i].start < end && start < l->v[i].end && (l->v[i].kind & kinds))
			return true;
	return false;
}

uint64_t vma_find_gap(const struct vma_list *l, uint64_t len, uint64_t align, uint64_t lo,
		      uint64_t hi)
{
	uint64_t top = hi;

	if (!len || len > hi - lo)
		return 0;
	/* Gaps from the top down: between region i-1's end and region i's start. */
	for (unsigned i = l->n + 1; i-- > 0;) {
		uint64_t gap_hi = i < l->n ? l->v[i].start : top;
		uint64_t gap_lo = i > 0 ? l->v[i - 1].end : lo;

		if (gap_hi > top)
			gap_hi = top;
		if (gap_lo < lo)
			gap_lo = lo;
		if (gap_hi <= gap_lo || gap_hi - gap_lo < len)
			continue;
		uint64_t a = (gap_hi - len) & ~(align - 1);
		if (a >= gap_lo)
			return a;
	}
	return 0;
}

static void insert_at(struct vma_list *l, unsigned i, const struct vma *v)
{
	for (unsigned j = l->n; j > i; j--)
		l->v[j] = l->v[j - 1];
	l->v[i] = *v;
	l->n++;
}

static void remove_at(struct vma_list *l, unsigned i)
{
	for (unsigned j = i; j + 1 < l->n; j++)
		l->v[j] = l->v[j + 1];
	l->n--;
}

int vma_insert(struct vma_list *l, const struct vma *v)
{
	unsigned i = 0;

	if (l->n == VMA_MAX || v->start >= v->end || !vma_range_free(l, v->start, v->end))
		return -1;
	while (i < l->n && l->v[i].start < v->start)
		i++;
	insert_at(l, i, v);
	return 0;
}

/* Splits the region containing addr (strictly inside it) into two. */
static int split(struct vma_list *l, uint64_t addr)
{
	for (unsigned i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		if (addr <= v->start || addr >= v->end)
			continue;
		if (l->n == VMA_MAX)
			return -1;
		struct vma hi = *v;
		hi.start = addr;
		hi.obj_page += (addr - v->start) / VMA_PAGE;
		v->end = addr;
		insert_at(l, i + 1, &hi);
		return 0;
	}
	return 0;
}

/* How many new entries splitting at start and end takes. */
static unsigned splits_needed(const struct vma_list *l, uint64_t start, uint64_t end)
{
	unsigned n = 0;

	for (unsigned i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		if (start > v->start && start < v->end)
			n++;
		if (end > v->start && end < v->end)
			n++;
	}
	return n;
}

int vma_split_at(struct vma_list *l, uint64_t start, uint64_t end)
{
	if (l->n + splits_needed(l, start, end) > VMA_MAX)
		return -1;
	split(l, start);
	split(l, end);
	return 0;
}

int vma_remove(struct vma_list *l, uint64_t start, uint64_t end, vma_removed_fn fn, void *ctx)
{
	/* Removing the middle of one region leaves two: one more entry. */
	if (vma_split_at(l, start, end))
		return -1;
	for (unsigned i = 0; i < l->n;) {
		struct vma *v = &l->v[i];
		if (v->start >= start && v->end <= end) {
			struct vma piece = *v;
			remove_at(l, i);
			if (fn)
				fn(ctx, &piece);
			continue;
		}
		i++;
	}
	return 0;
}

bool vma_obj_used(const struct vma_list *l, uint32_t obj)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i].obj == obj)
			return true;
	return false;
}

bool vma_obj_cloned(const struct vma_list *l, uint32_t obj)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i].obj == obj && (l->v[i].kind & (VMA_ANON | VMA_SHARED)) == VMA_ANON)
			return true;
	return false;
}
