/*
 * The initrd arrives as a boot module, plain or gzip-compressed, and parses
 * as cpio newc: find the known file etc/motd and check its contents.
 */
#include "common/cpio.h"
#include "kernel/initrd.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "common/string.h"

static const char motd[] = "Welcome to tern.\n";

static int selftest_initrd(void)
{
	const char *why;
	const struct initrd *rd = initrd_get(&why);
	if (!rd)
		SELFTEST_FAIL("%s", why);
	const void *base = rd->base;
	size_t len = rd->size;

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
	printk(KERN_INFO "initrd: module \"%s\", %zu bytes%s, %d entries\n", rd->module, len,
	       rd->compressed ? " inflated" : "", n);
	return 0;
}
SELFTEST(initrd, selftest_initrd, false);
