/*
 * The native heap: malloc over a static 4 MiB arena (sys/heap.h), behind
 * one sys/lock.h mutex so every thread of a task may use it.
 */
#ifndef SYS_MALLOC_H
#define SYS_MALLOC_H

#include <stddef.h>

#define TERN_MALLOC_ARENA_SIZE (4ul << 20)

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

/* Give the heap's lock its notification (the thread runtime does, before
 * a task's second thread starts). */
int tern_malloc_lock_init(void);

#endif
