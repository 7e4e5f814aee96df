/*
 * The native-call fuzzer (fuzz.c) and its memory part (fuzz_memory.c):
 * what the two share. See fuzz.c for the design.
 */
#ifndef GUEST_FUZZ_H
#define GUEST_FUZZ_H

#include <stdbool.h>

#include "guest.h"
#include "guest_proto.h"
#include "sys/runtime.h"
#include "common/string.h"
#include "tern/errors.h"
#include "tern/fault.h"
#include "tern/invocation.h"

/* What the root gives the fuzzer, besides the spawn slots. */
#define FUZZ_SLOT_QUOTA 11
#define FUZZ_SLOT_IOPORT 12
#define FUZZ_PRIORITY 50

#define SLOTS (1u << TERN_CHILD_CNODE_RADIX)
#define SH_NULL 0
#define SH_UNKNOWN 0xff
#define PAGE 4096ul
#define HUGE_PAGE (2ul << 20)
#define WINDOW 0x600000000000ul /* our own VSpace: maps go here only */
#define WINDOW_PAGES 4096ul
#define WINDOW_END (WINDOW + WINDOW_PAGES * PAGE)
#define USER_TOP_ 0x7ffffffff000ul
#define IMAGE_BASE 0x400000ul
#define REG_WORDS 20 /* struct tern_regs, at msg[4..] */
/* A CPtr that names nothing: bits above the CNode's 8 fail its guard. */
#define NO_CAP (1ul << 63)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct fuzz_call {
	uint64_t num;
	struct tern_sysregs r;
};

/* The shadow of our CNode (fuzz.c). */
extern uint8_t shadow[SLOTS];

uint64_t rnd(void);
uint64_t below(uint64_t n);
bool chance(unsigned percent);
uint64_t fuzz_word(void);
bool hard_slot(uint64_t s);
bool kept_slot(uint64_t s);
uint64_t any_slot(void);
uint64_t typed_slot(unsigned type);
uint64_t free_slot(void);
uint64_t pick_cptr(void);
uint64_t pick_typed(unsigned type);
uint64_t depth64(void);
void invocation_len(struct fuzz_call *c, tern_cptr_t obj, uint64_t label, const uint64_t *w,
		    unsigned n, unsigned len, unsigned ncaps);
void invocation(struct fuzz_call *c, tern_cptr_t obj, uint64_t label, const uint64_t *w, unsigned n,
		unsigned ncaps);
void pick_dest(uint64_t *w);
bool in_window(uint64_t va, uint64_t pages);

/*
 * The memory part (fuzz_memory.c): shaped VSPACE_MAP, UNMAP, PROTECT,
 * QUERY and MEMOBJ_CLONE calls, and real reads and writes of the map
 * window by a helper thread whose faults we handle.
 */
/* Slots of the helper thread's objects: never named by random calls. */
bool fuzzmem_slot(uint64_t s);
/* Create the helper thread; 0 on success. */
int fuzzmem_start(void);
/* A shaped memory call. */
void fuzzmem_gen(struct fuzz_call *c);
/* Make a call harmless to ourselves (own VSpace outside the window, ...). */
void fuzzmem_sanitize(struct fuzz_call *c);
/* Note a call that succeeded. */
void fuzzmem_track(const struct fuzz_call *in);
/* One step of memory accesses by the helper (or a copy-on-write check). */
void fuzzmem_access(void);
/* Stop and delete the helper; print counts. Returns the number of
 * wrong results the accesses saw (0 unless the kernel is wrong). */
uint64_t fuzzmem_stop(void);

#endif
