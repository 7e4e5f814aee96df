/*
 * A native-call fuzzer. One program, two roles:
 *
 *   - as the root task (suite "fuzz"), it splits a quota off its own,
 *     spawns itself as a child task holding only that quota, an I/O port
 *     range of one harmless port, and endpoints for its report and its
 *     faults, then checks that the kernel survived, that every byte came
 *     back to both quotas once the child is gone, and that the system
 *     still answers a ping;
 *   - as the child, it makes random native calls with random capabilities
 *     and arguments (the first half of this file; fuzz_memory.c adds the
 *     memory calls and real accesses by a helper thread), deletes what it
 *     created and reports.
 *
 * The boot command line may set fuzz_seed=N and fuzz_iters=N to replay a
 * run.
 */
#include "fuzz.h"

#define FUZZ_DEFAULT_SEED 0x7465726e
#define FUZZ_DEFAULT_ITERATIONS 100000
#define FUZZ_REPORT_LABEL 0xf022

#define FUZZ_QUOTA_BYTES (16ul << 20)
#define FUZZ_REPORT_BADGE 1
#define FUZZ_FAULT_BADGE 2
#define DEBUG_PORT 0x80	       /* the POST code port: writes go nowhere */
#define FUZZ_ACCESS_PERCENT 10 /* steps followed by memory accesses (fuzz_memory.c) */

/*
 * The fuzzer (child role).
 *
 * Each step builds one native call: either raw (any call number, random
 * registers) or shaped after one invocation so that it gets past decode
 * (valid-looking slots, sizes, addresses). A few bits are then flipped
 * at random, and last sanitize() removes exactly what could hurt the
 * fuzzer itself rather than the kernel:
 *   - calls that could block for good (Send, Recv, Wait, and Call or
 *     ReplyRecv on what may be an endpoint or notification) become their
 *     non-blocking forms or name nothing;
 *   - the hard slots (own TCB, CNode, VSpace, fault and report endpoints)
 *     are never named, copied, moved, deleted or sent, except the own
 *     CNode and VSpace as invoked objects for CNode operations on other
 *     slots and for maps and unmaps inside the fuzz window;
 *   - DEBUG_PUTS never points at readable memory with a length, so the
 *     console gets no random bytes.
 * To know which slots may hold an endpoint, the fuzzer keeps a shadow of
 * its CNode from the calls that succeeded: a slot holds its shadow type
 * or nothing (an object deleted elsewhere empties slots unseen), or
 * UNKNOWN after a cap came from another CNode.
 */
#define RANDOM_WORDS (TERN_MSG_REG_WORDS + REG_WORDS + 8)

struct fuzz_result {
	uint64_t calls;
	uint64_t quota_used;
	uint64_t leftovers;
	uint64_t wrong; /* wrong results of memory accesses */
};

static uint64_t rng;
uint8_t shadow[SLOTS];
static uint64_t err_count[TERN_E_COUNT + 1];
static uint64_t num_count[TERN_SYS_COUNT + 1];

static const char *const err_names[] = {
#define ERR_NAME(name, num, text) [num] = #name,
	TERN_ERRORS(ERR_NAME)
#undef ERR_NAME
};

static const char *const sys_names[] = {
#define SYS_NAME(name, num) [num] = #name,
	TERN_SYSCALLS(SYS_NAME)
#undef SYS_NAME
};

static const uint64_t labels[] = {
#define LABEL(name, num, type, nwords, needs, args) num,
	TERN_INVOCATIONS(LABEL)
#undef LABEL
};

static const uint64_t edges[] = {
	0,	   1,	      2,	  63,
	64,	   65,	      255,	  256,
	4095,	   4096,      0x7fffffff, 0xffffffff,
	1ul << 32, USER_TOP_, 1ul << 47,  0xffff800000000000ul,
	1ul << 63, ~0ul,
};

/* xorshift64*: small, fast, and the same sequence for the same seed. */
uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

uint64_t below(uint64_t n)
{
	return rnd() % n;
}

bool chance(unsigned percent)
{
	return below(100) < percent;
}

/* A word biased to the values that decode steps care about. */
uint64_t fuzz_word(void)
{
	switch (below(8)) {
	case 0:
	case 1:
		return below(17);
	case 2:
		return below(SLOTS);
	case 3:
		return edges[below(COUNT(edges))];
	case 4:
		return (1ul << below(64)) + below(3) - 1;
	case 5:
		return WINDOW + below(WINDOW_PAGES) * PAGE;
	case 6:
		return rnd() & 0xffffffff;
	default:
		return rnd();
	}
}

bool hard_slot(uint64_t s)
{
	return s == TERN_CHILD_SLOT_TCB || s == TERN_CHILD_SLOT_CNODE ||
	       s == TERN_CHILD_SLOT_VSPACE || s == TERN_CHILD_SLOT_FAULT_EP ||
	       s == TERN_CHILD_SLOT_ARG_CAP || fuzzmem_slot(s);
}

/* Slots whose cap must stay where it is (copies of the last two are fine). */
bool kept_slot(uint64_t s)
{
	return hard_slot(s) || s == FUZZ_SLOT_QUOTA || s == FUZZ_SLOT_IOPORT;
}

uint64_t any_slot(void)
{
	uint64_t s;

	do
		s = below(SLOTS);
	while (hard_slot(s));
	return s;
}

/* A slot whose shadow is `type` (SH_UNKNOWN: anything but empty), else any. */
uint64_t typed_slot(unsigned type)
{
	uint64_t start = below(SLOTS);

	for (uint64_t i = 0; i < SLOTS; i++) {
		uint64_t s = (start + i) % SLOTS;
		if (hard_slot(s) || shadow[s] == SH_NULL)
			continue;
		if (type == SH_UNKNOWN || shadow[s] == type)
			return s;
	}
	return any_slot();
}

uint64_t free_slot(void)
{
	uint64_t start = below(SLOTS);

	for (uint64_t i = 0; i < SLOTS; i++) {
		uint64_t s = (start + i) % SLOTS;
		if (!kept_slot(s) && shadow[s] == SH_NULL)
			return s;
	}
	return any_slot();
}

/* Mostly a slot that holds something; sometimes any slot; sometimes a
 * pointer with bits above the CNode's 8 (a guard mismatch). */
uint64_t pick_cptr(void)
{
	unsigned r = (unsigned)below(100);

	if (r < 70)
		return typed_slot(SH_UNKNOWN);
	if (r < 90)
		return any_slot();
	return rnd() | 1ul << (8 + below(56));
}

uint64_t pick_typed(unsigned type)
{
	return chance(85) ? typed_slot(type) : pick_cptr();
}

uint64_t depth64(void)
{
	return chance(92) ? 64 : fuzz_word();
}

/* Message words: MR0..MR3 in registers, the rest in the IPC buffer. */
static void set_words(struct fuzz_call *c, const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (i < TERN_MSG_REG_WORDS)
			c->r.mr[i] = w[i];
		else
			tern_ipc_buffer()->msg[i] = w[i];
	}
}

/* An invocation of obj: the first `n` words from w, message length len. */
void invocation_len(struct fuzz_call *c, tern_cptr_t obj, uint64_t label, const uint64_t *w,
		    unsigned n, unsigned len, unsigned ncaps)
{
	c->num = TERN_SYS_CALL;
	c->r.rdi = obj;
	set_words(c, w, n);
	if (chance(4))
		ncaps = (unsigned)below(4);
	if (chance(4))
		len = (unsigned)below(500);
	if (chance(3))
		label = chance(50) ? labels[below(COUNT(labels))] : fuzz_word();
	c->r.rsi = tern_msginfo(label, ncaps, len);
}

void invocation(struct fuzz_call *c, tern_cptr_t obj, uint64_t label, const uint64_t *w, unsigned n,
		unsigned ncaps)
{
	invocation_len(c, obj, label, w, n, n, ncaps);
}

/* A destination (cnode, index, depth) for QUOTA_CREATE and friends. */
void pick_dest(uint64_t *w)
{
	if (chance(75)) {
		w[0] = TERN_CHILD_SLOT_CNODE;
		w[1] = free_slot();
	} else {
		w[0] = pick_typed(TERN_CAP_CNODE);
		w[1] = chance(80) ? below(16) : fuzz_word();
	}
	w[2] = depth64();
}

static void gen_quota(struct fuzz_call *c)
{
	uint64_t q = chance(60) ? FUZZ_SLOT_QUOTA : pick_typed(TERN_CAP_QUOTA), w[5];

	switch (below(8)) {
	case 0:
		invocation(c, q, TERN_INV_QUOTA_QUERY, w, 0, 0);
		return;
	case 1:
		w[0] = chance(70) ? below(1u << 16) : fuzz_word();
		pick_dest(&w[1]);
		invocation(c, q, TERN_INV_QUOTA_SPLIT, w, 4, 0);
		return;
	default:
		w[0] = chance(92) ? TERN_CAP_CNODE + below(TERN_CAP_TYPE_COUNT - TERN_CAP_CNODE)
				  : fuzz_word();
		if (w[0] == TERN_CAP_CNODE || w[0] == TERN_CAP_MEMOBJ)
			w[1] = chance(85) ? 1 + below(8) : fuzz_word();
		else
			w[1] = chance(90) ? 0 : fuzz_word();
		pick_dest(&w[2]);
		invocation(c, q, TERN_INV_QUOTA_CREATE, w, 5, 0);
	}
}

static void gen_cnode(struct fuzz_call *c)
{
	uint64_t cn = chance(60) ? TERN_CHILD_SLOT_CNODE : pick_typed(TERN_CAP_CNODE), w[6];
	bool own = cn == TERN_CHILD_SLOT_CNODE;
	uint64_t label = TERN_INV_CNODE_COPY + below(5);
	unsigned ncaps = 0;

	if (label == TERN_INV_CNODE_DELETE || label == TERN_INV_CNODE_REVOKE) {
		w[0] = own ? typed_slot(SH_UNKNOWN) : below(16);
		w[1] = depth64();
		invocation(c, cn, label, w, 2, 0);
		return;
	}
	w[0] = own ? free_slot() : below(16);
	w[1] = depth64();
	if (chance(75)) {
		w[2] = typed_slot(SH_UNKNOWN);
	} else {
		/* The source is looked up in another CNode, sent as a cap. */
		ncaps = 1;
		tern_ipc_buffer()->send_caps[0] = pick_typed(TERN_CAP_CNODE);
		w[2] = below(16);
	}
	w[3] = depth64();
	w[4] = chance(70) ? TERN_RIGHTS_ALL : below(16);
	w[5] = chance(50) ? 0 : fuzz_word();
	invocation(c, cn, label, w, label == TERN_INV_CNODE_MINT ? 6 : 5, ncaps);
}

static void gen_tcb(struct fuzz_call *c)
{
	uint64_t t = pick_typed(TERN_CAP_TCB), w[4] = { fuzz_word(), fuzz_word(), fuzz_word() };
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	uint64_t label =
		TERN_INV_TCB_CONFIGURE + below(TERN_INV_TCB_SET_TLS - TERN_INV_TCB_CONFIGURE + 1);

	switch (label) {
	case TERN_INV_TCB_CONFIGURE:
		w[0] = chance(50) ? 0 : pick_cptr();
		w[1] = chance(70) ? WINDOW + below(WINDOW_PAGES) * PAGE : fuzz_word();
		b->send_caps[0] = pick_typed(TERN_CAP_CNODE);
		b->send_caps[1] = pick_typed(TERN_CAP_VSPACE);
		b->send_caps[2] = pick_typed(TERN_CAP_MEMOBJ);
		invocation(c, t, label, w, 2, 3);
		return;
	case TERN_INV_TCB_SET_PRIORITY:
		w[0] = chance(80) ? below(FUZZ_PRIORITY + 1) : fuzz_word();
		invocation(c, t, label, w, 1, 0);
		return;
	case TERN_INV_TCB_WRITE_REGISTERS:
		w[0] = below(2);
		if (chance(50))
			b->msg[TERN_MSG_REG_WORDS + 16] =
				WINDOW + below(WINDOW_PAGES) * PAGE; /* rip */
		invocation_len(c, t, label, w, 1, TERN_MSG_REG_WORDS + REG_WORDS, 0);
		return;
	case TERN_INV_TCB_BIND_NOTIFICATION:
		b->send_caps[0] = pick_typed(TERN_CAP_NOTIFICATION);
		invocation(c, t, label, w, 1, (unsigned)below(2));
		return;
	case TERN_INV_TCB_SET_PERSONALITY:
		if (chance(50)) {
			w[1] = WINDOW;
			w[2] = WINDOW + 16 * PAGE;
			w[0] = WINDOW + below(16 * PAGE);
		}
		invocation(c, t, label, w, chance(10) ? 0 : 3, 0);
		return;
	default: /* read registers, resume, suspend, TLS */
		invocation(c, t, label, w, 2, 0);
	}
}

static void gen_vspace(struct fuzz_call *c)
{
	bool own = chance(30);
	uint64_t vs = own ? TERN_CHILD_SLOT_VSPACE : pick_typed(TERN_CAP_VSPACE), w[4];
	uint64_t page = below(WINDOW_PAGES);

	w[0] = own || chance(70) ? WINDOW + page * PAGE : fuzz_word();
	if (chance(60)) {
		w[1] = chance(80) ? 0 : chance(50) ? below(8) : fuzz_word();
		w[2] = chance(85) ? 1 + below(8) : fuzz_word();
		w[3] = chance(80) ? TERN_RIGHT_READ | (below(4) << 1) : fuzz_word();
		tern_ipc_buffer()->send_caps[0] = pick_typed(TERN_CAP_MEMOBJ);
		invocation(c, vs, TERN_INV_VSPACE_MAP, w, 4, 1);
	} else {
		w[1] = chance(85) ? 1 + below(own ? WINDOW_PAGES - page : 64) : fuzz_word();
		invocation(c, vs, TERN_INV_VSPACE_UNMAP, w, 2, 0);
	}
}

static void gen_hw(struct fuzz_call *c)
{
	static const uint64_t widths[] = { 1, 2, 4, 0, 3, 8 };
	uint64_t io = chance(50) ? FUZZ_SLOT_IOPORT : pick_typed(TERN_CAP_IOPORT), w[5];

	switch (below(6)) {
	case 0:
	case 1:
		w[0] = chance(70) ? DEBUG_PORT : fuzz_word();
		w[1] = widths[below(COUNT(widths))];
		w[2] = fuzz_word();
		invocation(c, io, TERN_INV_IOPORT_OUT, w, 3, 0);
		return;
	case 2:
		w[0] = chance(70) ? DEBUG_PORT : fuzz_word();
		w[1] = widths[below(COUNT(widths))];
		invocation(c, io, TERN_INV_IOPORT_IN, w, 2, 0);
		return;
	case 3:
		w[0] = chance(70) ? DEBUG_PORT : fuzz_word();
		w[1] = chance(70) ? DEBUG_PORT : fuzz_word();
		pick_dest(&w[2]);
		invocation(c, io, TERN_INV_IOPORT_MINT_RANGE, w, 5, 0);
		return;
	case 4:
		invocation(c, pick_typed(TERN_CAP_MEMOBJ), TERN_INV_MEMOBJ_SIZE, w, 0, 0);
		return;
	default: /* we hold no IRQ caps: these name whatever is there */
		w[0] = below(16);
		pick_dest(&w[1]);
		tern_ipc_buffer()->send_caps[0] = pick_typed(TERN_CAP_NOTIFICATION);
		invocation(c, pick_cptr(), TERN_INV_IRQ_CONTROL_GET + below(3), w, 4,
			   (unsigned)below(2));
	}
}

static void gen_ipc(struct fuzz_call *c)
{
	static const uint8_t nums[] = { TERN_SYS_NBSEND, TERN_SYS_NBRECV,    TERN_SYS_SIGNAL,
					TERN_SYS_POLL,	 TERN_SYS_REPLY,     TERN_SYS_YIELD,
					TERN_SYS_RESUME, TERN_SYS_REPLY_RECV };
	static const uint8_t types[] = { TERN_CAP_ENDPOINT, TERN_CAP_NOTIFICATION, TERN_CAP_REPLY };

	c->num = nums[below(COUNT(nums))];
	c->r.rdi = pick_typed(types[below(COUNT(types))]);
	c->r.r12 = chance(60) ? pick_typed(TERN_CAP_REPLY) : chance(50) ? 0 : pick_cptr();
	c->r.rsi = tern_msginfo(fuzz_word(), (unsigned)below(4),
				chance(70) ? (unsigned)below(5) : (unsigned)below(500));
}

static void gen_debug(struct fuzz_call *c)
{
	static const uint64_t ptrs[] = { 0,
					 PAGE,
					 IMAGE_BASE - PAGE - 3,
					 USER_TOP_ - 8,
					 1ul << 47,
					 0xffff800000000000ul,
					 0xffffffff80000000ul };

	if (chance(50)) {
		c->num = TERN_SYS_DEBUG_PUTS;
		c->r.rdi = chance(80) ? ptrs[below(COUNT(ptrs))] : rnd();
		c->r.rsi = fuzz_word();
	} else {
		c->num = TERN_SYS_DEBUG_QUERY;
		c->r.rdi = below(7);
		c->r.mr[0] = chance(50) ? pick_typed(TERN_CAP_QUOTA) : pick_cptr();
	}
}

/* Any call number, any registers. */
static void gen_raw(struct fuzz_call *c)
{
	unsigned r = (unsigned)below(100);

	c->num = r < 60	  ? 1 + below(TERN_SYS_COUNT - 1)
		 : r < 80 ? below(TERN_SYS_COUNT + 3)
			  : rnd();
	c->r.rdi = pick_cptr();
	c->r.r12 = pick_cptr();
	c->r.rsi = tern_msginfo(chance(60) ? labels[below(COUNT(labels))] : fuzz_word(),
				(unsigned)below(4), (unsigned)below(600));
}

/* A few random bits flipped anywhere in the call. */
static void mutate(struct fuzz_call *c)
{
	uint64_t *words[] = { &c->r.rdi,   &c->r.rsi,	&c->r.mr[0], &c->r.mr[1],
			      &c->r.mr[2], &c->r.mr[3], &c->r.r12,   &tern_ipc_buffer()->msg[4] };

	for (unsigned n = (unsigned)below(3); n > 0; n--)
		*words[below(COUNT(words))] ^= 1ul << below(64);
}

/* The fault and report endpoints have shadow ENDPOINT too. */
static bool may_block(uint64_t cptr, bool notification_too)
{
	if (cptr >= SLOTS)
		return false;
	return shadow[cptr] == SH_UNKNOWN || shadow[cptr] == TERN_CAP_ENDPOINT ||
	       (notification_too && shadow[cptr] == TERN_CAP_NOTIFICATION);
}

/* Readable memory of ours is at or above IMAGE_BASE (minus the first
 * page, since the copy starts there) and below USER_TOP. */
static bool unreadable(uint64_t p)
{
	return p < IMAGE_BASE - PAGE || p >= USER_TOP_;
}

bool in_window(uint64_t va, uint64_t pages)
{
	return va >= WINDOW && va < WINDOW_END && !(va & (PAGE - 1)) &&
	       pages <= (WINDOW_END - va) / PAGE;
}

static void sanitize(struct fuzz_call *c)
{
	struct tern_sysregs *r = &c->r;
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	uint64_t label = tern_msginfo_label(r->rsi);

	if (c->num == TERN_SYS_SEND)
		c->num = TERN_SYS_NBSEND;
	else if (c->num == TERN_SYS_RECV)
		c->num = TERN_SYS_NBRECV;
	else if (c->num == TERN_SYS_WAIT)
		c->num = TERN_SYS_POLL;
	else if (c->num == TERN_SYS_CALL && may_block(r->rdi, false))
		c->num = TERN_SYS_NBSEND;
	else if (c->num == TERN_SYS_REPLY_RECV && may_block(r->rdi, true))
		r->rdi = NO_CAP;
	else if (c->num == TERN_SYS_DEBUG_PUTS && r->rsi && !unreadable(r->rdi))
		r->rdi = 0;
	for (unsigned i = 0; i < TERN_MSG_MAX_CAPS; i++)
		if (hard_slot(b->send_caps[i]))
			b->send_caps[i] = NO_CAP;
	if (c->num == TERN_SYS_DEBUG_PUTS || c->num == TERN_SYS_DEBUG_QUERY)
		return; /* rdi is not a CPtr there */
	if (c->num != TERN_SYS_CALL) {
		if (hard_slot(r->rdi))
			r->rdi = NO_CAP;
		return;
	}
	/* Sources of copy, mint and move in our own CNode. */
	bool own_src = tern_msginfo_caps(r->rsi) == 0;
	if (own_src && label >= TERN_INV_CNODE_COPY && label <= TERN_INV_CNODE_MOVE &&
	    (hard_slot(r->mr[2]) || (label == TERN_INV_CNODE_MOVE && kept_slot(r->mr[2]))))
		r->mr[2] = NO_CAP;
	if (r->rdi == TERN_CHILD_SLOT_CNODE) {
		if ((label == TERN_INV_CNODE_DELETE || label == TERN_INV_CNODE_REVOKE) &&
		    kept_slot(r->mr[0]))
			r->mr[0] = NO_CAP;
	} else if (r->rdi == TERN_CHILD_SLOT_VSPACE) {
		if ((label == TERN_INV_VSPACE_MAP && !in_window(r->mr[0], r->mr[2])) ||
		    (label == TERN_INV_VSPACE_UNMAP && !in_window(r->mr[0], r->mr[1])))
			r->rdi = NO_CAP;
	} else if (hard_slot(r->rdi)) {
		r->rdi = NO_CAP;
	}
	fuzzmem_sanitize(c);
}

/* Keep the shadow in step with a call that succeeded. */
static void track(const struct fuzz_call *in, const struct tern_ipc_buffer *b)
{
	const struct tern_sysregs *r = &in->r;
	uint64_t label = tern_msginfo_label(r->rsi);
	bool own = r->rdi == TERN_CHILD_SLOT_CNODE;
	uint8_t type;

	if (in->num == TERN_SYS_NBRECV && b->recv_cnode == TERN_CHILD_SLOT_CNODE &&
	    b->recv_index < SLOTS && shadow[b->recv_index] == SH_NULL)
		shadow[b->recv_index] = SH_UNKNOWN; /* a cap may have arrived */
	if (in->num != TERN_SYS_CALL)
		return;
	switch (label) {
	case TERN_INV_QUOTA_CREATE:
	case TERN_INV_IOPORT_MINT_RANGE:
		type = label == TERN_INV_QUOTA_CREATE ? (uint8_t)r->mr[0] : TERN_CAP_IOPORT;
		if (r->mr[2] == TERN_CHILD_SLOT_CNODE && r->mr[3] < SLOTS)
			shadow[r->mr[3]] = type;
		break;
	case TERN_INV_QUOTA_SPLIT:
	case TERN_INV_IRQ_CONTROL_GET:
		type = label == TERN_INV_QUOTA_SPLIT ? TERN_CAP_QUOTA : TERN_CAP_IRQ_HANDLER;
		if (r->mr[1] == TERN_CHILD_SLOT_CNODE && r->mr[2] < SLOTS)
			shadow[r->mr[2]] = type;
		break;
	case TERN_INV_MEMOBJ_CLONE:
		if (r->mr[0] == TERN_CHILD_SLOT_CNODE && r->mr[1] < SLOTS)
			shadow[r->mr[1]] = TERN_CAP_MEMOBJ;
		break;
	case TERN_INV_CNODE_COPY:
	case TERN_INV_CNODE_MINT:
	case TERN_INV_CNODE_MOVE: {
		bool own_src = tern_msginfo_caps(r->rsi) == 0 && r->mr[2] < SLOTS;
		type = own_src ? shadow[r->mr[2]] : SH_UNKNOWN;
		if (label == TERN_INV_CNODE_MOVE && own_src)
			shadow[r->mr[2]] = SH_NULL;
		if (own && r->mr[0] < SLOTS)
			shadow[r->mr[0]] = type == SH_NULL ? SH_UNKNOWN : type;
		break;
	}
	case TERN_INV_CNODE_DELETE:
		if (own && r->mr[0] < SLOTS)
			shadow[r->mr[0]] = SH_NULL;
		break;
	}
}

static unsigned live_slots(void)
{
	unsigned n = 0;

	for (unsigned s = 0; s < SLOTS; s++)
		n += !kept_slot(s) && shadow[s] != SH_NULL;
	return n;
}

/* Empty a slot of ours, so that a full CNode does not turn every create
 * into DELETE_FIRST. */
static void gen_delete(struct fuzz_call *c)
{
	uint64_t w[2] = { typed_slot(SH_UNKNOWN), 64 };

	invocation(c, TERN_CHILD_SLOT_CNODE,
		   chance(80) ? TERN_INV_CNODE_DELETE : TERN_INV_CNODE_REVOKE, w, 2, 0);
}

static void fuzz_one(void)
{
	struct tern_ipc_buffer *b = tern_ipc_buffer();
	struct fuzz_call c = { 0 };

	for (unsigned i = 0; i < TERN_MSG_REG_WORDS; i++)
		c.r.mr[i] = fuzz_word();
	for (unsigned i = TERN_MSG_REG_WORDS; i < RANDOM_WORDS; i++)
		b->msg[i] = fuzz_word();
	for (unsigned i = 0; i < TERN_MSG_MAX_CAPS; i++)
		b->send_caps[i] = chance(80) ? pick_cptr() : fuzz_word();
	b->recv_cnode = chance(70) ? TERN_CHILD_SLOT_CNODE : pick_typed(TERN_CAP_CNODE);
	b->recv_index = free_slot();
	b->recv_depth = chance(70) ? 64 : 0;

	unsigned live = live_slots();
	if (live > SLOTS / 2 && chance((live - SLOTS / 2) / 2)) {
		gen_delete(&c);
		goto issue;
	}
	switch (below(20)) {
	case 0 ... 4:
		gen_quota(&c);
		break;
	case 5 ... 8:
		gen_cnode(&c);
		break;
	case 9 ... 11:
		gen_tcb(&c);
		break;
	case 12:
		gen_vspace(&c);
		break;
	case 13:
		fuzzmem_gen(&c);
		break;
	case 14:
		gen_hw(&c);
		break;
	case 15 ... 16:
		gen_ipc(&c);
		break;
	case 17:
		gen_debug(&c);
		break;
	default:
		gen_raw(&c);
	}
	if (chance(5))
		mutate(&c);
issue:
	sanitize(&c);

	struct fuzz_call in = c;
	uint64_t err = tern_syscall(c.num, &c.r);
	num_count[c.num < TERN_SYS_COUNT ? c.num : TERN_SYS_COUNT]++;
	err_count[err < TERN_E_COUNT ? err : TERN_E_COUNT]++;
	if (err == TERN_EOK) {
		track(&in, b);
		fuzzmem_track(&in);
	}
	if (chance(FUZZ_ACCESS_PERCENT))
		fuzzmem_access();
}

/* Delete everything we made; returns how many slots could not be emptied. */
static uint64_t fuzz_cleanup(void)
{
	uint64_t left = 0;

	for (unsigned s = 0; s < SLOTS; s++) {
		if (kept_slot(s))
			continue;
		tern_cnode_revoke(TERN_CHILD_SLOT_CNODE, s, 64);
		tern_cnode_delete(TERN_CHILD_SLOT_CNODE, s, 64);
		shadow[s] = SH_NULL;
	}
	/* A move onto itself succeeds only when the slot holds a cap. */
	for (unsigned s = 0; s < SLOTS; s++)
		if (!kept_slot(s) &&
		    tern_cnode_move(TERN_CHILD_SLOT_CNODE, s, 64, s, 64) == TERN_EOK)
			left++;
	return left;
}

static void fuzz_print_counts(void)
{
	tern_printf("fuzz: calls by number:");
	for (unsigned i = 0; i <= TERN_SYS_COUNT; i++)
		if (num_count[i])
			tern_printf(" %s=%lu",
				    i == TERN_SYS_COUNT ? "other"
				    : sys_names[i]	? sys_names[i]
							: "0",
				    num_count[i]);
	/* In lower case: the harness rejects any output with "FAIL" in it. */
	tern_printf("\nfuzz: results:");
	for (unsigned i = 0; i <= TERN_E_COUNT; i++) {
		char name[32];
		strlcpy(name, i < TERN_E_COUNT ? err_names[i] : "other", sizeof(name));
		for (char *p = name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (err_count[i])
			tern_printf(" %s=%lu", name, err_count[i]);
	}
	tern_printf("\n");
}

static struct fuzz_result fuzz_run(uint64_t seed, uint64_t iterations)
{
	struct fuzz_result res = { 0 };
	uint64_t limit;

	rng = seed ? seed : 1;
	shadow[TERN_CHILD_SLOT_TCB] = TERN_CAP_TCB;
	shadow[TERN_CHILD_SLOT_CNODE] = TERN_CAP_CNODE;
	shadow[TERN_CHILD_SLOT_VSPACE] = TERN_CAP_VSPACE;
	shadow[TERN_CHILD_SLOT_FAULT_EP] = TERN_CAP_ENDPOINT;
	shadow[TERN_CHILD_SLOT_ARG_CAP] = TERN_CAP_ENDPOINT;
	shadow[FUZZ_SLOT_QUOTA] = TERN_CAP_QUOTA;
	shadow[FUZZ_SLOT_IOPORT] = TERN_CAP_IOPORT;
	tern_printf("fuzz: seed %lu, %lu calls\n", seed, iterations);
	if (fuzzmem_start()) {
		tern_printf("fuzz: no helper thread\n");
		return res;
	}
	for (res.calls = 0; res.calls < iterations; res.calls++) {
		fuzz_one();
		if ((res.calls + 1) % 10000 == 0)
			tern_printf("fuzz: %lu calls, %u slots in use\n", res.calls + 1,
				    live_slots());
	}
	fuzz_print_counts();
	res.wrong = fuzzmem_stop();
	res.leftovers = fuzz_cleanup();
	tern_quota_query(FUZZ_SLOT_QUOTA, &res.quota_used, &limit);
	tern_printf("fuzz: after clean-up: %lu bytes of quota in use, %lu slots left\n",
		    res.quota_used, res.leftovers);
	return res;
}

/* The root task's side. */

static uint64_t echo_ep;

/* The value of `name=` on the boot command line, or `def`. */
static uint64_t cmdline_number(const char *name, uint64_t def)
{
	const char *s = guest_bootinfo->cmdline;
	size_t n = strlen(name);

	for (; *s; s++) {
		if ((s == guest_bootinfo->cmdline || s[-1] == ' ') && !strncmp(s, name, n) &&
		    s[n] == '=') {
			uint64_t v = 0;
			for (s += n + 1; *s >= '0' && *s <= '9'; s++)
				v = v * 10 + (uint64_t)(*s - '0');
			return v;
		}
	}
	return def;
}

static int echo(uint64_t v)
{
	struct tern_msg m = { .info = tern_msginfo(ECHO_ECHO, 0, 1), .mr = { v } };

	if (tern_call(echo_ep, &m) != TERN_EOK)
		return -1;
	return (int)m.mr[0];
}

static int spawn_fuzzer(uint64_t arg, uint64_t report, uint64_t fault, struct tern_task *task)
{
	return guest_spawn_faults("bin/guest_fuzz", arg, report, fault, FUZZ_PRIORITY, task);
}

/* Run the fuzzer as a child for `iters` calls; check the report, that
 * the child quota is back to zero, our own quota where it was and every
 * frame free again (TERN_DEBUG_QUERY_FRAMES). */
static int fuzz_cycle(uint64_t iters, bool warm_up)
{
	uint64_t seed = cmdline_number("fuzz_seed", FUZZ_DEFAULT_SEED);
	uint64_t used_before = guest_quota_used(), used, limit, frames_before = guest_frames();
	uint64_t quota = guest_slot(), ep = guest_create(TERN_CAP_ENDPOINT, 0);
	uint64_t report = guest_slot(), fault = guest_slot(), port = guest_slot();
	struct tern_task task;

	CHECK(quota && ep && report && fault && port);
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, FUZZ_QUOTA_BYTES, TERN_SLOT_CNODE, quota, 64),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, report, 64, ep, 64, TERN_RIGHTS_ALL,
				 FUZZ_REPORT_BADGE),
		 TERN_EOK);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, fault, 64, ep, 64, TERN_RIGHTS_ALL,
				 FUZZ_FAULT_BADGE),
		 TERN_EOK);
	CHECK_EQ(tern_ioport_mint_range(TERN_SLOT_IOPORT, DEBUG_PORT, DEBUG_PORT, TERN_SLOT_CNODE,
					port, 64),
		 TERN_EOK);
	/* The child runs below us, so it starts only once we wait. */
	CHECK_EQ(spawn_fuzzer(seed << 32 | (iters & 0xffffffff), report, fault, &task), 0);
	CHECK_EQ(guest_give(&task, FUZZ_SLOT_QUOTA, quota), TERN_EOK);
	CHECK_EQ(guest_give(&task, FUZZ_SLOT_IOPORT, port), TERN_EOK);

	struct tern_msg m = { 0 };
	uint64_t out[4];
	tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, out);
	uint64_t start = out[0];
	CHECK_EQ(tern_recv(ep, 0, &m), TERN_EOK);
	tern_debug_query(TERN_DEBUG_QUERY_CLOCK_NS, 0, out);
	if (m.badge == FUZZ_FAULT_BADGE)
		tern_printf("fuzz: the fuzzer faulted: vector %lu addr %lx error %lx rip %lx\n",
			    TERN_FAULT_VECTOR(tern_msginfo_label(m.info)), m.mr[0], m.mr[1],
			    m.mr[2]);
	CHECK_EQ(m.badge, FUZZ_REPORT_BADGE);
	CHECK_EQ(tern_msginfo_label(m.info), FUZZ_REPORT_LABEL);
	tern_printf("fuzz: %lu calls in %lu ms\n", m.mr[0], (out[0] - start) / 1000000);
	CHECK_EQ(m.mr[0], iters);
	CHECK_EQ(m.mr[1], 0); /* the child's own view, after its clean-up */
	CHECK_EQ(m.mr[2], 0); /* its clean-up found nothing it could not delete */
	CHECK_EQ(m.mr[3], 0); /* its memory read back what it wrote */

	CHECK_EQ(tern_task_destroy(&task), 0);
	CHECK_EQ(tern_quota_query(quota, &used, &limit), TERN_EOK);
	CHECK_EQ(used, 0);
	CHECK_EQ(limit, FUZZ_QUOTA_BYTES);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, quota, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, port, 64), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, ep, 64), TERN_EOK);
	CHECK_EQ(tern_nbsend(report, &m), TERN_EINVALID_CAPABILITY);
	if (!warm_up) {
		CHECK_EQ(guest_quota_used(), used_before);
		/* Every frame the child's objects held is free again: a kernel
		 * that refunds the quota but keeps a frame fails here. */
		CHECK_EQ(guest_frames(), frames_before);
		guest_print_irqoff("fuzz");
	}
	return 0;
}

/* The echo server answers the final ping. A first fuzzer run of no calls
 * creates the page tables of tern_spawn's copy window in our VSpace,
 * which stay, so that the real run's quota check sees only the fuzzer. */
static int test_setup(void)
{
	struct tern_task server;

	echo_ep = guest_create(TERN_CAP_ENDPOINT, 0);
	uint64_t ra = guest_create(TERN_CAP_REPLY, 0), rb = guest_create(TERN_CAP_REPLY, 0);
	CHECK(echo_ep && ra && rb);
	CHECK_EQ(guest_spawn("bin/guest_echo", 0, echo_ep, FUZZ_PRIORITY, &server), 0);
	CHECK_EQ(guest_give(&server, ECHO_REPLY_A, ra), TERN_EOK);
	CHECK_EQ(guest_give(&server, ECHO_REPLY_B, rb), TERN_EOK);
	CHECK_EQ(echo(1), 2);
	return fuzz_cycle(0, true);
}

static int test_fuzz(void)
{
	return fuzz_cycle(cmdline_number("fuzz_iters", FUZZ_DEFAULT_ITERATIONS), false);
}

static int test_ping(void)
{
	uint64_t bits;

	for (int i = 0; i < 100; i++)
		CHECK_EQ(echo((uint64_t)i), i + 1);
	uint64_t n = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(n);
	CHECK_EQ(tern_signal(n), TERN_EOK);
	CHECK_EQ(tern_poll(n, &bits), TERN_EOK);
	CHECK_EQ(bits, 1);
	return 0;
}

static const struct guest_case cases[] = {
	{ "setup", test_setup },
	{ "fuzz", test_fuzz },
	{ "ping", test_ping },
};

int main(uint64_t arg, uint64_t self)
{
	(void)self;
	if (!tern_bootinfo()) {
		/* Spawned by the root: be the fuzzer. */
		struct fuzz_result r = fuzz_run(arg >> 32, arg & 0xffffffff);
		struct tern_msg m = { .info = tern_msginfo(FUZZ_REPORT_LABEL, 0, 4),
				      .mr = { r.calls, r.quota_used, r.leftovers, r.wrong } };
		tern_send(TERN_CHILD_SLOT_ARG_CAP, &m);
		return 0;
	}
	guest_run("fuzz", cases, sizeof(cases) / sizeof(cases[0]));
}
