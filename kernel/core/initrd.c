/*
 * The initrd: the first boot module ("initrd" under GRUB, the file's name
 * under QEMU -initrd), a cpio newc archive, plain or gzip-compressed as
 * Linux takes it (gzip members, zero padding between them).
 *
 * Entry point: initrd_get().
 *
 * A compressed module is inflated once, on first use, into one physically
 * contiguous run of frames (pages_alloc_run: exactly the pages it needs) (the root task maps it as a PHYS memory
 * object, as it maps an uncompressed module). The size comes from the last
 * member's ISIZE; when that is wrong (several members, trailing padding,
 * 4 GiB or more) the decoder runs once without writing to learn the exact
 * size (gzip_scan), then for real. The block is never freed: the archive
 * lives as long as the system, as the module does.
 */
#include "kernel/initrd.h"

#include "arch/cpu.h"
#include "common/inflate.h"
#include "kernel/boot_info.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "common/string.h"
#include "kernel/time.h"

static struct initrd rd;
static const char *rd_error;
static bool rd_done;
static struct inflate_work work; /* 14 KiB of tables: too big for the stack */

/* Left free for the kernel and the root task's start, whatever the size. */
#define INITRD_LEAVE_FREE (32ul << 20)

/* Inflate into a fresh run of frames for `cap` bytes; 0 or an INFLATE_E*
 * code, or 1 when no run that long can be had. */
static int inflate_into(const uint8_t *in, size_t in_len, uint64_t cap)
{
	uint64_t frames = ALIGN_UP(cap ? cap : 1, PAGE_SIZE) / PAGE_SIZE;
	uint64_t free = pmm_free_pages();
	size_t len;

	if (cap > SIZE_MAX - PAGE_SIZE || frames + INITRD_LEAVE_FREE / PAGE_SIZE > free)
		return 1;
	uint64_t pa = pages_alloc_run(frames);
	if (!pa)
		return 1;
	int err = gzip_inflate(&work, in, in_len, phys_to_virt(pa), frames * PAGE_SIZE, &len);
	if (err) {
		pages_free_run(pa, frames);
		return err;
	}
	/* A hint too large (not a real ISIZE) leaves frames past the
	 * archive: move it to a run of its own size when one can be had. */
	uint64_t used = ALIGN_UP(len ? len : 1, PAGE_SIZE) / PAGE_SIZE;
	uint64_t exact = used < frames ? pages_alloc_run(used) : 0;
	if (exact) {
		memcpy(phys_to_virt(exact), phys_to_virt(pa), len);
		pages_free_run(pa, frames);
		pa = exact;
	}
	rd.phys = pa;
	rd.base = phys_to_virt(pa);
	rd.size = len;
	return 0;
}

static const char *inflate_initrd(const uint8_t *in, size_t in_len)
{
	uint64_t hint = gzip_isize_hint(in, in_len), size;
	int err = INFLATE_ENOSPC;

	/* One pass when the hint holds; a hint too large to allocate is no
	 * proof the archive is, so that case asks gzip_scan too. */
	if (hint)
		err = inflate_into(in, in_len, hint);
	if (err == INFLATE_ENOSPC || err == 1) {
		err = gzip_scan(&work, in, in_len, &size);
		if (err == 0) {
			err = inflate_into(in, in_len, size);
			if (err == 1) {
				printk("initrd: needs %lu KiB inflated, %lu KiB free, %lu KiB kept "
				       "back\n",
				       size >> 10, (pmm_free_pages() * PAGE_SIZE) >> 10,
				       INITRD_LEAVE_FREE >> 10);
				return "not enough memory to inflate the gzip initrd";
			}
		}
	}
	if (err) {
		printk("initrd: gzip: %s (error %d)\n", inflate_strerror(err), err);
		return "the gzip initrd is malformed";
	}
	return NULL;
}

const struct initrd *initrd_get(const char **why)
{
	if (rd_done)
		goto out;
	rd_done = true;

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
	if (gzip_is_gzip(rd.base, rd.packed)) {
		uint64_t t0 = rdtsc();
		rd.compressed = true;
		rd_error = inflate_initrd(rd.base, rd.packed);
		if (!rd_error)
			printk("initrd: gzip module \"%s\", %zu KiB inflated to %zu KiB in %lu "
			       "us\n",
			       rd.module, rd.packed >> 10, rd.size >> 10,
			       tsc_cycles_to_ns(&kclock.conv, rdtsc() - t0) / 1000);
	}
out:
	if (rd_error) {
		*why = rd_error;
		return NULL;
	}
	return &rd;
}
