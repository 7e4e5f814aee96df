/*
 * The server runtime's interruptible waits (sys/server.h): the
 * Notification, the thread that forwards its bits to the loop. Apart from
 * server.c so that the host tests of the loop need no threads.
 */
#include "sys/server.h"

#include "sys/invoke.h"
#include "sys/syscalls.h"
#include "sys/thread.h"

/* The runtime's thread: the Notification's bits to the loop, which alone
 * touches the server's state. */
static void intr_main(void *arg)
{
	struct tern_server_intr *in = arg;

	for (;;) {
		uint64_t bits = 0, none;
		enum tern_error err = tern_wait(in->ntfn, &bits);
		if (err != TERN_EOK && err != TERN_EINTERRUPTED)
			return;
		if (bits)
			tern_client_call(in->ep, TERN_SERVER_LABEL_INTR_BITS, &bits, 1, &none, 0);
	}
}

int tern_server_intr_start(struct tern_server *s, struct tern_server_intr *intr,
			   tern_server_intr_fn fn, uint64_t badge)
{
	struct tern_thread *t;
	int err;

	intr->fn = fn;
	intr->badge = badge;
	if ((err = tern_object_create(TERN_CAP_NOTIFICATION, 0, &intr->ntfn)))
		return err;
	if (!(intr->ep = tern_slot_get()))
		return TERN_SPAWN_ESLOTS;
	if ((err = tern_cnode_mint(TERN_SLOT_CNODE, intr->ep, 64, s->ep, 64, TERN_RIGHT_WRITE,
				   badge)))
		return err;
	s->intr = intr;
	/* As high as the loop: an interruption waits for the loop only. */
	struct tern_thread_args a = { .fn = intr_main,
				      .arg = intr,
				      .priority = tern_own_priority() };
	if ((err = tern_thread_create(&a, &t))) {
		s->intr = NULL;
		return err;
	}
	return 0;
}
