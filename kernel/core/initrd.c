/*
 * The initrd: the first boot module ("initrd" under GRUB, the file's name
 * under QEMU -initrd), a cpio newc archive, plain or gzip-compressed, in
 * the forms Linux unpacks an initramfs from: parts one after another, each
 * a plain cpio archive (or several) or a gzip stream (one or more members),
 * with zero bytes between them.
 *
 * Entry point: initrd_get().
 *
 * A module that is one plain archive is used where it lies. Any other
 * (gzip, or plain then gzip as an early-microcode initramfs is) is turned
 * once, on first use, into one archive in a physically contiguous run of
 * exactly the frames it needs (pages_alloc_run), which the root task maps
 * as a PHYS memory object as it would the module. For a module that is
 * all gzip the size is first taken from the last member's ISIZE: one pass
 * when that is right. Otherwise (several members, padding, a plain part,
 * 4 GiB or more) a pass that writes nothing (gzip_scan_prefix) counts the
 * exact size, then a second pass fills the run. The run is never freed:
 * the archive lives as long as the system. The module's whole frames go
 * back to the allocator once it is unpacked, as Linux frees the initrd.
 */
#include "kernel/initrd.h"

#include "arch/cpu.h"
#include "common/cpio.h"
#include "common/inflate.h"
#include "common/string.h"
#include "kernel/boot_info.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/time.h"

static struct initrd rd;
static const char *rd_error;
static bool rd_done;
static struct inflate_work work; /* 14 KiB of tables: too big for the stack */

/* Left free for the kernel and the root task's start, whatever the size. */
#define INITRD_LEAVE_FREE (32ul << 20)

#define NO_MEMORY "not enough memory to inflate the gzip initrd"
#define MALFORMED_GZIP "the gzip initrd is malformed"
#define MALFORMED_CPIO "a plain part of the initrd is malformed"

/* A run of frames for `bytes`, keeping INITRD_LEAVE_FREE free; 0 if none. */
static uint64_t alloc_run(uint64_t bytes, uint64_t *frames)
{
	*frames = ALIGN_UP(bytes ? bytes : 1, PAGE_SIZE) / PAGE_SIZE;
	if (bytes > SIZE_MAX - PAGE_SIZE ||
	    *frames + INITRD_LEAVE_FREE / PAGE_SIZE > pmm_free_pages())
		return 0;
	return pages_alloc_run(*frames);
}

/*
 * Walk the module's parts. With out NULL, count the archive's size into
 * *total; otherwise write the archive to out[0, cap). Each part starts at
 * a multiple of 4 of the output, so that the archives follow each other
 * as cpio_next expects (zeros in between, which it skips).
 */
static const char *walk_parts(const uint8_t *in, size_t len, uint8_t *out, uint64_t cap,
			      uint64_t *total)
{
	size_t pos = 0;
	uint64_t o = 0;

	while (pos < len) {
		if (in[pos] == 0) {
			pos++;
			continue;
		}
		while (o % 4) {
			if (out && o < cap)
				out[o] = 0;
			o++;
		}
		const uint8_t *p = in + pos;
		size_t n = len - pos, used;
		if (gzip_is_gzip(p, n)) {
			uint64_t size;
			size_t got;
			int err;

			if (!out) {
				err = gzip_scan_prefix(&work, p, n, &used, &size);
			} else {
				err = o > cap ? INFLATE_ENOSPC
					      : gzip_inflate_prefix(&work, p, n, &used, out + o,
								    cap - o, &got);
				size = got;
			}
			if (err) {
				printk(KERN_ERR
				       "initrd: gzip: %s (error %d) in the part at byte %zu\n",
				       inflate_strerror(err), err, pos);
				return MALFORMED_GZIP;
			}
			o += size;
			pos += used;
			continue;
		}
		struct cpio_iter it;
		struct cpio_entry e;
		int r;
		cpio_iter_init(&it, p, n);
		while ((r = cpio_next(&it, &e)) == 1)
			;
		if (r < 0) {
			printk(KERN_ERR "initrd: cpio error %d in the plain part at byte %zu\n", r,
			       pos);
			return MALFORMED_CPIO;
		}
		if (out) {
			if (o > cap || it.end > cap - o)
				return MALFORMED_CPIO; /* cannot be: the count said so */
			memcpy(out + o, p, it.end);
		}
		o += it.end;
		pos += it.end;
	}
	*total = o;
	return NULL;
}

/* Count, allocate, fill. */
static const char *unpack_parts(const uint8_t *in, size_t len)
{
	uint64_t size, frames, pa;
	const char *why = walk_parts(in, len, NULL, 0, &size);

	if (why)
		return why;
	if (!(pa = alloc_run(size, &frames))) {
		printk(KERN_ERR "initrd: needs %lu KiB inflated, %lu KiB free, %lu KiB kept back\n",
		       size >> 10, (pmm_free_pages() * PAGE_SIZE) >> 10, INITRD_LEAVE_FREE >> 10);
		return NO_MEMORY;
	}
	why = walk_parts(in, len, phys_to_virt(pa), frames * PAGE_SIZE, &size);
	if (why) {
		pages_free_run(pa, frames);
		return why;
	}
	rd.phys = pa;
	rd.base = phys_to_virt(pa);
	rd.size = size;
	return NULL;
}

/* All gzip, one pass: into a run sized by the ISIZE hint. 0 when done,
 * else the reason to take the general path (an INFLATE_E* code, or 1). */
static int inflate_by_hint(const uint8_t *in, size_t len)
{
	uint64_t hint = gzip_isize_hint(in, len), frames, pa;
	size_t got;

	if (!hint || !(pa = alloc_run(hint, &frames)))
		return 1;
	int err = gzip_inflate(&work, in, len, phys_to_virt(pa), frames * PAGE_SIZE, &got);
	if (err || ALIGN_UP(got ? got : 1, PAGE_SIZE) / PAGE_SIZE != frames) {
		pages_free_run(pa, frames); /* wrong, or too big a run: count instead */
		return err ? err : 1;
	}
	rd.phys = pa;
	rd.base = phys_to_virt(pa);
	rd.size = got;
	return 0;
}

/* True when the module is more than one plain cpio part (and zeros). */
static bool needs_unpacking(const uint8_t *in, size_t len)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int r;

	if (gzip_is_gzip(in, len))
		return true;
	cpio_iter_init(&it, in, len);
	while ((r = cpio_next(&it, &e)) == 1)
		;
	if (r < 0)
		return false; /* malformed: left for the readers to report */
	for (size_t i = it.end; i < len; i++)
		if (in[i])
			return true;
	return false;
}

const struct initrd *initrd_get(const char **why)
{
	if (rd_done)
		goto out;
	rd_done = true;

	/* GRUB names the module "initrd"; QEMU -initrd names it after the file. */
	const struct boot_module *m = boot_module_find("initrd");
	if (!m)
		m = boot_module_find(NULL);
	if (!m) {
		rd_error = "no initrd module";
		goto out;
	}
	rd.module = m->name;
	rd.packed = m->end - m->start;
	rd.phys = m->start;
	rd.base = phys_to_virt(m->start);
	rd.size = rd.packed;
	if (needs_unpacking(rd.base, rd.packed)) {
		const uint8_t *in = rd.base;
		uint64_t t0 = rdtsc();
		int err = gzip_is_gzip(in, rd.packed) ? inflate_by_hint(in, rd.packed) : 1;

		rd.compressed = true;
		if (err)
			rd_error = unpack_parts(in, rd.packed);
		if (!rd_error) {
			/* As Linux frees the initrd once unpacked: the archive
			 * now lives in frames of its own. */
			pmm_release(m->start, m->end);
			printk(KERN_INFO
			       "initrd: gzip module \"%s\", %zu KiB inflated to %zu KiB in "
			       "%lu us%s; module freed\n",
			       rd.module, rd.packed >> 10, rd.size >> 10,
			       tsc_cycles_to_ns(&kclock.conv, rdtsc() - t0) / 1000,
			       err ? " (counted first)" : "");
		}
	}
out:
	if (rd_error) {
		*why = rd_error;
		return NULL;
	}
	return &rd;
}
