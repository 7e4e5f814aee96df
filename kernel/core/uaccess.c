/* copy_from_user / copy_to_user: page by page through the page tables. */
#include "kernel/uaccess.h"

#include "common/compiler.h"
#include "kernel/mm.h"
#include "common/string.h"
#include "kernel/tcb.h"
#include "kernel/vm.h"

static int copy_user(struct tcb *t, uint64_t uaddr, uint8_t *kbuf, size_t len, bool to_user)
{
	struct vspace *vs = tcb_vspace(t);

	if (!vs || uaddr >= USER_TOP || len > USER_TOP - uaddr)
		return -1;
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (uaddr & (PAGE_SIZE - 1)));
		uint8_t *k =
			vspace_translate(vs, uaddr, to_user ? TERN_RIGHT_WRITE : TERN_RIGHT_READ);
		if (!k)
			return -1;
		if (to_user)
			memcpy(k, kbuf, chunk);
		else
			memcpy(kbuf, k, chunk);
		uaddr += chunk;
		kbuf += chunk;
		len -= chunk;
	}
	return 0;
}

int copy_from_user(struct tcb *t, void *dst, struct user_ptr src, size_t len)
{
	return copy_user(t, src.addr, dst, len, false);
}

int copy_to_user(struct tcb *t, struct user_ptr dst, const void *src, size_t len)
{
	return copy_user(t, dst.addr, (uint8_t *)src, len, true);
}
