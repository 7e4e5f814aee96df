/*
 * Copy-on-write reference counting: see kernel/cow.h for the contract.
 *
 * Overflow is refused rather than saturated: a saturated count could
 * never come back down, so the frame would leak, while a refused share
 * has an easy way out (copy the page for the new clone right away). The
 * one page that really is shared without bound, the zero page, is pinned
 * and not counted at all.
 */
#include <kernel/cow.h>

static bool pinned(const struct page_ref *r)
{
	return r->flags & PAGE_REF_PINNED;
}

void cow_page_init(struct page_ref *r)
{
	r->refs = 1;
	r->flags = 0;
}

void cow_page_init_pinned(struct page_ref *r)
{
	r->refs = 1;
	r->flags = PAGE_REF_PINNED;
}

int cow_share(struct page_ref *r)
{
	if (pinned(r))
		return COW_OK;
	if (r->refs == UINT32_MAX)
		return COW_EOVERFLOW;
	r->refs++;
	return COW_OK;
}

enum cow_action cow_write_fault(const struct page_ref *r)
{
	if (pinned(r))
		return COW_COPY;
	if (r->refs == 0)
		return COW_INVALID;
	return r->refs == 1 ? COW_REUSE : COW_COPY;
}

int cow_unshare(struct page_ref *r)
{
	if (pinned(r))
		return COW_KEEP;
	if (r->refs == 0)
		return COW_EUNDERFLOW;
	return --r->refs == 0 ? COW_FREE : COW_KEEP;
}

int cow_copied(struct page_ref *r)
{
	return cow_unshare(r);
}

enum cow_resolution cow_resolve(int depth, const struct page_ref *ref, bool write)
{
	if (depth < COW_FOUND_OWN)
		return write ? COW_ALLOC_ZERO : COW_MAP_ZERO_PAGE;
	if (depth > COW_FOUND_OWN)
		return write ? COW_COPY_FROM_ANCESTOR : COW_MAP_READONLY;
	switch (cow_write_fault(ref)) {
	case COW_REUSE:
		return COW_MAP_WRITABLE;
	case COW_COPY:
		return write ? COW_COPY_REPLACE : COW_MAP_READONLY;
	case COW_INVALID:
		break;
	}
	return COW_RESOLVE_INVALID;
}
