/*
 * exec: a new image for a process. Everything of the new image is built
 * first (CNode, VSpace, TCB, the program's segments, libposix, the Linux
 * stack, the start page), so a failure leaves the caller running with
 * its old image and an errno; only then is the new thread started and
 * the old one destroyed (the caller's call is never answered: its
 * thread is gone). Entry points: proc_exec, shared_image_load.
 *
 * Executables come from vfs (VFS_EXEC_OPEN: paths relative to the
 * process's cwd, text mapped from the file's pages), or from the
 * initramfs MemObj (PROC_SLOT_INITRD) when proc runs without vfs.
 */
#include "image.h"

#include "common/cpio.h"
#include "common/string.h"
#include "posix/auxv.h"
#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/status.h"
#include "posix/layout.h"
#include "posix/proto_mm.h"
#include "sys/prof.h"
#include "posix/proto_proc.h"
#include "posix/proto_vfs.h"
#include "posix/signal.h"
#include "posix/start.h"
#include "stack.h"
#include "sys/invoke.h"
#include "sys/printf.h"
#include "sys/spawn.h"
#include "sys/thread.h"
#include "tern/invocation.h"

#define PAGE 4096ul
#define PAGE_DOWN(x) ((x) & ~(PAGE - 1))
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define RFLAGS_IF 0x200ul
#define RFLAGS_RESERVED 0x2ul
#define STACK_BUILD_PAGES 4 /* slack above what the strings need */
#define ELF_ET_DYN_BASE 0x555555554000ul
#define BRK_RANDOM (32ul << 20)
#define PROC_SIG_UNBLOCKABLE (POSIX_SIGBIT(POSIX_SIGKILL) | POSIX_SIGBIT(POSIX_SIGSTOP))
#define PROT_R 1u
#define PROT_W 2u
#define PROT_X 4u

/* The executable's bytes: from vfs (a MemObj mapped read-only in proc's
 * file window) or from the initramfs. */
struct exe {
	const uint8_t *data;
	uint64_t size;
	uint64_t window, window_pages; /* mapped at window (0 pages = none) */
};

static uint64_t seg_rights(uint32_t flags)
{
	uint64_t r = 0;

	if (flags & ELF_PF_R)
		r |= TERN_RIGHT_READ;
	if (flags & ELF_PF_W)
		r |= TERN_RIGHT_WRITE | TERN_RIGHT_READ;
	if (flags & ELF_PF_X)
		r |= TERN_RIGHT_EXEC | TERN_RIGHT_READ;
	if ((flags & ELF_PF_W) && (flags & ELF_PF_X))
		r |= TERN_MAP_WX;
	return r;
}

/* PROT_* of a segment's flags (mm's regions). */
static uint32_t seg_prot(uint32_t flags)
{
	return ((flags & ELF_PF_R) ? PROT_R : 0) | ((flags & ELF_PF_W) ? PROT_W : 0) |
	       ((flags & ELF_PF_X) ? PROT_X : 0);
}

/* A segment's bytes with rep movsq (one counted instruction per 8 bytes
 * under icount, as Linux's copies without ERMS), then the tail: the
 * common 8-byte loop cost ~6 instructions per 8 bytes, ~28,000 for
 * BusyBox's 36 KiB of data. */
static void copy_block(void *dst, const void *src, uint64_t len)
{
	uint64_t q = len / 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(q) : : "memory");
	memcpy(dst, src, len % 8);
}

/* A MemObj of `pages` for the space holding `len` bytes of src at byte
 * `at`: its object id, or 0. */
static uint32_t filled_memobj(struct build *b, uint64_t pages, const void *src, uint64_t at,
			      uint64_t len, tern_cptr_t *out)
{
	uint64_t va;
	uint32_t id = image_memobj(b, pages, out);

	if (!id || !len)
		return id;
	if (proc_map_in(*out, pages, TERN_RIGHT_READ | TERN_RIGHT_WRITE, &va))
		return 0;
	copy_block((void *)(va + at), src, len);
	proc_map_out(va, pages);
	return id;
}

/*
 * One PT_LOAD: whole file pages as Linux maps them (the bytes before
 * p_vaddr in its first page and after p_filesz in its last file page are
 * the file's), except that a segment with memsz > filesz has the rest of
 * its last file page zeroed (padzero), and the pages beyond are zero. A
 * page shared with the previous segment is taken over by this one, as
 * Linux's MAP_FIXED mapping of the later segment replaces it.
 */
static int load_segment(struct build *b, const uint8_t *file, uint64_t size,
			const struct elf_segment *s, uint64_t prev_end)
{
	uint64_t va = s->vaddr + b->bias;
	uint64_t base = PAGE_DOWN(va), end = PAGE_UP(va + s->memsz);
	uint64_t pages = (end - base) / PAGE;
	uint64_t foff = PAGE_DOWN(s->offset), flen;
	uint32_t prot = seg_prot(s->flags), id;
	tern_cptr_t m;

	if (s->memsz > s->filesz)
		flen = s->offset + s->filesz - foff;
	else
		flen = PAGE_UP(s->offset + s->filesz) - foff;
	if (foff + flen > size)
		flen = size - foff;
	if (b->file && !(s->flags & ELF_PF_W)) {
		/* Text and rodata: the file's own pages, shared read-only. */
		uint64_t fpages = (flen + PAGE - 1) / PAGE;
		if (fpages > pages)
			fpages = pages;
		if (prev_end > base)
			tern_vspace_unmap(b->vspace, base, (prev_end - base) / PAGE);
		/* Populated: the file's pages are all in memory (tmpfs), so
		 * they are mapped at once instead of faulting in one by one. */
		if (fpages) {
			id = image_space_obj(b, b->file, true);
			if (!id ||
			    tern_vspace_map(b->vspace, base, b->file, foff / PAGE, fpages,
					    seg_rights(s->flags) | TERN_MAP_POPULATE) ||
			    image_region(b, base, base + fpages * PAGE, prot, MM_REGION_FIXED, id,
					 foff / PAGE))
				return ENOMEM;
		}
		if (fpages == pages)
			return 0;
		id = image_memobj(b, pages - fpages, &m);
		if (!id ||
		    tern_vspace_map(b->vspace, base + fpages * PAGE, m, 0, pages - fpages,
				    seg_rights(s->flags)) ||
		    image_region(b, base + fpages * PAGE, end, prot,
				 MM_REGION_FIXED | MM_REGION_ANON, id, 0))
			return ENOMEM;
		return 0;
	}
	/* FIXME: data is a copy, not copy-on-write from vfs's pages
	 * (docs/personality.md says why). The file's pages it copies are
	 * mapped populated in a window of their own (read through the
	 * whole file's window they faulted in one by one). */
	const uint8_t *src = file + foff;
	uint64_t wpages = (flen + PAGE - 1) / PAGE;
	bool window = b->file && wpages &&
		      !tern_vspace_map(TERN_CHILD_SLOT_VSPACE, PROC_DATA_VA, b->file, foff / PAGE,
				       wpages, TERN_RIGHT_READ | TERN_MAP_POPULATE);
	if (window)
		src = (const uint8_t *)PROC_DATA_VA;
	id = filled_memobj(b, pages, src, 0, flen, &m);
	if (window)
		tern_vspace_unmap(TERN_CHILD_SLOT_VSPACE, PROC_DATA_VA, wpages);
	if (!id)
		return ENOMEM;
	if (prev_end > base)
		tern_vspace_unmap(b->vspace, base, (prev_end - base) / PAGE);
	if (tern_vspace_map(b->vspace, base, m, 0, pages, seg_rights(s->flags)) ||
	    image_region(b, base, end, prot, MM_REGION_FIXED | MM_REGION_ANON, id, 0))
		return ENOMEM;
	return 0;
}

static int load_program(struct build *b, const uint8_t *file, uint64_t size,
			const struct elf_info *info)
{
	uint64_t prev_end = 0;
	int err;

	for (unsigned i = 0; i < info->nsegments; i++) {
		err = load_segment(b, file, size, &info->segments[i], prev_end);
		if (err)
			return err;
		prev_end = PAGE_UP(info->segments[i].vaddr + b->bias + info->segments[i].memsz);
	}
	return 0;
}

/* Shared text and rodata (proc's own MemObjs: mm gets read-only copies),
 * a copy-on-write clone of data and bss. */
static int map_shared_image(struct build *b, const struct shared_image *img)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct image_segment *s = &img->seg[i];
		tern_cptr_t m = s->memobj;
		uint32_t kind = MM_REGION_RESERVED, id;

		if (s->flags & ELF_PF_W) {
			uint64_t slot = tern_slot_get();
			if (!slot)
				return ENOMEM;
			if (tern_memobj_clone(s->memobj, TERN_CHILD_SLOT_QUOTA,
					      TERN_CHILD_SLOT_CNODE, slot, 64)) {
				tern_slot_put(slot);
				return ENOMEM;
			}
			id = image_space_obj(b, slot, false);
			if (!id) {
				proc_slot_free(slot);
				return ENOMEM;
			}
			m = slot;
			kind |= MM_REGION_ANON;
		} else if (!(id = image_space_obj(b, m, true))) {
			return ENOMEM;
		}
		/* libposix's text and rodata are proc's own pages, all
		 * present: mapped now rather than at ~20 first-touch faults
		 * (exec_true -6,000, icount). Not the clone of data and bss
		 * (its first writes copy whatever the mapping), nor the
		 * vDSO (its one page populated cost 5,600, its fault 1,800). */
		uint64_t populate =
			(s->flags & ELF_PF_W) || img != &b->ps->libposix ? 0 : TERN_MAP_POPULATE;
		if (tern_vspace_map(b->vspace, s->vaddr, m, 0, s->pages,
				    seg_rights(s->flags) | populate) ||
		    image_region(b, s->vaddr, s->vaddr + s->pages * PAGE, seg_prot(s->flags), kind,
				 id, 0))
			return ENOMEM;
	}
	return 0;
}

/*
 * Fresh anonymous memory at va for the space; *out its MemObj. Mapped
 * with 4 KiB pages only (TERN_MAP_SMALL; mm maps the child's copy at fork
 * the same way), as Linux gives the stack and the heap no transparent
 * huge pages unless asked: a first touch of a 2 MiB page zeroes 2 MiB,
 * and each fork then clones and each exit releases all 512 of its pages.
 * (The kernel splits a shared 2 MiB page on a copy-on-write write; before
 * it did, it copied the whole block, 262,144 instructions, icount.)
 */
static int map_anon(struct build *b, uint64_t va, uint64_t pages, uint32_t kind, tern_cptr_t *out)
{
	tern_cptr_t m;
	uint32_t id = image_memobj(b, pages, &m);

	if (!id)
		return ENOMEM;
	if (tern_vspace_map(b->vspace, va, m, 0, pages,
			    TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_MAP_SMALL) ||
	    image_region(b, va, va + pages * PAGE, PROT_R | PROT_W, kind | MM_REGION_ANON, id, 0))
		return ENOMEM;
	if (out)
		*out = m;
	return 0;
}

/* libposix, its per-thread pages, heap, and the vDSO with the clock page.
 * The handler stacks are one lazily filled region for every thread
 * index (FIXME: so the guard pages between them are memory, not holes). */
static int map_libposix(struct build *b)
{
	struct proc_server *ps = b->ps;
	int err = map_shared_image(b, &ps->libposix);

	if (!err)
		err = map_anon(b, POSIX_THREAD_STACKS,
			       POSIX_THREADS_MAX * POSIX_THREAD_STACK_STRIDE / PAGE,
			       MM_REGION_RESERVED, NULL);
	if (!err)
		err = map_anon(b, POSIX_HEAP, POSIX_HEAP_SIZE / PAGE, MM_REGION_RESERVED, NULL);
	if (!err && ps->have_clock) {
		uint32_t id = image_space_obj(b, PROC_SLOT_CLOCK, true);
		if (!id ||
		    tern_vspace_map(b->vspace, POSIX_VVAR, PROC_SLOT_CLOCK, 0, 1,
				    TERN_RIGHT_READ) ||
		    image_region(b, POSIX_VVAR, POSIX_VVAR + PAGE, PROT_R, MM_REGION_RESERVED, id,
				 0))
			err = ENOMEM;
	}
	if (!err && ps->have_vdso)
		err = map_shared_image(b, &ps->vdso);
	return err;
}

static uint64_t cpuid_edx1(void)
{
	uint32_t a = 1, bx, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(bx), "+c"(c), "=d"(d));
	return d;
}

/* Linux's AT_MINSIGSTKSZ (arch/x86/kernel/signal.c init_sigframe_size):
 * the rt_sigframe (440 bytes) and its alignment padding (15), the FPU
 * state as the signal frame saves it (the XSAVE area of every user
 * feature, CPUID 0xd's ecx, plus the 4-byte FP_XSTATE_MAGIC2, or the
 * 512-byte FXSAVE area), the legacy fsave header a kernel with IA32
 * emulation always counts (112), XSAVE alignment padding (63), rounded
 * up to 16. */
static uint64_t minsigstksz(void)
{
	uint32_t a = 1, bx, c = 0, d, fp = 512;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(bx), "+c"(c), "=d"(d));
	if (c & (1u << 26)) { /* XSAVE */
		a = 0xd;
		c = 0;
		__asm__ volatile("cpuid" : "+a"(a), "=b"(bx), "+c"(c), "=d"(d));
		fp = c + 4;
	}
	return (440 + 15 + fp + 112 + 63 + 15) & ~15ul;
}

static int build_stack(struct build *b, const struct elf_info *info, const char *path,
		       const char *strings, uint64_t strings_len, uint64_t argc, uint64_t envc,
		       uint64_t *rsp)
{
	uint64_t pages = POSIX_STACK_MAX / PAGE, va;
	tern_cptr_t m;
	int err = map_anon(b, b->stack_top - POSIX_STACK_MAX, pages,
			   MM_REGION_FIXED | MM_REGION_GROWSDOWN, &m);

	if (err)
		return err;
	struct stack_image img = {
		.strings = strings,
		.strings_len = strings_len,
		.argc = argc,
		.envc = envc,
		.execfn = path,
		.align_gap = proc_random() % 8192,
		.vdso = b->ps->have_vdso ? POSIX_VDSO : 0,
		.minsigstksz = minsigstksz(),
		.hwcap = cpuid_edx1(),
		.hwcap2 = 0,
		.phdr = info->phdr_vaddr ? info->phdr_vaddr + b->bias : 0,
		.phent = info->phentsize,
		.phnum = info->phnum,
		.base = 0,
		.entry = info->entry + b->bias,
	};
	uint64_t r0 = proc_random(), r1 = proc_random();
	memcpy(img.random, &r0, 8);
	memcpy(img.random + 8, &r1, 8);
	/* The top pages the strings, vectors and gaps need (they all fit:
	 * PROC_EXEC_STAGE_MAX is far below the stack). */
	uint64_t need =
		strings_len + PAGE + (argc + envc + 2 + 2 * STACK_AUXV_MAX + 1) * 8 + 8192 + 64;
	uint64_t top_pages = (need + PAGE - 1) / PAGE + STACK_BUILD_PAGES;
	if (top_pages > pages)
		top_pages = pages;
	if (tern_vspace_map(TERN_CHILD_SLOT_VSPACE, PROC_SCRATCH_VA, m, pages - top_pages,
			    top_pages, TERN_RIGHT_READ | TERN_RIGHT_WRITE))
		return ENOMEM;
	va = PROC_SCRATCH_VA;
	err = stack_build((void *)va, top_pages * PAGE, b->stack_top, &img, rsp);
	proc_map_out(va, top_pages);
	return err ? E2BIG : 0;
}

static void base_name(char comm[16], const char *path)
{
	const char *s = path;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			s = p + 1;
	strlcpy(comm, s, 16);
}

static int start_page(struct build *b, struct process *p, const char *path, uint64_t entry,
		      uint64_t rsp, const struct proc_exec_req *req)
{
	tern_cptr_t m;
	uint64_t va;
	uint32_t id = image_memobj(b, 1, &m);

	if (!id)
		return ENOMEM;
	if (proc_map_in(m, 1, TERN_RIGHT_READ | TERN_RIGHT_WRITE, &va))
		return ENOMEM;
	uint64_t queued = p->sig.pending;
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
		queued |= p->sig.tpending[i];
	struct posix_start *st = (struct posix_start *)va;
	*st = (struct posix_start){
		.magic = POSIX_START_MAGIC,
		.entry = entry,
		.rsp = rsp,
		.pid = p->pid,
		.ppid = p->ppid,
		.tid = p->pid,
		.pgid = p->pgid,
		.sid = p->sid,
		.ipc_buffer = POSIX_THREAD_IPC,
		.handler_stack = POSIX_THREAD_STACKS + PAGE,
		.handler_stack_size = POSIX_THREAD_STACK_SIZE,
		.heap = POSIX_HEAP,
		.heap_size = POSIX_HEAP_SIZE,
		.vdso = b->ps->have_vdso ? POSIX_VDSO : 0,
		.brk = b->brk,
		/* What exec keeps of the signal state; SIGKILL and SIGSTOP
		 * can be neither ignored nor blocked, whatever was sent. */
		.sig_ignored = req->sig_ignored & ~PROC_SIG_UNBLOCKABLE,
		.sig_blocked = req->sig_blocked & ~PROC_SIG_UNBLOCKABLE,
		/* Anything proc holds for the process tells the new image
		 * to fetch at start (proc posts nothing between here and
		 * the new thread's start; what it posts after that reaches
		 * the new thread's upcall, docs/personality.md). */
		.sig_pending = req->sig_pending | queued,
		.itimer_real_expires = req->itimer_real_expires,
		.itimer_real_interval = req->itimer_real_interval,
		.timer_next_id = req->timer_next_id & 0x7fffffff,
	};
	base_name(st->comm, path);
	proc_map_out(va, 1);
	if (tern_vspace_map(b->vspace, POSIX_START_PAGE, m, 0, 1,
			    TERN_RIGHT_READ | TERN_MAP_POPULATE) ||
	    image_region(b, POSIX_START_PAGE, POSIX_START_PAGE + PAGE, PROT_R, MM_REGION_RESERVED,
			 id, 0))
		return ENOMEM;
	return 0;
}

static int start_thread(struct build *b, uint64_t entry)
{
	struct tern_regs regs = { 0 };

	regs.rip = entry;
	regs.rsp = POSIX_THREAD_STACKS + PAGE + POSIX_THREAD_STACK_SIZE - 8;
	regs.rdi = POSIX_START_PAGE;
	regs.rflags = RFLAGS_IF | RFLAGS_RESERVED;
	return tern_tcb_write_registers(b->tcb, 0, &regs) ? ENOMEM : 0;
}

/* Hand the address space to mm (it owns brk, mmap and the rest): the
 * space with the region table. */
static int mm_setup(struct build *b, struct process *p)
{
	static uint64_t msg[TERN_MSG_MAX_WORDS];
	struct mm_setup_req *req = (struct mm_setup_req *)msg;

	if (!b->ps->mm_ep)
		return 0;
	*req = (struct mm_setup_req){
		.pid = p->pid,
		.brk_start = b->brk,
		.mmap_top = b->mmap_top,
		.seed = proc_random(),
		.nregions = b->nregions,
	};
	memcpy(req + 1, b->regions, b->nregions * sizeof(b->regions[0]));
	struct mm_setup_resp resp;
	int st =
		tern_client_call_cap(b->ps->mm_ep, MM_SETUP, b->space, msg,
				     (unsigned)(MM_SETUP_REQ_WORDS + b->nregions * MM_REGION_WORDS),
				     &resp, sizeof(resp) / 8);
	return st ? ENOMEM : 0;
}

static void layout(struct build *b, const struct elf_info *info)
{
	uint64_t r = proc_random();

	b->stack_top = POSIX_STACK_TOP - (r % (POSIX_STACK_RANDOM / PAGE)) * PAGE;
	b->mmap_top = POSIX_MMAP_TOP - (proc_random() % (POSIX_MMAP_RANDOM / PAGE)) * PAGE;
	if (info->type == ELF_ET_DYN) {
		/* A static PIE goes where mmap would put it (Linux maps it
		 * without MAP_FIXED), 2 MiB aligned, and mmap continues below. */
		uint64_t span = PAGE_UP(info->vaddr_hi) - PAGE_DOWN(info->vaddr_lo);
		b->bias = (b->mmap_top - span) & ~((2ul << 20) - 1);
		b->bias -= PAGE_DOWN(info->vaddr_lo);
		b->mmap_top = b->bias + PAGE_DOWN(info->vaddr_lo);
		b->brk = ELF_ET_DYN_BASE;
	} else {
		b->bias = 0;
		b->brk = PAGE_UP(info->vaddr_hi);
	}
	b->brk += (proc_random() % (BRK_RANDOM / PAGE)) * PAGE;
	b->image_lo = PAGE_DOWN(info->vaddr_lo + b->bias);
	b->image_hi = PAGE_UP(info->vaddr_hi + b->bias);
}

/* The path and strings of a request (its payload, or what the caller
 * staged), checked. */
static int parse_strings(const struct process *p, const struct proc_exec_req *req, unsigned words,
			 const char **path, const char **strings, uint64_t *len)
{
	const char *payload = (const char *)(req + 1);
	uint64_t avail = ((uint64_t)words - PROC_EXEC_REQ_WORDS) * 8;
	uint64_t n = 0, off, bytes = req->bytes;

	if (bytes & PROC_EXEC_STAGED) {
		bytes &= ~PROC_EXEC_STAGED;
		if (!p->stage || bytes != p->stage_len)
			return EFAULT;
		payload = p->stage;
		avail = p->stage_len;
	}
	if (bytes > avail || req->path_len >= bytes || payload[req->path_len] != 0)
		return EFAULT;
	if (req->argc > bytes || req->envc > bytes)
		return E2BIG;
	for (off = req->path_len + 1; off < bytes && n < req->argc + req->envc; off++)
		if (payload[off] == 0)
			n++;
	if (n != req->argc + req->envc)
		return EFAULT;
	for (uint64_t i = 0; i < req->path_len; i++)
		if (payload[i] == 0)
			return EFAULT;
	if (req->path_len == 0)
		return ENOENT;
	*path = payload;
	*strings = payload + req->path_len + 1;
	*len = off - (req->path_len + 1);
	return 0;
}

/* vfs's VFS_EXEC_OPEN: the file as a read-only MemObj, mapped here. */
static int vfs_open_exe(struct build *b, struct process *p, const char *path, uint64_t len,
			uint64_t window, struct exe *x)
{
	static uint64_t msg[TERN_MSG_MAX_WORDS];
	struct vfs_exec_open_req *req = (struct vfs_exec_open_req *)msg;
	struct vfs_exec_open_resp resp;
	uint64_t pages;
	tern_cptr_t slot;

	if (len > VFS_PAYLOAD_MAX)
		return ENAMETOOLONG;
	memset(msg, 0, sizeof(msg[0]) * (VFS_PAYLOAD_WORD + (len + 7) / 8));
	req->pid = p->pid;
	req->path_len = len;
	memcpy(&msg[VFS_PAYLOAD_WORD], path, len);
	slot = tern_slot_get();
	if (!slot || b->nobjs == IMAGE_MAX_OBJS)
		return ENOMEM;
	struct tern_client_msg m = {
		.label = VFS_EXEC_OPEN,
		.req = msg,
		.req_words = (unsigned)(VFS_PAYLOAD_WORD + (len + 7) / 8),
		.resp = &resp,
		.resp_min = sizeof(resp) / 8,
		.resp_max = sizeof(resp) / 8,
		.recv_slot = slot,
	};
	int st = tern_client_transact(b->ps->vfs_ep, &m);
	if (st || !m.cap_received) {
		tern_slot_put(slot);
		if (st > POSIX_STATUS_ERRNO && st <= POSIX_STATUS_ERRNO + POSIX_ERRNO_MAX)
			return st - POSIX_STATUS_ERRNO;
		return EIO;
	}
	b->objs[b->nobjs++] = slot;
	b->file = slot;
	if (tern_memobj_size(slot, &pages) || resp.size > pages * PAGE)
		return EIO;
	x->window_pages = (resp.size + PAGE - 1) / PAGE;
	x->window = window;
	if (x->window_pages && tern_vspace_map(TERN_CHILD_SLOT_VSPACE, window, slot, 0,
					       x->window_pages, TERN_RIGHT_READ)) {
		x->window_pages = 0;
		return ENOMEM;
	}
	x->data = (const uint8_t *)window;
	x->size = resp.size;
	return 0;
}

/* Without vfs (a test that runs proc alone): the initramfs's copy. */
static int initrd_open_exe(struct proc_server *ps, const char *path, struct exe *x)
{
	struct cpio_entry e;

	if (!ps->initrd)
		return ENOENT;
	if (cpio_find(ps->initrd, ps->initrd_size, path, &e) != 1)
		return ENOENT;
	if ((e.mode & 0170000) != 0100000 || !(e.mode & 0111))
		return EACCES;
	x->data = e.data;
	x->size = e.size;
	x->window_pages = 0;
	return 0;
}

static void exe_close(struct exe *x)
{
	if (x->window_pages)
		tern_vspace_unmap(TERN_CHILD_SLOT_VSPACE, x->window, x->window_pages);
	x->window_pages = 0;
}

/* Tell vfs the process exec'ed (close-on-exec). */
static void vfs_exec_done(struct proc_server *ps, struct process *p)
{
	if (!ps->vfs_ep)
		return;
	struct vfs_proc_exec_req req = { .pid = p->pid };
	struct vfs_proc_exec_resp resp;
	tern_client_call(ps->vfs_ep, VFS_PROC_EXEC, &req, sizeof(req) / 8, &resp, sizeof(resp) / 8);
}

static int open_exe(struct build *b, struct process *p, const char *path, uint64_t window,
		    struct exe *x)
{
	if (b->ps->vfs_ep)
		return vfs_open_exe(b, p, path, strlen(path), window, x);
	return initrd_open_exe(b->ps, path, x);
}

/* PT_INTERP: the interpreter must open and look like an ELF file of this
 * machine (Linux's errors); there is no dynamic loader to run yet. */
static int check_interp(struct build *b, struct process *p, const struct exe *x,
			const struct elf_info *info)
{
	struct exe ix = { 0 };
	const char *name = (const char *)x->data + info->interp_offset;
	int err = open_exe(b, p, name, PROC_FILE_VA + PROC_FILE_WINDOW, &ix);

	if (!err)
		err = elf_exec_check_interp(ix.data, ix.size);
	exe_close(&ix);
	return err ? err : ENOEXEC; /* FIXME: dynamic programs */
}

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * binfmt_script: a file starting with "#!" runs its interpreter with
 * argv = { interpreter, [the one optional argument], the file's path,
 * argv[1], ... }, envp unchanged (fs/binfmt_script.c; only the first 256
 * bytes are looked at). Writes the new strings to out; *file becomes the
 * interpreter's path (in out). ENOEXEC when no interpreter is named or
 * its name is cut by the 256-byte limit.
 */
static int script_strings(const struct exe *x, const char *file, const char *strings, uint64_t len,
			  uint64_t *argc, char *out, uint64_t out_max, uint64_t *out_len,
			  const char **interp)
{
	char buf[256];
	uint64_t n = x->size < sizeof(buf) - 1 ? x->size : sizeof(buf) - 1, o = 0;

	memcpy(buf, x->data, n);
	buf[n] = 0;
	char *end = NULL;
	for (uint64_t i = 2; i < n; i++)
		if (buf[i] == '\n') {
			end = &buf[i];
			break;
		}
	if (!end) {
		char *q = buf + 2;
		while (q < buf + n && spacetab(*q))
			q++;
		if (q >= buf + n && n == sizeof(buf) - 1)
			return ENOEXEC;
		while (q < buf + n && !spacetab(*q) && *q)
			q++;
		if (q >= buf + n && n == sizeof(buf) - 1)
			return ENOEXEC; /* the name may be cut */
		end = buf + n;
	}
	while (end > buf + 2 && spacetab(end[-1]))
		end--;
	*end = 0;
	char *name = buf + 2;
	while (name < end && spacetab(*name))
		name++;
	if (name == end || !*name)
		return ENOEXEC;
	char *sep = name, *arg = NULL;
	while (sep < end && *sep && !spacetab(*sep))
		sep++;
	if (sep < end && *sep) {
		*sep = 0;
		arg = sep + 1;
		while (arg < end && spacetab(*arg))
			arg++;
		if (arg == end)
			arg = NULL;
	}
	const char *parts[3] = { name, arg, file };
	for (unsigned i = 0; i < 3; i++) {
		if (!parts[i])
			continue;
		uint64_t l = strlen(parts[i]) + 1;
		if (o + l > out_max)
			return E2BIG;
		memcpy(out + o, parts[i], l);
		o += l;
	}
	/* argv[0] goes (remove_arg_zero), the rest and envp follow. */
	uint64_t skip = 0;
	if (*argc > 0)
		skip = strlen(strings) + 1;
	if (o + len - skip > out_max)
		return E2BIG;
	memcpy(out + o, strings + skip, len - skip);
	*argc = *argc - (*argc > 0) + 2 + (arg != NULL);
	*interp = out;
	*out_len = o + len - skip;
	return 0;
}

#define EXEC_MAX_DEPTH 5 /* interpreters of interpreters (Linux: ELOOP beyond) */

/* Where an exec's time goes (sys/prof.h, tern.profile=1; the names in
 * docs/measurements.md, "The profiler"). */
TERN_PROF_PHASE(ph_strings, "exec.strings");	 /* argv, envp from the request */
TERN_PROF_PHASE(ph_elf_read, "exec.elf_read");	 /* the file opened and mapped, #! */
TERN_PROF_PHASE(ph_elf_check, "exec.elf_check"); /* the headers checked, PT_INTERP */
TERN_PROF_PHASE(ph_space, "exec.space");	 /* CSpace, VSpace, IPC buffer, TCB */
TERN_PROF_PHASE(ph_segments, "exec.segments");	 /* the program's PT_LOADs mapped */
TERN_PROF_PHASE(ph_libposix, "exec.libposix");	 /* libposix, its heap, vvar, vDSO */
TERN_PROF_PHASE(ph_stack, "exec.stack");	 /* stack, argv, envp, auxv, start page */
TERN_PROF_PHASE(ph_task, "exec.task");		 /* caps placed, thread, mm's regions */
TERN_PROF_PHASE(ph_switch, "exec.switch");	 /* the old image gone, the new one run */
TERN_PROF_PHASE(ph_total, "exec.total");	 /* the whole request */

int proc_exec(struct proc_server *ps, struct process *p, const struct proc_exec_req *req,
	      unsigned words)
{
	static char sbuf[2][PROC_EXEC_STAGE_MAX + 1024];
	const char *path, *strings, *file;
	uint64_t len, rsp, argc;
	struct elf_info info;
	struct build b = { .ps = ps };
	struct exe x = { 0 };
	int err;

	uint64_t t_all = tern_prof_begin(), t = t_all; /* sys/prof.h: 0 when off */
	err = parse_strings(p, req, words, &path, &strings, &len);
	if (err)
		return err;
	tern_prof_lap(&ph_strings, &t);
	file = path;
	argc = req->argc;
	for (unsigned depth = 0;; depth++) {
		err = open_exe(&b, p, file, PROC_FILE_VA, &x);
		if (!err && x.size >= 2 && x.data[0] == '#' && x.data[1] == '!') {
			char *out = sbuf[depth & 1];
			err = depth == EXEC_MAX_DEPTH
				      ? ELOOP
				      : script_strings(&x, file, strings, len, &argc, out,
						       sizeof(sbuf[0]), &len, &file);
			exe_close(&x);
			image_abort(&b);
			b = (struct build){ .ps = ps };
			if (err)
				return err;
			strings = out; /* argv[0] is the interpreter's name, *file */
			continue;
		}
		break;
	}
	tern_prof_lap(&ph_elf_read, &t);
	if (!err)
		err = elf_exec_check(x.data, x.size, &info);
	if (err == ELF_EXEC_INTERP)
		err = check_interp(&b, p, &x, &info);
	if (err) {
		exe_close(&x);
		image_abort(&b);
		return err;
	}
	tern_prof_lap(&ph_elf_check, &t);
	layout(&b, &info);
	err = image_new_cspace(&b);
	if (!err)
		err = image_ipc_tcb(&b);
	tern_prof_lap(&ph_space, &t);
	if (!err)
		err = load_program(&b, x.data, x.size, &info);
	exe_close(&x);
	tern_prof_lap(&ph_segments, &t);
	if (!err)
		err = map_libposix(&b);
	tern_prof_lap(&ph_libposix, &t);
	if (!err)
		err = build_stack(&b, &info, path, strings, len, argc, req->envc, &rsp);
	if (!err)
		err = start_page(&b, p, path, info.entry + b.bias, rsp, req);
	tern_prof_lap(&ph_stack, &t);
	if (!err)
		err = image_fill_cspace(&b, p);
	if (!err)
		err = start_thread(&b, ps->libposix.entry);
	if (!err)
		err = image_keep(&b);
	if (!err)
		err = mm_setup(&b, p);
	tern_prof_lap(&ph_task, &t);
	if (err) {
		image_abort(&b);
		return err;
	}
	/* The point of no return: the old image goes (every thread: Linux's
	 * de_thread, the caller among them), the new one runs with thread 0
	 * (tid = pid). */
	proc_gone_exec(ps, p);
	proc_threads_end(ps, p);
	struct process old = *p;
	for (unsigned i = 0; i < POSIX_THREADS_MAX; i++)
		p->threads[i] = (struct proc_thread){ 0 };
	image_install(&b, p);
	proc_destroy_image(ps, &old);
	vfs_exec_done(ps, p);
	proc_vfork_release(ps, p);
	tern_tcb_resume(p->threads[0].tcb);
	tern_prof_lap(&ph_switch, &t);
	tern_prof_end(&ph_total, t_all);
	return 0;
}

int shared_image_load(struct proc_server *ps, const char *path, uint64_t bias,
		      struct shared_image *img)
{
	struct cpio_entry e;
	struct elf_info info;
	int err;

	if (cpio_find(ps->system, ps->system_size, path, &e) != 1)
		return ENOENT;
	err = elf_parse(e.data, e.size, &info);
	if (err && err != ELF_EENTRY)
		return ENOEXEC;
	img->entry = info.entry + bias;
	img->nseg = 0;
	for (unsigned i = 0; i < info.nsegments; i++) {
		const struct elf_segment *s = &info.segments[i];
		struct image_segment *is = &img->seg[img->nseg++];
		uint64_t va;

		is->vaddr = PAGE_DOWN(s->vaddr) + bias;
		is->pages = (PAGE_UP(s->vaddr + s->memsz) - PAGE_DOWN(s->vaddr)) / PAGE;
		is->flags = s->flags;
		if (proc_object(TERN_CAP_MEMOBJ, is->pages, &is->memobj))
			return ENOMEM;
		if (!s->filesz)
			continue;
		/* Only the pages the file's bytes go to are mapped to write
		 * them: a mapping over the whole segment (libposix's data and
		 * bss are 1,208 pages with its 4 MiB arena) let the kernel
		 * fill the first 2 MiB block with one 2 MiB page, which every
		 * exec'd process's clone then split at its first write. */
		uint64_t head = s->vaddr - PAGE_DOWN(s->vaddr);
		uint64_t wpages = PAGE_UP(head + s->filesz) / PAGE;
		if (proc_map_in(is->memobj, wpages, TERN_RIGHT_READ | TERN_RIGHT_WRITE, &va))
			return ENOMEM;
		memcpy((void *)(va + head), (const uint8_t *)e.data + s->offset, s->filesz);
		proc_map_out(va, wpages);
	}
	return 0;
}
