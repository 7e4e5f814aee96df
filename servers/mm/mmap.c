/*
 * mm's handlers (posix/proto_mm.h): MM_SETUP and MM_EXIT from proc, and
 * brk, mmap, munmap, mprotect, mremap, madvise, msync, mincore with
 * Linux's argument checks and errors (mm/mmap.c, mm/mprotect.c,
 * mm/mremap.c, mm/madvise.c, mm/msync.c, mm/mincore.c). The caller is
 * the badge; only POSIX_BADGE_PROC may set up or end an address space.
 *
 * Anonymous memory is one MemObj per region as mapped (lazily filled by
 * the kernel, zero pages on first touch); a region cut in two keeps
 * sharing its MemObj at two offsets, and a MemObj no region uses any more
 * is deleted (obj_gc). A region of 2 MiB or more is placed 2 MiB aligned
 * so the kernel backs it with huge pages.
 */
#include "mm.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/status.h"
#include "posix/layout.h"
#include "posix/mman.h"
#include "posix/proto_mm.h"
#include "common/string.h"
#include "sys/invoke.h"
#include "sys/printf.h"
#include "sys/spawn.h"
#include "sys/thread.h"
#include "tern/invocation.h"

#define PAGE VMA_PAGE
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define HUGE (2ul << 20)
#define TASK_SIZE 0x7ffffffff000ul /* Linux's TASK_SIZE_MAX on x86-64 */
#define CNODE TERN_CHILD_SLOT_CNODE

MM_PROTOCOL(TERN_SERVER_HANDLER)

static struct mm_server *server_of(struct tern_request *req)
{
	return req->server->ctx;
}

struct mm_proc *mm_proc_of(struct mm_server *s, uint64_t pid)
{
	for (unsigned i = 0; i < MM_PROCS; i++)
		if (s->procs[i].used && s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

static struct mm_proc *caller(struct tern_request *req)
{
	if (req->badge == 0 || req->badge > POSIX_PID_MAX)
		return NULL;
	return mm_proc_of(server_of(req), req->badge);
}

static uint64_t rights_of(uint32_t prot)
{
	uint64_t r = 0;

	if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC))
		r |= TERN_RIGHT_READ;
	if (prot & PROT_WRITE)
		r |= TERN_RIGHT_WRITE;
	if (prot & PROT_EXEC)
		r |= TERN_RIGHT_EXEC;
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		r |= TERN_MAP_WX;
	return r;
}

/* The rights for mapping a region: exec's regions (the program, the
 * stack, libposix's heap and handler stacks) and the break use 4 KiB
 * pages only, as proc maps them (servers/proc/exec.c map_anon); mmap's
 * may get 2 MiB ones. */
static uint64_t map_rights(uint32_t prot, uint32_t kind)
{
	return rights_of(prot) |
	       ((kind & (VMA_FIXED | VMA_RESERVED | VMA_BRK)) ? TERN_MAP_SMALL : 0);
}

/* Whether [start, end) meets libposix's region or vvar/vDSO (their
 * regions, and the gaps between them, which nothing else may take). */
static bool reserved(const struct mm_proc *mp, uint64_t start, uint64_t end)
{
	if (start < POSIX_END && end > POSIX_BASE)
		return true;
	if (start < POSIX_VDSO + POSIX_VDSO_MAX_PAGES * PAGE && end > POSIX_VVAR)
		return true;
	return vma_range_has_kind(&mp->vmas, start, end, VMA_RESERVED);
}

/* ---- objects ---------------------------------------------------------- */

static void obj_mark(struct mm_proc *mp, uint32_t id, bool used)
{
	if (used)
		mp->obj_used[id / 64] |= 1ul << (id % 64);
	else
		mp->obj_used[id / 64] &= ~(1ul << (id % 64));
}

/*
 * Processes' memory is charged to mm_user_quota, a child quota split
 * from mm's own at start-up that leaves mm what its own pages need (its
 * state, stack and IPC buffer, faulted in as it goes): a process that
 * spends every page it may have gets ENOMEM from mmap or brk, or is
 * killed by proc as Linux's OOM killer kills (a fault the quota cannot
 * pay), and mm goes on serving. Without a split mm itself faulted on
 * the exhausted quota at its next fresh page and the system stopped.
 */
tern_cptr_t mm_user_quota = TERN_CHILD_SLOT_QUOTA;

#define MM_OWN_RESERVE (sizeof(struct mm_server) + (4ul << 20))

void mm_quota_init(void)
{
	uint64_t used, limit;
	tern_cptr_t slot = tern_slot_get();

	if (!slot || tern_quota_query(TERN_CHILD_SLOT_QUOTA, &used, &limit) ||
	    limit < used + 2 * MM_OWN_RESERVE ||
	    tern_quota_split(TERN_CHILD_SLOT_QUOTA, limit - used - MM_OWN_RESERVE, CNODE, slot,
			     64)) {
		tern_logf(3, "mm: no quota for processes apart from mm's own");
		return;
	}
	mm_user_quota = slot;
}

static enum tern_error user_memobj(uint64_t pages, tern_cptr_t *slot)
{
	tern_cptr_t s = tern_slot_get();
	if (!s)
		return TERN_ENOT_ENOUGH_MEMORY;
	enum tern_error err =
		tern_quota_create(mm_user_quota, TERN_CAP_MEMOBJ, pages, CNODE, s, 64);
	if (err)
		tern_slot_put(s);
	else
		*slot = s;
	return err;
}

/* A free object id (never 0), or 0 when all are taken. */
static uint32_t obj_free_id(const struct mm_proc *mp)
{
	for (uint32_t w = 0; w < MM_OBJS / 64; w++) {
		uint64_t free = ~mp->obj_used[w] & (w == 0 ? ~1ul : ~0ul);
		if (free)
			return w * 64 + (uint32_t)__builtin_ctzl(free);
	}
	return 0;
}

static uint32_t obj_new(struct mm_proc *mp, uint64_t pages)
{
	tern_cptr_t slot;

	uint32_t id = obj_free_id(mp);

	if (!id || user_memobj(pages, &slot))
		return 0;
	if (tern_cnode_move(mp->keeper, id, 64, slot, 64)) {
		tern_cnode_delete(CNODE, slot, 64);
		tern_slot_put(slot);
		return 0;
	}
	tern_slot_put(slot);
	obj_mark(mp, id, true);
	return id;
}

/* A MemObj that came with a request (a file's), as an object id. */
static uint32_t obj_adopt(struct mm_proc *mp, tern_cptr_t slot)
{
	uint32_t id = obj_free_id(mp);

	if (!id || tern_cnode_move(mp->keeper, id, 64, slot, 64))
		return 0;
	tern_slot_put(slot);
	obj_mark(mp, id, true);
	return id;
}

/* Objects no region uses any more are deleted. */
static void obj_gc(struct mm_proc *mp)
{
	uint64_t live[MM_OBJS / 64] = { 0 };

	for (unsigned i = 0; i < mp->vmas.n; i++)
		if (mp->vmas.v[i].obj)
			live[mp->vmas.v[i].obj / 64] |= 1ul << (mp->vmas.v[i].obj % 64);
	for (uint32_t w = 0; w < MM_OBJS / 64; w++) {
		uint64_t dead = mp->obj_used[w] & ~live[w];
		while (dead) {
			uint32_t id = w * 64 + (uint32_t)__builtin_ctzl(dead);
			dead &= dead - 1;
			tern_cnode_delete(mp->keeper, id, 64);
			obj_mark(mp, id, false);
		}
	}
}

/* Maps a region's pages as its protection says (PROT_NONE: not at all). */
static int vma_map(struct mm_proc *mp, const struct vma *v, bool populate)
{
	tern_cptr_t tmp;
	uint64_t rights = map_rights(v->prot, v->kind);
	int err;

	if (!v->obj || !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;
	if (populate)
		rights |= TERN_MAP_POPULATE;
	tmp = tern_slot_get();
	if (!tmp)
		return -1;
	err = tern_cnode_move_from(CNODE, tmp, 64, mp->keeper, v->obj, 64);
	if (!err) {
		err = tern_vspace_map(mp->vspace, v->start, tmp, v->obj_page,
				      (v->end - v->start) / PAGE, rights);
		tern_cnode_move(mp->keeper, v->obj, 64, tmp, 64);
	}
	tern_slot_put(tmp);
	return err ? -1 : 0;
}

static void piece_unmap(void *ctx, const struct vma *piece)
{
	struct mm_proc *mp = ctx;

	if (piece->kind & VMA_RESERVED)
		return;
	tern_vspace_unmap(mp->vspace, piece->start, (piece->end - piece->start) / PAGE);
}

/* A new anonymous region [start, end) over a free range, mapped. The
 * MemObj is mapped from the slot it was made in, then kept: one move. */
static int anon_region(struct mm_proc *mp, uint64_t start, uint64_t end, uint32_t prot,
		       uint32_t kind, bool populate)
{
	struct vma v = { .start = start, .end = end, .prot = prot, .kind = kind };
	uint64_t pages = (end - start) / PAGE, rights = map_rights(prot, kind);
	uint32_t id = obj_free_id(mp);
	tern_cptr_t slot;

	if (!id || mp->vmas.n == VMA_MAX || !vma_range_free(&mp->vmas, start, end))
		return ENOMEM;
	if (user_memobj(pages, &slot))
		return ENOMEM;
	if (populate)
		rights |= TERN_MAP_POPULATE;
	bool mapped = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	if ((mapped && tern_vspace_map(mp->vspace, start, slot, 0, pages, rights)) ||
	    tern_cnode_move(mp->keeper, id, 64, slot, 64)) {
		if (mapped)
			tern_vspace_unmap(mp->vspace, start, pages);
		tern_cnode_delete(CNODE, slot, 64);
		tern_slot_put(slot);
		return ENOMEM;
	}
	tern_slot_put(slot);
	obj_mark(mp, id, true);
	v.obj = id;
	vma_insert(&mp->vmas, &v); /* room and a free range: checked above */
	return 0;
}

static uint64_t rng_next(struct mm_proc *mp);

/* ---- proc's calls ----------------------------------------------------- */

static void proc_forget(struct mm_proc *mp)
{
	if (mp->keeper) {
		tern_cnode_delete(CNODE, mp->keeper, 64);
		tern_slot_put(mp->keeper);
	}
	if (mp->vspace) {
		tern_cnode_delete(CNODE, mp->vspace, 64);
		tern_slot_put(mp->vspace);
	}
	/* Only the header: the region array (VMA_MAX entries, ~10 KiB) is
	 * dead once n is 0, and clearing it whole cost every exit ~5,000
	 * instructions. */
	mp->used = false;
	mp->pid = 0;
	mp->vspace = mp->keeper = 0;
	for (unsigned i = 0; i < MM_OBJS / 64; i++)
		mp->obj_used[i] = 0;
	vma_init(&mp->vmas);
	mp->brk_start = mp->brk = mp->mmap_top = mp->rng = 0;
}

_Static_assert(VMA_ANON == MM_REGION_ANON && VMA_SHARED == MM_REGION_SHARED &&
		       VMA_FIXED == MM_REGION_FIXED && VMA_RESERVED == MM_REGION_RESERVED &&
		       VMA_GROWSDOWN == MM_REGION_GROWSDOWN && VMA_BRK == MM_REGION_BRK,
	       "one set of region kinds");
_Static_assert(MM_KEEPER_RADIX == MM_SPACE_RADIX, "the space proc sends is mm's keeper");

/* A record for pid: its old one forgotten (exec), or a free one. */
static struct mm_proc *proc_record(struct mm_server *s, uint64_t pid)
{
	struct mm_proc *mp = mm_proc_of(s, pid);

	if (mp)
		proc_forget(mp); /* the old address space is proc's to destroy */
	for (unsigned i = 0; i < MM_PROCS && !mp; i++)
		if (!s->procs[i].used)
			mp = &s->procs[i];
	return mp;
}

/* The space that came with the request becomes mp's keeper, its slot 0
 * mp's VSpace (a copy in mm's CNode: it is invoked). */
static int take_space(struct mm_proc *mp, struct tern_request *req, uint64_t pid)
{
	mp->used = true;
	mp->pid = pid;
	mp->keeper = tern_request_take_cap(req);
	mp->vspace = tern_slot_get();
	vma_init(&mp->vmas);
	if (!mp->vspace || tern_cnode_copy_from(CNODE, mp->vspace, 64, mp->keeper, MM_SPACE_VSPACE,
						64, TERN_RIGHTS_ALL)) {
		if (mp->vspace)
			tern_slot_put(mp->vspace);
		mp->vspace = 0;
		proc_forget(mp);
		return EINVAL; /* not a space: a broken proc */
	}
	return 0;
}

/* exec's address space: proc built and mapped it; mm records the regions
 * (posix/proto_mm.h). */
static int mm_setup_handle(struct tern_request *req, const struct mm_setup_req *in,
			   struct mm_setup_resp *out)
{
	struct mm_server *s = server_of(req);
	const struct mm_region *r = (const struct mm_region *)(in + 1);
	struct mm_proc *mp;
	(void)out;

	if (req->badge != POSIX_BADGE_PROC)
		return POSIX_STATUS(EPERM);
	if (!req->cap || in->pid == 0 || in->pid > POSIX_PID_MAX)
		return POSIX_STATUS(EINVAL);
	if (in->nregions > MM_SETUP_REGIONS_MAX ||
	    req->words < MM_SETUP_REQ_WORDS + in->nregions * MM_REGION_WORDS)
		return POSIX_STATUS(EINVAL);
	if (in->mmap_top > POSIX_VVAR || in->brk_start < POSIX_MMAP_MIN_ADDR ||
	    in->brk_start % PAGE)
		return POSIX_STATUS(EINVAL);
	mp = proc_record(s, in->pid);
	if (!mp)
		return POSIX_STATUS(ENOMEM);
	if (take_space(mp, req, in->pid))
		return POSIX_STATUS(EINVAL);
	mp->brk_start = mp->brk = in->brk_start;
	mp->mmap_top = in->mmap_top;
	mp->rng = in->seed | 1;
	for (uint64_t i = 0; i < in->nregions; i++) {
		struct vma v = { .start = r[i].start,
				 .end = r[i].end,
				 .prot = r[i].prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
				 .kind = r[i].kind,
				 .obj = r[i].obj,
				 .obj_page = r[i].obj_page };
		if (v.start % PAGE || v.end % PAGE || v.start >= v.end || v.end > TASK_SIZE ||
		    v.obj >= MM_OBJS || vma_insert(&mp->vmas, &v)) {
			proc_forget(mp);
			return POSIX_STATUS(EINVAL);
		}
		if (v.obj)
			obj_mark(mp, v.obj, true);
	}
	return TERN_SERVER_OK;
}

/* Maps every region of child c that object id backs, from cap `m`. */
static int obj_map_regions(struct mm_proc *c, uint32_t id, tern_cptr_t m)
{
	for (unsigned i = 0; i < c->vmas.n; i++) {
		const struct vma *v = &c->vmas.v[i];
		if (v->obj != id || !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			continue;
		if (tern_vspace_map(c->vspace, v->start, m, v->obj_page, (v->end - v->start) / PAGE,
				    map_rights(v->prot, v->kind)))
			return ENOMEM;
	}
	return 0;
}

/* Object id of parent p into child c: a copy-on-write clone (private
 * anonymous memory, charged to mm's quota) or the same object. */
static int fork_obj(struct mm_proc *p, struct mm_proc *c, uint32_t id, tern_cptr_t ta,
		    tern_cptr_t tb)
{
	int err = 0;

	if (!vma_obj_cloned(&p->vmas, id)) {
		/* Shared: a copy straight from the parent's space, mapped,
		 * then moved into the child's (three calls). */
		if (tern_cnode_copy_from(CNODE, tb, 64, p->keeper, id, 64, TERN_RIGHTS_ALL))
			return ENOMEM;
		err = obj_map_regions(c, id, tb);
		if (!err && tern_cnode_move(c->keeper, id, 64, tb, 64))
			err = ENOMEM;
		if (err)
			tern_cnode_delete(CNODE, tb, 64);
		else
			obj_mark(c, id, true);
		return err;
	}
	if (tern_cnode_move_from(CNODE, ta, 64, p->keeper, id, 64))
		return ENOMEM;
	if (tern_memobj_clone(ta, mm_user_quota, CNODE, tb, 64))
		err = ENOMEM;
	tern_cnode_move(p->keeper, id, 64, ta, 64);
	if (!err)
		err = obj_map_regions(c, id, tb);
	if (!err && tern_cnode_move(c->keeper, id, 64, tb, 64))
		err = ENOMEM;
	if (err)
		tern_cnode_delete(CNODE, tb, 64);
	else
		obj_mark(c, id, true);
	return err;
}

static int mm_fork_handle(struct tern_request *req, const struct mm_fork_req *in,
			  struct mm_fork_resp *out)
{
	struct mm_server *s = server_of(req);
	struct mm_proc *p, *c;
	tern_cptr_t ta, tb;
	int err = 0;
	(void)out;

	if (req->badge != POSIX_BADGE_PROC)
		return POSIX_STATUS(EPERM);
	if (!req->cap || in->child == 0 || in->child > POSIX_PID_MAX || in->child == in->parent)
		return POSIX_STATUS(EINVAL);
	p = mm_proc_of(s, in->parent);
	if (!p)
		return POSIX_STATUS(ESRCH);
	c = proc_record(s, in->child);
	if (!c)
		return POSIX_STATUS(ENOMEM);
	if (take_space(c, req, in->child))
		return POSIX_STATUS(EINVAL);
	/* The regions in use only (not the whole VMA_MAX array). */
	memcpy(c->vmas.v, p->vmas.v, p->vmas.n * sizeof(p->vmas.v[0]));
	c->vmas.n = p->vmas.n;
	c->brk_start = p->brk_start;
	c->brk = p->brk;
	c->mmap_top = p->mmap_top;
	c->rng = rng_next(p) | 1;
	ta = tern_slot_get();
	tb = tern_slot_get();
	if (!ta || !tb)
		err = ENOMEM;
	for (uint32_t w = 0; w < MM_OBJS / 64 && !err; w++)
		for (uint64_t bits = p->obj_used[w]; bits && !err; bits &= bits - 1)
			err = fork_obj(p, c, w * 64 + (uint32_t)__builtin_ctzl(bits), ta, tb);
	if (ta)
		tern_slot_put(ta);
	if (tb)
		tern_slot_put(tb);
	if (err) {
		proc_forget(c); /* what went into its space goes with proc's original */
		return POSIX_STATUS(err);
	}
	return TERN_SERVER_OK;
}

static int mm_exit_handle(struct tern_request *req, const struct mm_exit_req *in,
			  struct mm_exit_resp *out)
{
	struct mm_proc *mp;
	(void)out;

	if (req->badge != POSIX_BADGE_PROC)
		return POSIX_STATUS(EPERM);
	mp = mm_proc_of(server_of(req), in->pid);
	if (!mp)
		return POSIX_STATUS(ESRCH);
	proc_forget(mp);
	return TERN_SERVER_OK;
}

/* What every process holds, for proc's OOM killer (oom.c). */
static int mm_oom_stat_handle(struct tern_request *req, const struct mm_oom_stat_req *in,
			      struct mm_oom_stat_resp *out)
{
	(void)in;
	if (req->badge != POSIX_BADGE_PROC)
		return POSIX_STATUS(EPERM);
	mm_oom_stat(server_of(req), out);
	return TERN_SERVER_OK;
}

/* ---- brk -------------------------------------------------------------- */

/* Linux's brk (mm/mmap.c): below the start or into another region it
 * changes nothing and returns the current break; growing maps fresh
 * zero pages, shrinking unmaps. */
static int mm_brk_handle(struct tern_request *req, const struct mm_brk_req *in,
			 struct mm_brk_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint64_t want = in->addr, old_end, new_end;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	out->brk = mp->brk;
	if (want < mp->brk_start || want > TASK_SIZE)
		return TERN_SERVER_OK;
	old_end = PAGE_UP(mp->brk);
	new_end = PAGE_UP(want);
	if (new_end > old_end) {
		if (!vma_range_free(&mp->vmas, old_end, new_end) || new_end > mp->mmap_top)
			return TERN_SERVER_OK;
		if (anon_region(mp, old_end, new_end, PROT_READ | PROT_WRITE, VMA_ANON | VMA_BRK,
				false))
			return TERN_SERVER_OK;
	} else if (new_end < old_end) {
		if (vma_remove(&mp->vmas, new_end, old_end, piece_unmap, mp))
			return TERN_SERVER_OK;
		obj_gc(mp);
	}
	mp->brk = want;
	out->brk = want;
	return TERN_SERVER_OK;
}

/* ---- mmap ------------------------------------------------------------- */

static uint64_t rng_next(struct mm_proc *mp)
{
	mp->rng ^= mp->rng << 13;
	mp->rng ^= mp->rng >> 7;
	mp->rng ^= mp->rng << 17;
	return mp->rng;
}

/* Where a non-fixed mapping of len goes: the hint when it is free, else
 * the highest gap below mmap_top (2 MiB aligned for 2 MiB and more). */
static uint64_t place(struct mm_proc *mp, uint64_t hint, uint64_t len)
{
	uint64_t align = len >= HUGE ? HUGE : PAGE;
	(void)rng_next;

	hint &= ~(PAGE - 1);
	if (hint >= POSIX_MMAP_MIN_ADDR && hint <= TASK_SIZE - len &&
	    vma_range_free(&mp->vmas, hint, hint + len) && !reserved(mp, hint, hint + len))
		return hint;
	uint64_t a = vma_find_gap(&mp->vmas, len, align, POSIX_MMAP_MIN_ADDR, mp->mmap_top);
	if (!a && align > PAGE)
		a = vma_find_gap(&mp->vmas, len, PAGE, POSIX_MMAP_MIN_ADDR, mp->mmap_top);
	return a;
}

/* mm's windows in its own address space, for copying a file's pages. */
#define MM_WINDOW_SRC 0x100000000000ul
#define MM_WINDOW_DST 0x200000000000ul

/* Copies `pages` pages of object src from page `from` into object dst. */
static int obj_copy(struct mm_proc *mp, tern_cptr_t src, uint64_t from, uint32_t dst,
		    uint64_t pages)
{
	tern_cptr_t tmp = tern_slot_get();
	int err;

	if (!tmp)
		return ENOMEM;
	err = tern_cnode_move_from(CNODE, tmp, 64, mp->keeper, dst, 64);
	if (err) {
		tern_slot_put(tmp);
		return ENOMEM;
	}
	err = tern_vspace_map(TERN_CHILD_SLOT_VSPACE, MM_WINDOW_SRC, src, from, pages,
			      TERN_RIGHT_READ);
	if (!err) {
		err = tern_vspace_map(TERN_CHILD_SLOT_VSPACE, MM_WINDOW_DST, tmp, 0, pages,
				      TERN_RIGHT_READ | TERN_RIGHT_WRITE);
		if (!err) {
			memcpy((void *)MM_WINDOW_DST, (const void *)MM_WINDOW_SRC, pages * PAGE);
			tern_vspace_unmap(TERN_CHILD_SLOT_VSPACE, MM_WINDOW_DST, pages);
		}
		tern_vspace_unmap(TERN_CHILD_SLOT_VSPACE, MM_WINDOW_SRC, pages);
	}
	tern_cnode_move(mp->keeper, dst, 64, tmp, 64);
	tern_slot_put(tmp);
	return err ? ENOMEM : 0;
}

/*
 * A file mapping of `len` bytes from page `off` of the file's MemObj (the
 * request's cap). Shared, and private read-only mappings map the file's
 * pages themselves (a private one sees the file's later writes until it
 * writes, as on Linux); a private writable one gets a copy (FIXME:
 * copy-on-write needs a writable clone of vfs's read-only MemObj). Pages
 * beyond the end of the file stay unmapped (Linux: SIGBUS there).
 */
static int file_region(struct mm_proc *mp, struct tern_request *req, uint64_t addr, uint64_t len,
		       uint64_t off, uint32_t prot, uint32_t kind)
{
	uint64_t fpages = 0, pages = len / PAGE;
	tern_cptr_t cap = tern_request_take_cap(req);
	struct vma v = { .start = addr, .end = addr + len, .prot = prot, .kind = kind };
	int err = 0;

	if (!cap)
		return EBADF;
	if (tern_memobj_size(cap, &fpages)) { /* not a MemObj: a hostile sender */
		tern_cnode_delete(CNODE, cap, 64);
		tern_slot_put(cap);
		return EBADF;
	}
	fpages = off < fpages ? fpages - off : 0;
	if (fpages > pages)
		fpages = pages;
	if (!(kind & VMA_SHARED) && (prot & PROT_WRITE)) {
		v.obj = obj_new(mp, pages);
		if (v.obj && fpages)
			err = obj_copy(mp, cap, off, v.obj, fpages);
		tern_cnode_delete(CNODE, cap, 64);
		tern_slot_put(cap);
		v.kind |= VMA_ANON;
	} else {
		v.obj = obj_adopt(mp, cap);
		v.obj_page = off;
		if (!v.obj) {
			tern_cnode_delete(CNODE, cap, 64);
			tern_slot_put(cap);
		}
		v.end = addr + fpages * PAGE;
	}
	if (!v.obj || err) {
		obj_gc(mp);
		return err ? err : ENOMEM;
	}
	if (v.end > v.start && (vma_insert(&mp->vmas, &v) || vma_map(mp, &v, false))) {
		vma_remove(&mp->vmas, v.start, v.end, piece_unmap, mp);
		obj_gc(mp);
		return ENOMEM;
	}
	/* The rest, beyond the file: a region with no memory behind it. */
	if (v.end < addr + len) {
		struct vma rest = { .start = v.end, .end = addr + len, .prot = prot, .kind = kind };
		if (vma_insert(&mp->vmas, &rest)) {
			vma_remove(&mp->vmas, addr, addr + len, piece_unmap, mp);
			obj_gc(mp);
			return ENOMEM;
		}
	}
	obj_gc(mp);
	return 0;
}

#define MMAP_KNOWN_FLAGS                                                                         \
	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | MAP_DENYWRITE |      \
	 MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | \
	 MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE | MAP_UNINITIALIZED)

static int mm_mmap_handle(struct tern_request *req, const struct mm_mmap_req *in,
			  struct mm_mmap_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint64_t addr = in->addr, len, flags = in->flags;
	uint32_t prot = (uint32_t)in->prot, kind = VMA_ANON;
	int err;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	if (in->off & (PAGE - 1))
		return POSIX_STATUS(EINVAL);
	if (in->len == 0)
		return POSIX_STATUS(EINVAL);
	len = PAGE_UP(in->len);
	if (len == 0 || len > TASK_SIZE)
		return POSIX_STATUS(ENOMEM);
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		kind |= VMA_SHARED;
		break;
	case MAP_SHARED_VALIDATE:
		if (flags & ~(uint64_t)MMAP_KNOWN_FLAGS)
			return POSIX_STATUS(EOPNOTSUPP);
		kind |= VMA_SHARED;
		break;
	case MAP_PRIVATE:
		break;
	default:
		return POSIX_STATUS(EINVAL);
	}
	if (!(flags & MAP_ANONYMOUS) && !req->cap)
		return POSIX_STATUS(EBADF); /* libposix sends the file's MemObj */
	if (flags & MAP_HUGETLB)
		return POSIX_STATUS(ENOMEM); /* no hugetlbfs pool, as a Linux with none */
	if (flags & MAP_GROWSDOWN)
		kind |= VMA_GROWSDOWN;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_FIXED) {
		if (addr & (PAGE - 1))
			return POSIX_STATUS(EINVAL);
		if (addr > TASK_SIZE - len)
			return POSIX_STATUS(ENOMEM);
		if (addr < POSIX_MMAP_MIN_ADDR)
			return POSIX_STATUS(EPERM);
		if ((in->flags & MAP_FIXED_NOREPLACE) &&
		    !vma_range_free(&mp->vmas, addr, addr + len))
			return POSIX_STATUS(EEXIST);
		if (reserved(mp, addr, addr + len))
			return POSIX_STATUS(ENOMEM); /* libposix's own region */
		if (vma_remove(&mp->vmas, addr, addr + len, piece_unmap, mp))
			return POSIX_STATUS(ENOMEM);
		obj_gc(mp);
	} else {
		addr = place(mp, addr, len);
		if (!addr)
			return POSIX_STATUS(ENOMEM);
	}
	if (!(flags & MAP_ANONYMOUS))
		err = file_region(mp, req, addr, len, in->off / PAGE,
				  prot & (PROT_READ | PROT_WRITE | PROT_EXEC), kind & ~VMA_ANON);
	else
		err = anon_region(mp, addr, addr + len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
				  kind, (flags & MAP_POPULATE) != 0);
	if (err)
		return POSIX_STATUS(err);
	out->addr = addr;
	return TERN_SERVER_OK;
}

/* ---- munmap, mprotect ------------------------------------------------- */

static int check_range(uint64_t addr, uint64_t len, uint64_t *end)
{
	if (addr & (PAGE - 1))
		return EINVAL;
	len = PAGE_UP(len);
	if (addr > TASK_SIZE || len > TASK_SIZE - addr)
		return EINVAL;
	*end = addr + len;
	return 0;
}

static int mm_munmap_handle(struct tern_request *req, const struct mm_munmap_req *in,
			    struct mm_munmap_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint64_t end;
	int err;
	(void)out;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	if (in->len == 0)
		return POSIX_STATUS(EINVAL);
	err = check_range(in->addr, in->len, &end);
	if (err)
		return POSIX_STATUS(err);
	if (reserved(mp, in->addr, end))
		return POSIX_STATUS(EINVAL); /* libposix's region stays */
	if (vma_remove(&mp->vmas, in->addr, end, piece_unmap, mp))
		return POSIX_STATUS(ENOMEM); /* Linux: too many regions after the split */
	obj_gc(mp);
	return TERN_SERVER_OK;
}

static int mm_mprotect_handle(struct tern_request *req, const struct mm_mprotect_req *in,
			      struct mm_mprotect_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint32_t prot = (uint32_t)in->prot;
	uint64_t start = in->addr, end;
	(void)out;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	if (start & (PAGE - 1))
		return POSIX_STATUS(EINVAL);
	if (in->prot &
	    ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP))
		return POSIX_STATUS(EINVAL);
	/* No region grows up on x86; PROT_GROWSDOWN needs a MAP_GROWSDOWN one. */
	if (prot & PROT_GROWSUP)
		return POSIX_STATUS(EINVAL);
	if (prot & PROT_GROWSDOWN) {
		struct vma *g = vma_find(&mp->vmas, start);
		if (!g || !(g->kind & VMA_GROWSDOWN))
			return POSIX_STATUS(EINVAL);
	}
	if (in->len == 0)
		return TERN_SERVER_OK;
	end = start + PAGE_UP(in->len);
	if (end <= start || PAGE_UP(in->len) == 0)
		return POSIX_STATUS(ENOMEM);
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	/* As Linux: regions up to the first hole change, then ENOMEM. */
	uint64_t covered = start;
	while (covered < end) {
		struct vma *v = vma_find(&mp->vmas, covered);
		if (!v)
			break;
		covered = v->end;
	}
	if (covered == start)
		return POSIX_STATUS(ENOMEM);
	int hole = covered < end;
	if (hole)
		end = covered;
	if (reserved(mp, start, end))
		return POSIX_STATUS(EACCES);
	if (vma_split_at(&mp->vmas, start, end))
		return POSIX_STATUS(ENOMEM);
	for (unsigned i = 0; i < mp->vmas.n; i++) {
		struct vma *v = &mp->vmas.v[i];
		if (v->start < start || v->end > end)
			continue;
		uint32_t old = v->prot;
		uint64_t pages = (v->end - v->start) / PAGE;
		v->prot = prot;
		if (!prot) {
			tern_vspace_unmap(mp->vspace, v->start, pages);
		} else if (!old) {
			if (vma_map(mp, v, false))
				return POSIX_STATUS(ENOMEM);
		} else if (tern_vspace_protect(mp->vspace, v->start, pages, rights_of(prot))) {
			return POSIX_STATUS(EACCES);
		}
	}
	return hole ? POSIX_STATUS(ENOMEM) : TERN_SERVER_OK;
}

/* ---- mremap ----------------------------------------------------------- */

/* Moves the regions of [old, old + len) to new (free), same objects. */
static int move_regions(struct mm_proc *mp, uint64_t old, uint64_t len, uint64_t new)
{
	struct vma moved[8];
	unsigned n = 0;

	for (unsigned i = 0; i < mp->vmas.n; i++) {
		struct vma *v = &mp->vmas.v[i];
		if (v->start >= old && v->end <= old + len) {
			if (n == 8)
				return ENOMEM;
			moved[n] = *v;
			moved[n].start = v->start - old + new;
			moved[n].end = v->end - old + new;
			n++;
		}
	}
	if (mp->vmas.n + n > VMA_MAX)
		return ENOMEM;
	for (unsigned i = 0; i < n; i++)
		if (vma_insert(&mp->vmas, &moved[i]) || vma_map(mp, &moved[i], false))
			return ENOMEM;
	vma_remove(&mp->vmas, old, old + len, piece_unmap, mp);
	return 0;
}

static int mm_mremap_handle(struct tern_request *req, const struct mm_mremap_req *in,
			    struct mm_mremap_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint64_t old = in->old_addr, flags = in->flags, new_addr = in->new_addr;
	uint64_t old_len = PAGE_UP(in->old_len), new_len = PAGE_UP(in->new_len);
	struct vma *v;
	int err;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	if (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return POSIX_STATUS(EINVAL);
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return POSIX_STATUS(EINVAL);
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return POSIX_STATUS(EINVAL);
	if (old & (PAGE - 1))
		return POSIX_STATUS(EINVAL);
	if (!new_len || (in->new_len && !new_len))
		return POSIX_STATUS(EINVAL);
	if (old_len == 0)
		return POSIX_STATUS(EINVAL); /* only shared mappings may be duplicated */
	if (old > TASK_SIZE || old_len > TASK_SIZE - old || new_len > TASK_SIZE)
		return POSIX_STATUS(EINVAL);
	v = vma_find(&mp->vmas, old);
	if (!v || old + old_len > v->end)
		return POSIX_STATUS(EFAULT);
	if (v->kind & (VMA_FIXED | VMA_RESERVED))
		return POSIX_STATUS(EFAULT); /* FIXME: moving exec's own regions */
	struct vma tmpl = *v;
	if (flags & MREMAP_DONTUNMAP)
		return POSIX_STATUS(EINVAL); /* FIXME: needs a fresh object for the old range */
	if (flags & MREMAP_FIXED) {
		if (new_addr & (PAGE - 1))
			return POSIX_STATUS(EINVAL);
		if (new_addr > TASK_SIZE - new_len || new_addr < POSIX_MMAP_MIN_ADDR)
			return POSIX_STATUS(EINVAL);
		if (new_addr < old + old_len && old < new_addr + new_len)
			return POSIX_STATUS(EINVAL);
		if (reserved(mp, new_addr, new_addr + new_len))
			return POSIX_STATUS(ENOMEM);
		vma_remove(&mp->vmas, new_addr, new_addr + new_len, piece_unmap, mp);
		if (new_len < old_len) {
			vma_remove(&mp->vmas, old + new_len, old + old_len, piece_unmap, mp);
			old_len = new_len;
		}
		err = move_regions(mp, old, old_len, new_addr);
		if (!err && new_len > old_len)
			err = anon_region(mp, new_addr + old_len, new_addr + new_len, tmpl.prot,
					  tmpl.kind, false);
		obj_gc(mp);
		if (err)
			return POSIX_STATUS(err);
		out->addr = new_addr;
		return TERN_SERVER_OK;
	}
	if (new_len <= old_len) {
		vma_remove(&mp->vmas, old + new_len, old + old_len, piece_unmap, mp);
		obj_gc(mp);
		out->addr = old;
		return TERN_SERVER_OK;
	}
	/* Grow in place when the pages after are free. */
	if (old + new_len <= mp->mmap_top &&
	    vma_range_free(&mp->vmas, old + old_len, old + new_len)) {
		err = anon_region(mp, old + old_len, old + new_len, tmpl.prot, tmpl.kind, false);
		if (err)
			return POSIX_STATUS(err);
		out->addr = old;
		return TERN_SERVER_OK;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return POSIX_STATUS(ENOMEM);
	new_addr = place(mp, 0, new_len);
	if (!new_addr)
		return POSIX_STATUS(ENOMEM);
	err = move_regions(mp, old, old_len, new_addr);
	if (!err)
		err = anon_region(mp, new_addr + old_len, new_addr + new_len, tmpl.prot, tmpl.kind,
				  false);
	obj_gc(mp);
	if (err)
		return POSIX_STATUS(err);
	out->addr = new_addr;
	return TERN_SERVER_OK;
}

/* ---- madvise, msync, mincore ------------------------------------------ */

/* MADV_DONTNEED/FREE on private anonymous memory: the next touch sees
 * zero pages. Each such region of the range gets a fresh object; a
 * shared one keeps its object, as Linux's next touch sees the shared
 * pages again (a fresh object cut this process off from the others and
 * gave it zeros: contract.mm_madvise_shared). FIXME: a private file
 * mapping is a copy here, so its next touch sees zeros, not the file. */
static int zap(struct mm_proc *mp, uint64_t start, uint64_t end)
{
	if (vma_split_at(&mp->vmas, start, end))
		return ENOMEM;
	for (unsigned i = 0; i < mp->vmas.n; i++) {
		struct vma *v = &mp->vmas.v[i];
		if (v->start < start || v->end > end || (v->kind & (VMA_FIXED | VMA_RESERVED)) ||
		    (v->kind & VMA_SHARED))
			continue;
		uint32_t id = obj_new(mp, (v->end - v->start) / PAGE);
		if (!id)
			return ENOMEM;
		tern_vspace_unmap(mp->vspace, v->start, (v->end - v->start) / PAGE);
		v->obj = id;
		v->obj_page = 0;
		if (vma_map(mp, v, false))
			return ENOMEM;
	}
	obj_gc(mp);
	return 0;
}

static int mm_madvise_handle(struct tern_request *req, const struct mm_madvise_req *in,
			     struct mm_madvise_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint64_t start = in->addr, end;
	(void)out;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	switch (in->advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
		break;
	default:
		return POSIX_STATUS(EINVAL);
	}
	if (start & (PAGE - 1))
		return POSIX_STATUS(EINVAL);
	end = start + PAGE_UP(in->len);
	if (end < start)
		return POSIX_STATUS(EINVAL);
	if (end == start)
		return TERN_SERVER_OK;
	if (!vma_range_covered(&mp->vmas, start, end))
		return POSIX_STATUS(ENOMEM);
	if ((in->advice == MADV_DONTNEED || in->advice == MADV_FREE)) {
		if (reserved(mp, start, end))
			return POSIX_STATUS(EINVAL);
		int err = zap(mp, start, end);
		if (err)
			return POSIX_STATUS(err);
	}
	return TERN_SERVER_OK;
}

static int mm_msync_handle(struct tern_request *req, const struct mm_msync_req *in,
			   struct mm_msync_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint64_t start = in->addr, end;
	(void)out;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	if (in->flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return POSIX_STATUS(EINVAL);
	if ((in->flags & MS_ASYNC) && (in->flags & MS_SYNC))
		return POSIX_STATUS(EINVAL);
	if (start & (PAGE - 1))
		return POSIX_STATUS(EINVAL);
	end = start + PAGE_UP(in->len);
	if (end < start)
		return POSIX_STATUS(ENOMEM);
	if (!vma_range_covered(&mp->vmas, start, end))
		return POSIX_STATUS(ENOMEM);
	return TERN_SERVER_OK; /* anonymous memory has nothing to write back */
}

static int mm_mincore_handle(struct tern_request *req, const struct mm_mincore_req *in,
			     struct mm_mincore_resp *out)
{
	struct mm_proc *mp = caller(req);
	uint64_t start = in->addr, pages;

	if (!mp)
		return POSIX_STATUS(ESRCH);
	if (start & (PAGE - 1))
		return POSIX_STATUS(EINVAL);
	if (start > TASK_SIZE || PAGE_UP(in->len) > TASK_SIZE - start)
		return POSIX_STATUS(ENOMEM);
	pages = PAGE_UP(in->len) / PAGE;
	if (pages > MM_MINCORE_MAX)
		pages = MM_MINCORE_MAX;
	if (!vma_range_covered(&mp->vmas, start, start + pages * PAGE))
		return POSIX_STATUS(ENOMEM);
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t q[3];
		out->vec[i] = !tern_vspace_query(mp->vspace, start + i * PAGE, q) &&
			      (q[0] & TERN_QUERY_PRESENT);
	}
	out->pages = pages;
	return TERN_SERVER_OK;
}

const struct tern_server_op mm_ops[] = { MM_PROTOCOL(TERN_SERVER_OP) };
const unsigned mm_nops = sizeof(mm_ops) / sizeof(mm_ops[0]);
