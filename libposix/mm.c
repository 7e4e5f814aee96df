/*
 * The mm family: each call goes to the mm server as it is (mm checks
 * everything, posix/proto_mm.h); mincore's vector is copied back here.
 * Entry points: posix_sys_brk, mmap, munmap, mprotect, mremap, madvise,
 * msync, mincore.
 */
#include "call.h"
#include "errors.h"
#include "uaccess.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/proto_mm.h"

long posix_sys_brk(struct posix_call *c)
{
	struct mm_brk_req req = { .addr = c->a[0] };
	struct mm_brk_resp resp;
	long st = mm_brk_call(POSIX_SLOT_MM_EP, &req, &resp);

	return st ? posix_status_to_errno(st) : (long)resp.brk;
}

long posix_sys_mmap(struct posix_call *c)
{
	struct mm_mmap_req req = { .addr = c->a[0],
				   .len = c->a[1],
				   .prot = c->a[2],
				   .flags = c->a[3],
				   .fd = c->a[4],
				   .off = c->a[5] };
	struct mm_mmap_resp resp;
	long st = mm_mmap_call(POSIX_SLOT_MM_EP, &req, &resp);

	return st ? posix_status_to_errno(st) : (long)resp.addr;
}

long posix_sys_munmap(struct posix_call *c)
{
	struct mm_munmap_req req = { .addr = c->a[0], .len = c->a[1] };
	struct mm_munmap_resp resp;

	return posix_status_to_errno(mm_munmap_call(POSIX_SLOT_MM_EP, &req, &resp));
}

long posix_sys_mprotect(struct posix_call *c)
{
	struct mm_mprotect_req req = { .addr = c->a[0], .len = c->a[1], .prot = c->a[2] };
	struct mm_mprotect_resp resp;

	return posix_status_to_errno(mm_mprotect_call(POSIX_SLOT_MM_EP, &req, &resp));
}

long posix_sys_mremap(struct posix_call *c)
{
	struct mm_mremap_req req = { .old_addr = c->a[0],
				     .old_len = c->a[1],
				     .new_len = c->a[2],
				     .flags = c->a[3],
				     .new_addr = c->a[4] };
	struct mm_mremap_resp resp;
	long st = mm_mremap_call(POSIX_SLOT_MM_EP, &req, &resp);

	return st ? posix_status_to_errno(st) : (long)resp.addr;
}

long posix_sys_madvise(struct posix_call *c)
{
	struct mm_madvise_req req = { .addr = c->a[0], .len = c->a[1], .advice = c->a[2] };
	struct mm_madvise_resp resp;

	return posix_status_to_errno(mm_madvise_call(POSIX_SLOT_MM_EP, &req, &resp));
}

long posix_sys_msync(struct posix_call *c)
{
	struct mm_msync_req req = { .addr = c->a[0], .len = c->a[1], .flags = c->a[2] };
	struct mm_msync_resp resp;

	return posix_status_to_errno(mm_msync_call(POSIX_SLOT_MM_EP, &req, &resp));
}

long posix_sys_mincore(struct posix_call *c)
{
	static struct mm_mincore_resp resp;
	uint64_t addr = c->a[0], len = c->a[1], vec = c->a[2];
	uint64_t pages = (len + 4095) / 4096, done = 0;

	if (addr & 4095)
		return -EINVAL;
	do {
		struct mm_mincore_req req = { .addr = addr + done * 4096,
					      .len = (pages - done) * 4096 };
		long st = mm_mincore_call(POSIX_SLOT_MM_EP, &req, &resp);
		if (st)
			return posix_status_to_errno(st);
		if (resp.pages > MM_MINCORE_MAX || resp.pages > pages - done)
			return -EIO;
		if (copy_to_user(vec + done, resp.vec, resp.pages))
			return -EFAULT;
		done += resp.pages;
	} while (done < pages && resp.pages);
	return 0;
}
