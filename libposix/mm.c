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
#include "posix/mman.h"
#include "posix/proto_mm.h"
#include "posix/proto_vfs.h"
#include "sys/invoke.h"
#include "sys/thread.h"

long posix_sys_brk(struct posix_call *c)
{
	struct mm_brk_req req = { .addr = c->a[0] };
	struct mm_brk_resp resp;
	long st = mm_brk_call(POSIX_SLOT_MM_EP, &req, &resp);

	return st ? posix_status_to_errno(st) : (long)resp.brk;
}

/*
 * A file mapping: vfs hands this process the file's MemObj (VFS_FD_MEMOBJ,
 * writable for a shared writable mapping; vfs checks the fd and its open
 * mode: EBADF, EACCES, ENODEV), which goes to mm with the request; the
 * slot here is emptied again (mm keeps its own copy).
 */
static long mmap_file(struct mm_mmap_req *req)
{
	struct vfs_fd_memobj_req vreq = {
		.fd = (uint64_t)(int64_t)(int)req->fd,
		.write = (req->flags & MAP_TYPE) != MAP_PRIVATE && (req->prot & PROT_WRITE),
	};
	struct vfs_fd_memobj_resp vresp;
	struct mm_mmap_resp resp;
	tern_cptr_t slot;
	long st;

	if ((int)req->fd < 0)
		return -EBADF;
	slot = tern_slot_get();
	if (!slot)
		return -ENOMEM;
	struct tern_client_msg m = {
		.label = VFS_FD_MEMOBJ,
		.req = &vreq,
		.req_words = sizeof(vreq) / 8,
		.resp = &vresp,
		.resp_min = sizeof(vresp) / 8,
		.resp_max = sizeof(vresp) / 8,
		.recv_slot = slot,
	};
	st = tern_client_transact(POSIX_SLOT_VFS_EP, &m);
	if (st || !m.cap_received) {
		tern_slot_put(slot);
		return st ? posix_status_to_errno(st) : -EIO;
	}
	st = tern_client_call_cap(POSIX_SLOT_MM_EP, MM_MMAP, slot, req, sizeof(*req) / 8, &resp,
				  sizeof(resp) / 8);
	/* Removed, not deleted: mm's copy, which it keeps for the region
	 * (fork clones from it), was derived from this slot's cap, and a
	 * delete's revoke would take it too. */
	tern_cnode_remove(POSIX_SLOT_CNODE, slot, 64);
	tern_slot_put(slot);
	return st ? posix_status_to_errno(st) : (long)resp.addr;
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
	long st;

	if (req.off & 4095)
		return -EINVAL; /* before the fd, as x86's sys_mmap */
	if (!(req.flags & MAP_ANONYMOUS))
		return mmap_file(&req);
	st = mm_mmap_call(POSIX_SLOT_MM_EP, &req, &resp);
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
