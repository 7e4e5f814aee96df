/*
 * libposix's profiler (prof.c; sys/prof.h, docs/measurements.md "The
 * profiler").
 */
#ifndef POSIX_PROF_H
#define POSIX_PROF_H

#include <stdint.h>

#include "call.h"

/* entry.S, with the profiler on: the dispatch, timed. */
long posix_prof_syscall(struct posix_call *c);

/* start.c, as the program is entered: exec.posix_start's sample from
 * t_start (tern_prof_begin at libposix's start), and the start of
 * exec.first_run. Nothing when the profiler is off. */
void posix_prof_enter(uint64_t t_start);

#endif
