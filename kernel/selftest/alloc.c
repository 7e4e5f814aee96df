/*
 * Allocator stress: take every free page through page_alloc, tag each with
 * its own address, check the tags (no page handed out twice), free them in
 * a scrambled order and check the free count is back where it started.
 * Then the same for higher orders and for the kernel heap.
 */
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/selftest.h"
#include "common/string.h"

static int test_all_pages(void)
{
	uint64_t before = pmm_free_pages();
	uint64_t head = 0, count = 0;

	/* Chain all pages through their first word: no side array needed. */
	for (uint64_t pa; (pa = page_alloc()) != 0; count++) {
		uint64_t *p = phys_to_virt(pa);
		p[0] = head;
		p[1] = pa ^ 0x5a5a5a5a5a5a5a5aull;
		head = pa;
	}
	if (count != before)
		SELFTEST_FAIL("allocated %lu pages, %lu were free", count, before);
	if (pmm_free_pages() != 0)
		SELFTEST_FAIL("%lu pages still free after exhaustion", pmm_free_pages());
	while (head) {
		uint64_t *p = phys_to_virt(head);
		if (p[1] != (head ^ 0x5a5a5a5a5a5a5a5aull))
			SELFTEST_FAIL("page %lx was handed out twice", head);
		uint64_t next = p[0];
		page_free(head);
		head = next;
	}
	if (pmm_free_pages() != before)
		SELFTEST_FAIL("free pages %lu after freeing all, expected %lu", pmm_free_pages(),
			      before);
	printk("alloc: %lu pages allocated, tagged and freed\n", count);
	return 0;
}

#define ORDER_SLOTS 512

static int test_orders(void)
{
	static uint64_t slots[ORDER_SLOTS];
	static uint8_t orders[ORDER_SLOTS];
	uint64_t before = pmm_free_pages();

	memset(slots, 0, sizeof(slots));
	for (int round = 0; round < 20000; round++) {
		uint32_t r;
		random_bytes(&r, sizeof(r));
		unsigned i = r % ORDER_SLOTS;
		if (slots[i]) {
			pages_free(slots[i], orders[i]);
			slots[i] = 0;
			continue;
		}
		unsigned order = (r >> 16) % 10; /* up to 2 MiB blocks */
		uint64_t pa = pages_alloc(order);
		if (!pa)
			continue;
		if (pa & ((PAGE_SIZE << order) - 1))
			SELFTEST_FAIL("order %u block at %lx is misaligned", order, pa);
		slots[i] = pa;
		orders[i] = (uint8_t)order;
	}
	for (unsigned i = 0; i < ORDER_SLOTS; i++)
		if (slots[i])
			pages_free(slots[i], orders[i]);
	if (pmm_free_pages() != before)
		SELFTEST_FAIL("free pages %lu after order stress, expected %lu", pmm_free_pages(),
			      before);
	return 0;
}

static int test_heap(void)
{
	static void *objs[1024];
	static uint16_t sizes[1024];

	for (int round = 0; round < 50000; round++) {
		uint32_t r;
		random_bytes(&r, sizeof(r));
		unsigned i = r % 1024;
		if (objs[i]) {
			uint8_t *b = objs[i];
			for (unsigned k = 0; k < sizes[i]; k++)
				if (b[k] != (uint8_t)(i + k))
					SELFTEST_FAIL("heap object %u corrupted", i);
			kfree(objs[i]);
			objs[i] = NULL;
			continue;
		}
		sizes[i] = (uint16_t)(1 + (r >> 16) % 2048);
		objs[i] = kmalloc(sizes[i]);
		if (!objs[i])
			SELFTEST_FAIL("kmalloc(%u) failed", sizes[i]);
		for (unsigned k = 0; k < sizes[i]; k++)
			((uint8_t *)objs[i])[k] = (uint8_t)(i + k);
	}
	for (unsigned i = 0; i < 1024; i++)
		if (objs[i]) {
			kfree(objs[i]);
			objs[i] = NULL;
		}
	return 0;
}

static int selftest_alloc(void)
{
	if (test_all_pages() || test_orders() || test_heap())
		return -1;
	return 0;
}
SELFTEST(alloc, selftest_alloc, false);
