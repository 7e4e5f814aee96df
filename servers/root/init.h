/*
 * pid 1 (init.c).
 */
#ifndef ROOT_INIT_H
#define ROOT_INIT_H

#include "initargs.h"

/* Asks proc to run init, trying Linux's candidates in order. Returns 0
 * once one runs, -1 (logged) when none does. */
int root_start_init(const struct init_args *a);

#endif
