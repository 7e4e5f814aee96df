/*
 * The initrd arrives as a boot module and parses as cpio newc: find the
 * known file etc/motd and check its contents.
 */
#include "kernel/boot_info.h"
#include "common/cpio.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "common/string.h"

static const char motd[] = "Welcome to tern.\n";

static int selftest_initrd(void)
{
	/* GRUB names the module "initrd"; QEMU -initrd names it after the file. */
	const struct boot_module *m = boot_module_find("initrd");
	if (!m)
		m = boot_module_find(NULL);
	if (!m)
		SELFTEST_FAIL("no boot module");
	const void *base = phys_to_virt(m->start);
	size_t len = m->end - m->start;

	struct cpio_iter it;
	struct cpio_entry e;
	int n = 0, r;
	cpio_iter_init(&it, base, len);
	while ((r = cpio_next(&it, &e)) == 1)
		n++;
	if (r < 0)
		SELFTEST_FAIL("initrd (%zu bytes) is malformed: cpio error %d", len, r);
	if (cpio_find(base, len, "etc/motd", &e) != 1)
		SELFTEST_FAIL("etc/motd not found in the initrd");
	if (e.size != sizeof(motd) - 1 || memcmp(e.data, motd, e.size) != 0)
		SELFTEST_FAIL("etc/motd has unexpected contents (%zu bytes)", e.size);
	printk("initrd: module \"%s\", %zu bytes, %d entries\n", m->name, len, n);
	return 0;
}
SELFTEST(initrd, selftest_initrd, false);
