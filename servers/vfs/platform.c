/*
 * What the vfs core needs from the machine (fs.h, "platform"), in the
 * server: a heap for inodes, dentries and pipe rings over a lazily
 * populated MemObj; each regular file's bytes in a MemObj of its own
 * (FS_DATA_MAX bytes, populated as written) at an address window of its
 * own, mapped only as far as the file reaches; the clock page for
 * timestamps.
 *
 * A spawned server's CNode has 256 slots, far fewer than files, so the
 * files' MemObj caps live in a store CNode of 2^STORE_RADIX slots (slot i
 * of it is also address window i). A cap is copied into a root slot only
 * while it is used: to map the window, or to hand it out with a reply.
 *
 * Entry points: fs_alloc, fs_free, fs_data_reserve, fs_data_release,
 * fs_now, platform_init, platform_data_cap, platform_now_ns,
 * platform_memory.
 */
#include "vfs.h"

#include "common/string.h"
#include "posix/boot.h"
#include "sys/heap.h"
#include "sys/invoke.h"
#include "sys/printf.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"
#include "sys/thread.h"
#include "tern/clock.h"
#include "tern/invocation.h"
#include "tern/syscall.h"

#define PAGE 4096ul
#define HEAP_VA 0x100000000000ul
#define HEAP_PAGES (256ul << 8) /* 256 MiB */
#define HEAP_CHUNK (16ul << 10) /* the small heap's pieces (chunk_commit) */
#define HEAP_CHUNKS (HEAP_PAGES * PAGE / HEAP_CHUNK)
#define HEAP_KEEP 8 /* chunks never given back */
#define INITRD_VA 0x180000000000ul
#define CLOCK_VA 0x1ff000000000ul
#define DATA_VA 0x200000000000ul /* window w at DATA_VA + w * FS_DATA_MAX */
#define STORE_RADIX 14
#define STORE_SLOTS (1u << STORE_RADIX)

static struct heap heap;
static tern_cptr_t store;   /* the store CNode */
static tern_cptr_t scratch; /* a root slot for a cap in use */
static uint32_t store_next = 1, store_nfree;
static uint16_t store_free[STORE_SLOTS];       /* every index can come back */
static uint32_t store_pages[STORE_SLOTS];      /* object i's window pages mapped, 0: none */
static uint32_t store_handout[STORE_SLOTS][2]; /* a gone file's handout caps (root slots) */
static uint32_t store_charged[STORE_SLOTS];    /* ... and its tmpfs charge, in pages */
static uint16_t store_window[STORE_SLOTS];     /* a file object's address window */
/* Windows in use, the lowest free one taken first: the page tables of
 * windows once mapped stay (the kernel frees them with the VSpace), so
 * their number follows the most files with data alive at once. */
static uint64_t window_used[STORE_SLOTS / 64];

static uint32_t window_get(void)
{
	for (uint32_t w = 0; w < STORE_SLOTS / 64; w++)
		if (~window_used[w]) {
			uint32_t b = (uint32_t)__builtin_ctzl(~window_used[w]);
			window_used[w] |= 1ul << b;
			return w * 64 + b;
		}
	return STORE_SLOTS;
}

static void window_put(uint32_t w)
{
	window_used[w / 64] &= ~(1ul << (w % 64));
}

static uint64_t window_va(uint32_t i)
{
	return DATA_VA + (uint64_t)store_window[i] * FS_DATA_MAX;
}
static const volatile struct tern_clock_page *clock_page;

static tern_cptr_t new_slot(void)
{
	return tern_slot_get();
}

static uint32_t store_get(void);
static void store_put(uint32_t i);
static int chunk_commit(void *ctx, uintptr_t a, uintptr_t b);
static void chunk_decommit(void *ctx, uintptr_t a, uintptr_t b);

int platform_init(uint64_t initrd_size, const void **initrd)
{
	uint64_t pages;

	*initrd = NULL;
	store = new_slot();
	scratch = new_slot();
	if (!store || !scratch ||
	    tern_quota_create(TERN_CHILD_SLOT_QUOTA, TERN_CAP_CNODE, STORE_RADIX, TERN_SLOT_CNODE,
			      store, 64) != TERN_EOK)
		return -1;
	if (chunk_commit(NULL, HEAP_VA, HEAP_VA + HEAP_KEEP * HEAP_CHUNK))
		return -1;
	heap_init(&heap, (void *)HEAP_VA, HEAP_PAGES * PAGE);
	heap_set_backing(&heap, chunk_commit, chunk_decommit, NULL);
	if (initrd_size && tern_memobj_size(VFS_SLOT_INITRD, &pages) == TERN_EOK &&
	    pages * PAGE >= initrd_size &&
	    tern_vspace_map(TERN_SLOT_VSPACE, INITRD_VA, VFS_SLOT_INITRD, 0, pages,
			    TERN_RIGHT_READ) == TERN_EOK)
		*initrd = (const void *)INITRD_VA;
	if (tern_memobj_size(VFS_SLOT_CLOCK, &pages) == TERN_EOK &&
	    tern_vspace_map(TERN_SLOT_VSPACE, CLOCK_VA, VFS_SLOT_CLOCK, 0, 1, TERN_RIGHT_READ) ==
		    TERN_EOK)
		clock_page = (const volatile struct tern_clock_page *)CLOCK_VA;
	return 0;
}

static uint32_t store_get(void)
{
	if (store_nfree)
		return store_free[--store_nfree];
	return store_next < STORE_SLOTS ? store_next++ : 0;
}

static void store_put(uint32_t i)
{
	if (store_nfree < STORE_SLOTS)
		store_free[store_nfree++] = (uint16_t)i;
}

/* A fresh MemObj of `pages` in a store slot (*index), mapped at va with
 * 4 KiB pages (a 2 MiB first touch would charge 2 MiB): 0 or -1. */
static int store_map_new(uint64_t va, uint64_t pages, uint32_t *index)
{
	uint32_t i;

	if (!(i = store_get()) && (platform_reap(0), !(i = store_get())))
		return -1;
	if (tern_quota_create(TERN_CHILD_SLOT_QUOTA, TERN_CAP_MEMOBJ, pages, store, i, 64) !=
	    TERN_EOK) {
		store_put(i);
		return -1;
	}
	int ok = tern_cnode_copy_from(TERN_SLOT_CNODE, scratch, 64, store, i, 64,
				      TERN_RIGHTS_ALL) == TERN_EOK &&
		 tern_vspace_map(TERN_SLOT_VSPACE, va, scratch, 0, pages,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_MAP_SMALL) == TERN_EOK;
	tern_cnode_delete(TERN_SLOT_CNODE, scratch, 64);
	if (!ok) {
		tern_cnode_delete(store, i, 64);
		store_put(i);
		return -1;
	}
	*index = i;
	return 0;
}

/* Deleting the object's only cap unmaps it and frees its pages. */
static void store_unmap_free(uint32_t i)
{
	tern_cnode_delete(store, i, 64);
	store_put(i);
}

/*
 * The small heap's region is backed by a MemObj per HEAP_CHUNK (its
 * index in the store, 0: none), made when the heap first writes there
 * and deleted when a free leaves the whole chunk inside one free block
 * (sys/heap.h's backing): its pages go back to the quota. The first
 * HEAP_KEEP chunks (the start-up's inodes, and a floor so that a block
 * allocated and freed at a chunk's edge does not make and delete one
 * each time there) stay.
 */
static uint16_t heap_chunk[HEAP_CHUNKS];
static uint64_t heap_chunks_backed;

static int chunk_commit(void *ctx, uintptr_t a, uintptr_t b)
{
	(void)ctx;
	for (uint64_t c = (a - HEAP_VA) / HEAP_CHUNK; c <= (b - 1 - HEAP_VA) / HEAP_CHUNK; c++) {
		uint32_t i;
		if (heap_chunk[c])
			continue;
		if (store_map_new(HEAP_VA + c * HEAP_CHUNK, HEAP_CHUNK / PAGE, &i))
			return -1;
		heap_chunk[c] = (uint16_t)i;
		heap_chunks_backed++;
	}
	return 0;
}

static void chunk_decommit(void *ctx, uintptr_t a, uintptr_t b)
{
	(void)ctx;
	uint64_t c = (a - HEAP_VA + HEAP_CHUNK - 1) / HEAP_CHUNK, end = (b - HEAP_VA) / HEAP_CHUNK;

	for (c = c < HEAP_KEEP ? HEAP_KEEP : c; c < end; c++) {
		if (!heap_chunk[c])
			continue;
		store_unmap_free(heap_chunk[c]);
		heap_chunk[c] = 0;
		heap_chunks_backed--;
	}
}

/*
 * Allocations of BIG_MIN bytes and more (pipe rings, /proc texts, grown
 * fd arrays and dentry hash tables) get a MemObj of their own, mapped in
 * the big area at the first run of free BIG_UNIT units (first fit, so
 * the low units, and their page tables, are the ones reused), and
 * deleted at free: their pages go back to vfs's quota at once. The small
 * heap keeps everything smaller, and the pages its busiest moment
 * touched (docs/personality.md "What vfs's quota holds").
 */
#define BIG_VA 0x140000000000ul
#define BIG_UNIT 8192ul
#define BIG_UNITS 65536u /* 512 MiB of address space */
#define BIG_MIN BIG_UNIT

static uint64_t big_used[BIG_UNITS / 64]; /* bit u: unit u is in an allocation */
static uint16_t big_index[BIG_UNITS];	  /* at an allocation's first unit: its store index */
static uint32_t big_len[BIG_UNITS];	  /* ... and its length in units */
static uint64_t big_count, big_units_used;

static bool big_bit(uint32_t u)
{
	return big_used[u / 64] >> (u % 64) & 1;
}

static void big_mark(uint32_t u, uint32_t n, bool used)
{
	for (uint32_t k = u; k < u + n; k++) {
		if (used)
			big_used[k / 64] |= 1ul << (k % 64);
		else
			big_used[k / 64] &= ~(1ul << (k % 64));
	}
}

/* The first run of n free units, or BIG_UNITS. */
static uint32_t big_find(uint32_t n)
{
	uint32_t u = 0;

	while (u + n <= BIG_UNITS) {
		if (u % 64 == 0 && big_used[u / 64] == ~0ul) {
			u += 64;
			continue;
		}
		uint32_t k = u;
		while (k < u + n && !big_bit(k))
			k++;
		if (k == u + n)
			return u;
		u = k + 1;
	}
	return BIG_UNITS;
}

static void *big_alloc(size_t size)
{
	uint32_t n = (uint32_t)((size + BIG_UNIT - 1) / BIG_UNIT), u, i;

	if (size > (uint64_t)BIG_UNITS * BIG_UNIT || (u = big_find(n)) == BIG_UNITS)
		return NULL;
	uint64_t va = BIG_VA + (uint64_t)u * BIG_UNIT;
	if (store_map_new(va, (uint64_t)n * BIG_UNIT / PAGE, &i))
		return NULL;
	big_mark(u, n, true);
	big_index[u] = (uint16_t)i;
	big_len[u] = n;
	big_count++;
	big_units_used += n;
	return (void *)va; /* a fresh object: zero */
}

static void big_free(uintptr_t p)
{
	uint32_t u = (uint32_t)((p - BIG_VA) / BIG_UNIT);

	if (p % BIG_UNIT || !big_len[u])
		__builtin_trap(); /* not an allocation's start: a double free */
	store_unmap_free(big_index[u]);
	big_mark(u, big_len[u], false);
	big_count--;
	big_units_used -= big_len[u];
	big_len[u] = 0;
}

void *fs_alloc(size_t n)
{
	void *p = n >= BIG_MIN ? big_alloc(n) : NULL;

	if (p)
		return p;
	if ((p = heap_alloc(&heap, n ? n : 1)))
		memset(p, 0, n);
	return p;
}

void fs_free(void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (a >= BIG_VA && a < BIG_VA + (uint64_t)BIG_UNITS * BIG_UNIT)
		big_free(a);
	else if (p)
		heap_free(&heap, p);
}

/* Map the object's pages [from, to) (bytes) at the same offsets of its
 * window. */
static int window_map(struct fs_data *d, uint64_t from, uint64_t to)
{
	int ok = tern_cnode_copy_from(TERN_SLOT_CNODE, scratch, 64, store, d->index, 64,
				      TERN_RIGHTS_ALL) == TERN_EOK &&
		 tern_vspace_map(TERN_SLOT_VSPACE, (uint64_t)(uintptr_t)d->base + from, scratch,
				 from / PAGE, (to - from) / PAGE,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE) == TERN_EOK;

	tern_cnode_delete(TERN_SLOT_CNODE, scratch, 64);
	return ok ? 0 : -ENOSPC;
}

/*
 * The window is mapped only as far as the file reaches, doubling: the
 * kernel resolves a first touch with a 2 MiB page, or 4 KiB and a
 * fault-around of zero pages, only inside a mapping, so a small file
 * costs the pages it holds and not 2 MiB.
 */
int fs_data_reserve(struct fs_data *d, uint64_t size)
{
	uint32_t i;
	uint64_t pages = FS_DATA_MAX / PAGE;

	if (size > FS_DATA_MAX)
		return -EFBIG;
	if (size <= d->room && d->base)
		return 0;
	if (!d->base) {
		if (!(i = store_get()) && (platform_reap(0), !(i = store_get())))
			return -ENOSPC;
		uint32_t w = window_get();
		if (w == STORE_SLOTS || tern_quota_create(TERN_CHILD_SLOT_QUOTA, TERN_CAP_MEMOBJ,
							  pages, store, i, 64) != TERN_EOK) {
			if (w != STORE_SLOTS)
				window_put(w);
			store_put(i);
			return -ENOSPC;
		}
		store_window[i] = (uint16_t)w;
		d->base = (uint8_t *)(DATA_VA + (uint64_t)w * FS_DATA_MAX);
		d->room = 0;
		d->index = i;
		d->window = w;
	}
	uint64_t room = d->room ? d->room : PAGE;
	while (room < size)
		room *= 2;
	if (room > FS_DATA_MAX)
		room = FS_DATA_MAX;
	if (window_map(d, d->room, room)) {
		if (!d->room) {
			tern_cnode_delete(store, d->index, 64);
			store_put(d->index);
			window_put(d->window);
			d->base = NULL;
			d->index = 0;
		}
		return -ENOSPC;
	}
	d->room = room;
	store_pages[d->index] = (uint32_t)(room / PAGE);
	return 0;
}

/* Give object i back: its window (if still mapped), the caps handed out
 * from it, its cap in the store. */
static void store_drop(uint32_t i)
{
	for (unsigned k = 0; k < 2; k++) {
		if (store_handout[i][k]) {
			tern_cnode_delete(TERN_SLOT_CNODE, store_handout[i][k], 64);
			tern_slot_put(store_handout[i][k]);
			store_handout[i][k] = 0;
		}
	}
	tern_cnode_delete(store, i, 64);
	store_pages[i] = 0;
	store_put(i);
}

/* Whether object i is still used by others: a VSpace maps it (a text, a
 * file mapping), or caps derived from the handout caps exist (proc's and
 * libposix's while they map it; mm's own copy is revoked when libposix
 * deletes the one it passed on, so the mapping is what says mm uses it). */
static bool in_use(uint32_t i)
{
	for (unsigned k = 0; k < 2; k++) {
		uint64_t derived = 1, mapped = 1;
		tern_cptr_t h = store_handout[i][k];
		if (!h)
			continue;
		if (tern_cnode_derived(TERN_SLOT_CNODE, h, 64, &derived) != TERN_EOK || derived ||
		    tern_memobj_mapped(h, &mapped) != TERN_EOK || mapped)
			return true;
	}
	return false;
}

/*
 * The objects of files that are gone but were handed out (exec's text,
 * mmap's pages) wait here until their last mapping's cap is deleted:
 * deleting vfs's original earlier would revoke those caps and unmap the
 * pages from the processes still using them. Their tmpfs charge stays
 * with them until then, so a loop that unlinks mapped files ends in
 * ENOSPC, never in vfs's quota running out.
 */
static uint16_t zombies[STORE_SLOTS];
static uint32_t nzombies, zombie_cursor;

void platform_reap(unsigned budget)
{
	if (!budget || budget > nzombies)
		budget = nzombies;
	for (unsigned n = 0; n < budget && nzombies; n++) {
		if (zombie_cursor >= nzombies)
			zombie_cursor = 0;
		uint32_t i = zombies[zombie_cursor];
		if (in_use(i)) {
			zombie_cursor++;
			continue;
		}
		zombies[zombie_cursor] = zombies[--nzombies];
		vfs.fs.pages -= store_charged[i] < vfs.fs.pages ? store_charged[i] : vfs.fs.pages;
		store_charged[i] = 0;
		store_drop(i);
	}
}

void fs_data_release(struct fs_data *d)
{
	if (!d->base)
		return;
	uint32_t i = d->index;
	store_handout[i][0] = d->handout[0];
	store_handout[i][1] = d->handout[1];
	d->base = NULL;
	d->room = 0;
	d->index = 0;
	d->handout[0] = d->handout[1] = 0;
	/* vfs's own window goes now; the object when nobody else maps it. */
	if (store_pages[i])
		tern_vspace_unmap(TERN_SLOT_VSPACE, window_va(i), store_pages[i]);
	store_pages[i] = 0;
	window_put(store_window[i]);
	platform_reap(PLATFORM_REAP_BATCH); /* the last ones may be unmapped by now */
	if (d->handed_out && in_use(i)) {
		store_charged[i] = (uint32_t)d->charged;
		d->charged = 0;
		zombies[nzombies++] = (uint16_t)i;
		return;
	}
	vfs.fs.pages -= d->handed_out ? (d->charged < vfs.fs.pages ? d->charged : vfs.fs.pages) : 0;
	d->charged = 0;
	store_drop(i);
}

int platform_data_cap(struct fs_data *d, bool write, uint64_t *slot)
{
	int err;

	if (!d->base && (err = fs_data_reserve(d, 1)))
		return err;
	/* One cap per kind for the data's life: what proc and mm receive is
	 * derived from it, and must outlive the next handout (a delete
	 * would revoke it: the text of a process that has forked, say). */
	uint32_t *h = &d->handout[write ? 1 : 0];
	if (!*h) {
		tern_cptr_t s = new_slot();
		uint64_t rights =
			TERN_RIGHT_READ | TERN_RIGHT_EXEC | (write ? TERN_RIGHT_WRITE : 0);
		if (!s) {
			platform_reap(0); /* gone files' handouts hold root slots */
			s = new_slot();
		}
		if (!s)
			return -ENOMEM;
		if (tern_cnode_copy_from(TERN_SLOT_CNODE, s, 64, store, d->index, 64, rights) !=
		    TERN_EOK) {
			tern_slot_put(s);
			return -ENOMEM;
		}
		*h = (uint32_t)s;
	}
	d->handed_out = true;
	*slot = *h;
	return 0;
}

uint64_t platform_now_ns(void)
{
	uint32_t lo, hi;

	if (!clock_page)
		return 0;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return tern_clock_ns(clock_page, (uint64_t)hi << 32 | lo);
}

struct posix_timespec fs_now(void)
{
	uint64_t ns = platform_now_ns() + (clock_page ? clock_page->realtime_base : 0);
	struct posix_timespec t = { (int64_t)(ns / 1000000000u), (int64_t)(ns % 1000000000u) };

	return t;
}

/*
 * The tmpfs size limit, in pages: Linux's default, half of RAM
 * (shmem_default_max_blocks), but never more than three quarters of
 * what vfs's quota has left at start: the files' pages are charged to
 * that quota, and vfs's own (its heap, pipes, fd tables) must still fit
 * when the files are full. Without a limit a full tmpfs made vfs fault
 * on its quota and the system stopped (robust.exhaust_tmpfs).
 */
uint64_t platform_tmpfs_pages(void)
{
	uint64_t used, limit, mem[4] = { 0 };

	platform_memory(&used, &limit);
	uint64_t pages = (limit - used) / 4 * 3 / PAGE;
	if (tern_debug_query(TERN_DEBUG_QUERY_MEMORY, 0, mem) == TERN_EOK &&
	    mem[0] / 2 / PAGE < pages)
		pages = mem[0] / 2 / PAGE;
	return pages;
}

#ifdef VFS_MEMDUMP
/*
 * What holds vfs's quota, on the console at every /proc/meminfo read
 * (cmake -DTERN_VFS_MEMDUMP=ON; compiled out otherwise): the heap's
 * touched span, pages present and its allocated blocks by size (sizes
 * name the types: the sizeof line), the file data objects and the
 * pages present in their windows.
 */
#define DUMP_SIZES 24
struct dump {
	uintptr_t top;
	uint64_t used_bytes, used_blocks, free_bytes;
	struct {
		uint64_t size, count;
	} by[DUMP_SIZES];
	uint64_t other;
};

static void dump_block(void *arg, uintptr_t addr, size_t size, int used)
{
	struct dump *d = arg;
	unsigned i;

	if (!used) {
		if (addr + size < heap.end)
			d->free_bytes += size;
		return;
	}
	d->top = addr + size;
	d->used_bytes += size;
	d->used_blocks++;
	for (i = 0; i < DUMP_SIZES && d->by[i].count && d->by[i].size != size; i++)
		;
	if (i == DUMP_SIZES) {
		d->other += size;
		return;
	}
	d->by[i].size = size;
	d->by[i].count++;
}

static uint64_t present_pages(uint64_t va, uint64_t pages)
{
	uint64_t n = 0, q[3];

	for (uint64_t i = 0; i < pages; i++)
		if (tern_vspace_query(TERN_SLOT_VSPACE, va + i * PAGE, q) == TERN_EOK &&
		    (q[0] & TERN_QUERY_PRESENT))
			n++;
	return n;
}

void platform_memdump(void)
{
	static struct dump d;
	uint64_t used, limit, heap_present, top_pages, live = 0, dead = 0, data_present = 0;
	uint64_t zombie_pages = 0;

	memset(&d, 0, sizeof(d));
	heap_walk(&heap, dump_block, &d);
	top_pages = d.top ? (d.top - HEAP_VA + PAGE - 1) / PAGE + 1 : 0;
	heap_present = present_pages(HEAP_VA, top_pages + 2048); /* past the top too */
	for (uint32_t z = 0; z < nzombies; z++)
		dead++, zombie_pages += store_charged[zombies[z]];
	for (uint32_t i = 1; i < store_next; i++) {
		if (!store_pages[i])
			continue;
		live++;
		data_present += present_pages(window_va(i), store_pages[i]);
	}
	platform_memory(&used, &limit);
	tern_printf("VFSMEM quota %lu kB of %lu kB; heap: touched %lu kB, present %lu kB, "
		    "allocated %lu kB in %lu blocks, free below the top %lu kB\n",
		    used >> 10, limit >> 10, top_pages * 4, heap_present * 4, d.used_bytes >> 10,
		    d.used_blocks, d.free_bytes >> 10);
	tern_printf("VFSMEM data: %lu files' objects (present %lu kB), %lu of gone files still "
		    "mapped (charged %lu kB), tmpfs pages %lu, inodes %lu, bytes %lu\n",
		    live, data_present * 4, dead, zombie_pages * 4, vfs.fs.pages, vfs.fs.inodes,
		    vfs.fs.bytes);
	uint64_t big_present = 0;
	for (uint32_t u = 0; u < BIG_UNITS; u++)
		if (big_len[u])
			big_present +=
				present_pages(BIG_VA + u * BIG_UNIT, big_len[u] * BIG_UNIT / PAGE);
	tern_printf("VFSMEM small heap: %lu chunks of %lu kB backed\n", heap_chunks_backed,
		    HEAP_CHUNK >> 10);
	tern_printf("VFSMEM big allocations: %lu (%lu kB of address space), present %lu kB\n",
		    big_count, big_units_used * BIG_UNIT >> 10, big_present * 4);
	tern_printf("VFSMEM sizeof inode %lu dentry %lu file %lu pipe %lu fdtable %lu vproc %lu "
		    "mount %lu (block = size rounded to 16, + 16)\n",
		    sizeof(struct inode), sizeof(struct dentry), sizeof(struct file),
		    sizeof(struct pipe), sizeof(struct fdtable), sizeof(struct vproc),
		    sizeof(struct mount));
	for (unsigned i = 0; i < DUMP_SIZES && d.by[i].count; i++)
		tern_printf("VFSMEM block %lu x %lu = %lu kB\n", d.by[i].size, d.by[i].count,
			    d.by[i].size * d.by[i].count >> 10);
	tern_printf("VFSMEM blocks of other sizes %lu kB\n", d.other >> 10);
}
#endif

void fs_data_reclaim(void)
{
	platform_reap(0);
}

void platform_memory(uint64_t *used, uint64_t *limit)
{
	if (tern_quota_query(TERN_CHILD_SLOT_QUOTA, used, limit) != TERN_EOK)
		*used = *limit = 0;
}
