/*
 * The root task: the one user program the kernel starts itself. Its ELF
 * is bin/root of the system archive linked into the kernel image
 * (system_image.S), or, with tern.root=PATH on the command line, PATH in
 * the initrd (the archive inflated first when the module is gzip,
 * kernel/core/initrd.c). It receives capabilities to all free memory (a
 * quota), the IRQs, the I/O ports, the initrd, the system archive and the
 * Machine cap, and a boot information page (tern/bootinfo.h).
 * Everything it is made of is charged to its own quota.
 */
#include "kernel/roottask.h"

#include "arch/gdt.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "common/cpio.h"
#include "kernel/initrd.h"
#include "kernel/machine.h"
#include "kernel/mm.h"
#include "kernel/objects.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "common/string.h"
#include "kernel/time.h"
#include "kernel/vm.h"
#include "kernel/zero_pool.h"
#include "common/elf.h"
#include "tern/bootinfo.h"
#include "serial/uart16550.h"

#define KERNEL_RESERVE (8ul << 20) /* kept back for the kernel's own allocations */
#define ROOT_MAX_SEGMENTS (TERN_SLOT_FIRST_FREE - TERN_SLOT_SEGMENT0)

static struct cte root_cnode_original; /* the root CNode lives as long as the kernel */

static void __noreturn root_fail(const char *path, const char *why)
{
	printk(KERN_ERR "root: cannot start %s: %s\n", path, why);
	machine_exit(MACHINE_EXIT_FAILURE);
}

static struct cte *slot(struct cnode *cn, unsigned i)
{
	if (i >= cn->used)
		cn->used = i + 1; /* filled without a lookup (kernel/cap.h) */
	return &cn->slots[i];
}

static void put_cap(struct cnode *cn, unsigned i, unsigned type, uint8_t rights, void *obj,
		    uint32_t extra)
{
	struct cap c = { .type = (uint8_t)type, .rights = rights, .obj = obj, .extra = extra };

	cte_insert_original(slot(cn, i), &c);
}

static struct memobj *make_memobj(struct quota *q, struct cnode *cn, unsigned i, uint64_t pages,
				  const char *path)
{
	if (object_create(q, TERN_CAP_MEMOBJ, pages, slot(cn, i)) != TERN_EOK)
		root_fail(path, "out of memory for a memory object");
	return slot(cn, i)->cap.obj;
}

static void map(struct vspace *vs, uint64_t va, struct memobj *m, uint32_t rights, const char *path)
{
	if (vspace_map(vs, va, m, 0, m->npages, rights, rights) != TERN_EOK)
		root_fail(path, "cannot map a segment");
}

static void copy_into(struct memobj *m, uint64_t offset, const uint8_t *src, uint64_t len)
{
	while (len) {
		uint64_t page = offset / PAGE_SIZE, in = offset % PAGE_SIZE;
		uint64_t n = MIN(len, PAGE_SIZE - in);
		memcpy((uint8_t *)phys_to_virt(memobj_page(m, page)) + in, src, n);
		src += n;
		offset += n;
		len -= n;
	}
}

static void load_segments(struct quota *q, struct cnode *cn, struct vspace *vs,
			  const struct elf_info *elf, const uint8_t *image, const char *path)
{
	if (elf->nsegments > ROOT_MAX_SEGMENTS)
		root_fail(path, "too many segments");
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *s = &elf->segments[i];
		uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uint64_t pages = (ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE) - start) / PAGE_SIZE;
		struct memobj *m = make_memobj(q, cn, TERN_SLOT_SEGMENT0 + i, pages, path);
		copy_into(m, s->vaddr - start, image + s->offset, s->filesz);
		uint32_t rights = TERN_RIGHT_READ;
		if (s->flags & ELF_PF_W)
			rights |= TERN_RIGHT_WRITE;
		else if (s->flags & ELF_PF_X)
			rights |= TERN_RIGHT_EXEC;
		map(vs, start, m, rights, path);
	}
}

/* The system archive linked into the kernel image (system_image.S). */
extern const uint8_t system_image_start[], system_image_end[];

static struct memobj *phys_memobj(struct quota *q, uint64_t phys, uint64_t size, const char *path)
{
	struct memobj *m = kobj_alloc(q, TERN_CAP_MEMOBJ, sizeof(struct memobj));
	if (!m)
		root_fail(path, "no memory for a boot memory object");
	uint64_t lo = ALIGN_DOWN(phys, PAGE_SIZE), hi = ALIGN_UP(phys + size, PAGE_SIZE);
	memobj_init_phys(m, lo, (hi - lo) / PAGE_SIZE, true);
	return m;
}

void roottask_start(void)
{
	const char *val;
	size_t len;
	char path[64] = "bin/root";
	/* tern.root=PATH: a native program from the initrd is the root task
	 * (the in-guest tests and benchmarks); otherwise the system's root
	 * task from the archive in the kernel image, which boots the
	 * initramfs as Linux does (docs/personality.md). */
	bool native = cmdline_option("tern.root", &val, &len) && len > 0 && len < sizeof(path);
	if (native) {
		memcpy(path, val, len);
		path[len] = 0;
	}
	const char *why = "there is no initrd";
	const struct initrd *rd = initrd_get(&why);
	if (!rd && native)
		root_fail(path, why);
	const void *archive = native ? rd->base : system_image_start;
	size_t archive_size = native ? rd->size : (size_t)(system_image_end - system_image_start);
	struct cpio_entry e;
	if (cpio_find(archive, archive_size, path, &e) != 1)
		root_fail(path,
			  native ? "not found in the initrd" : "not found in the system archive");
	struct elf_info elf;
	int err = elf_parse(e.data, e.size, &elf);
	if (err)
		root_fail(path, elf_strerror(err));
	/* As Linux: a broken initramfs is an error, and the boot goes on
	 * with an empty root file system (then finds no init). */
	if (!rd && strcmp(why, "no initrd module") != 0)
		printk(KERN_ERR "root: initramfs unpacking failed: %s\n", why);

	uint64_t free_bytes = pmm_free_pages() * PAGE_SIZE;
	if (free_bytes < KERNEL_RESERVE + ZERO_POOL_BYTES + (1ul << 20))
		root_fail(path, "not enough free memory for a root quota");
	/* Every quota is split from this one, so what it leaves out is never
	 * promised to a task: the kernel's own memory, and the zero pool. */
	struct quota *q = quota_create_root(free_bytes - KERNEL_RESERVE - ZERO_POOL_BYTES);

	if (object_create(q, TERN_CAP_CNODE, TERN_ROOT_CNODE_RADIX, &root_cnode_original))
		root_fail(path, "no memory for the root CNode");
	struct cnode *cn = root_cnode_original.cap.obj;
	cte_copy(slot(cn, TERN_SLOT_CNODE), &root_cnode_original, TERN_RIGHTS_ALL);
	if (object_create(q, TERN_CAP_TCB, 0, slot(cn, TERN_SLOT_TCB)) ||
	    object_create(q, TERN_CAP_VSPACE, 0, slot(cn, TERN_SLOT_VSPACE)))
		root_fail(path, "no memory for the root thread");
	struct tcb *t = slot(cn, TERN_SLOT_TCB)->cap.obj;
	struct vspace *vs = slot(cn, TERN_SLOT_VSPACE)->cap.obj;
	put_cap(cn, TERN_SLOT_QUOTA, TERN_CAP_QUOTA, TERN_RIGHTS_ALL, q, 0);
	put_cap(cn, TERN_SLOT_IRQ_CONTROL, TERN_CAP_IRQ_CONTROL, TERN_RIGHTS_ALL, NULL, 0);
	put_cap(cn, TERN_SLOT_IOPORT, TERN_CAP_IOPORT, TERN_RIGHTS_ALL, NULL, 0xffff);

	/* The initrd (inflated when the module was gzip), read-only. */
	if (rd) {
		struct memobj *rdm = phys_memobj(q, rd->phys, rd->size, path);
		put_cap(cn, TERN_SLOT_INITRD, TERN_CAP_MEMOBJ, TERN_RIGHT_READ, rdm, 0);
		map(vs, TERN_ROOT_INITRD_VADDR, rdm, TERN_RIGHT_READ, path);
	}
	/* The system archive, for the system's root task. */
	if (!native) {
		struct memobj *sm =
			phys_memobj(q, virt_to_phys(system_image_start), archive_size, path);
		put_cap(cn, TERN_SLOT_SYSTEM, TERN_CAP_MEMOBJ, TERN_RIGHT_READ, sm, 0);
		map(vs, TERN_ROOT_SYSTEM_VADDR, sm, TERN_RIGHT_READ, path);
	}
	put_cap(cn, TERN_SLOT_MACHINE, TERN_CAP_MACHINE, TERN_RIGHTS_ALL, NULL, 0);

	load_segments(q, cn, vs, &elf, e.data, path);
	struct memobj *stack = make_memobj(q, cn, TERN_SLOT_STACK, TERN_ROOT_STACK_PAGES, path);
	map(vs, TERN_ROOT_STACK_TOP - TERN_ROOT_STACK_PAGES * PAGE_SIZE, stack,
	    TERN_RIGHT_READ | TERN_RIGHT_WRITE, path);
	struct memobj *ipcbuf = make_memobj(q, cn, TERN_SLOT_IPC_BUFFER, 1, path);
	map(vs, TERN_ROOT_IPC_BUFFER_VADDR, ipcbuf, TERN_RIGHT_READ | TERN_RIGHT_WRITE, path);
	struct memobj *bim = make_memobj(q, cn, TERN_SLOT_BOOTINFO, 1, path);
	map(vs, TERN_BOOTINFO_VADDR, bim, TERN_RIGHT_READ, path);

	struct memobj *clock = kobj_alloc(q, TERN_CAP_MEMOBJ, sizeof(struct memobj));
	if (!clock)
		root_fail(path, "no memory for the clock page object");
	memobj_init_phys(clock, clock_page_phys(), 1, true);
	put_cap(cn, TERN_SLOT_CLOCK, TERN_CAP_MEMOBJ, TERN_RIGHT_READ, clock, 0);
	map(vs, TERN_CLOCK_VADDR, clock, TERN_RIGHT_READ, path);

	struct tern_bootinfo *bi = phys_to_virt(memobj_page(bim, 0));
	bi->magic = TERN_BOOTINFO_MAGIC;
	bi->ipc_buffer_vaddr = TERN_ROOT_IPC_BUFFER_VADDR;
	bi->initrd_vaddr = rd ? TERN_ROOT_INITRD_VADDR + (rd->phys & (PAGE_SIZE - 1)) : 0;
	bi->initrd_size = rd ? rd->size : 0;
	bi->system_vaddr = native ? 0 : TERN_ROOT_SYSTEM_VADDR;
	bi->system_size = native ? 0 : archive_size;
	bi->console_port = uart_port_base();
	bi->quota_bytes = q->limit;
	bi->tsc_hz = kclock.conv.tsc_hz;
	bi->clock_vaddr = TERN_CLOCK_VADDR;
	bi->first_free_slot = TERN_SLOT_FIRST_FREE;
	bi->n_slots = 1ul << TERN_ROOT_CNODE_RADIX;
	strlcpy(bi->cmdline, cmdline_get(), sizeof(bi->cmdline));

	cte_copy(&t->cspace_root, slot(cn, TERN_SLOT_CNODE), TERN_RIGHTS_ALL);
	cte_copy(&t->vspace_cap, slot(cn, TERN_SLOT_VSPACE), TERN_RIGHTS_ALL);
	cte_copy(&t->ipc_buffer_cap, slot(cn, TERN_SLOT_IPC_BUFFER), TERN_RIGHTS_ALL);
	/* Held and pinned, as TCB_CONFIGURE does (kernel/object/tcb.c). */
	t->ipc_buffer_cap.cap.held = 1;
	ipcbuf->pins = 1;
	t->ipc_buffer = phys_to_virt(memobj_page(ipcbuf, 0));
	t->ipc_buffer_vaddr = TERN_ROOT_IPC_BUFFER_VADDR;
	t->priority = TERN_ROOT_PRIORITY;
	t->max_priority = 255;
	t->ctx.rip = elf.entry;
	t->ctx.rsp = TERN_ROOT_STACK_TOP;
	t->ctx.rdi = TERN_BOOTINFO_VADDR;
	t->timeslice = TIMESLICE_TICKS;
	printk("root: %s loaded, entry %lx, quota %lu MiB (%lu KiB used at start)\n", path,
	       elf.entry, q->limit >> 20, q->used >> 10);
	sched_wake(t);
}
