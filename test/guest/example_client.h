/* The example server's client tests (example_client.c), run in guest.runtime. */
#ifndef EXAMPLE_CLIENT_H
#define EXAMPLE_CLIENT_H

#include "tern/caps.h"

/* The endpoint of the running example server (after example_start). */
extern tern_cptr_t example_ep;

int example_start(void);
int example_counter(void);
int example_deferred_wait(void);
int example_cap_transfer(void);
int example_reply_cap(void);
int example_unknown_label(void);
int example_short_message(void);

#endif
