/* exec_args_auxv as a static PIE (ET_DYN, no PT_INTERP, relocating
 * itself: musl's rcrt1.o): loaded at a base the kernel chooses, with
 * AT_PHDR and AT_ENTRY moved by it and AT_BASE 0. */
#define TEST_NAME "exec_static_pie"
#define WANT_PIE 1
#include "exec_args_auxv.c"
