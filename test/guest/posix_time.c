/*
 * libposix's time and misc families and the vDSO, in the guest, before
 * proc can start a Linux process: the root task maps the clock page at
 * POSIX_VVAR and the vDSO image (lib/vdso.so, embedded here) at
 * POSIX_VDSO as proc does, lays out the caps nanosleep uses (thread 0's
 * Timer and Notification, POSIX_SLOT_THREAD_TIMER(0) and
 * POSIX_SLOT_THREAD_NTFN(0), with a struct posix_thread of index 0 as
 * the IPC buffer's user_data, as libposix's start-up does), installs libposix's own
 * dispatcher (posix_dispatch, linked in with the families) as its
 * personality with the fault fix-up, and makes Linux syscalls from
 * application code (.text.app, reflected). Checks: clock_gettime and
 * friends against the clock page, bad pointers EFAULT, bad clocks and
 * timespecs EINVAL, nanosleep and clock_nanosleep sleep as long as asked
 * (relative, TIMER_ABSTIME, in the past), a sleep cut short by a signal
 * (-ERESTART_RESTARTBLOCK, the time left, restart_syscall sleeping on to
 * the same deadline; -ERESTARTNOHAND when absolute; an upcall that left
 * no work does not end it), uname's bytes, getrandom's
 * flags and bytes, sysinfo, getcpu; the vDSO looked up as musl does and
 * its fallback reflected to libposix. In icount mode it also prints the
 * BENCH figures of the vDSO and the syscall path.
 */
#include "guest.h"
#include "common/elf.h"
#include "common/string.h"
#include "sys/personality.h"
#include "tern/clock.h"
#include "tern/errors.h"

#include "call.h"
#include "init.h"
#include "intr.h"
#include "state.h"
#include "uaccess.h"
#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/layout.h"
#include "posix/sysinfo.h"
#include "posix/time.h"
#include "posix/utsname.h"

#define MS 1000000ull
#define SYS_nanosleep 35
#define SYS_restart_syscall 219
#define SYS_uname 63
#define SYS_gettimeofday 96
#define SYS_sysinfo 99
#define SYS_time 201
#define SYS_clock_gettime 228
#define SYS_clock_getres 229
#define SYS_clock_nanosleep 230
#define SYS_getcpu 309
#define SYS_getrandom 318

/* clang-format off */
__asm__(".section .rodata\n"
	".balign 4096\n"
	"vdso_image: .incbin \"" VDSO_PATH "\"\n"
	"vdso_image_end:\n"
	".text\n");
/* clang-format on */
extern const uint8_t vdso_image[], vdso_image_end[];

static const volatile struct tern_clock_page *clock = (const void *)POSIX_VVAR;

static uint64_t mono_ns(void)
{
	return tern_clock_ns(clock, guest_rdtsc());
}

/* A Linux syscall from application code: reflected to posix_dispatch. */
TERN_APP_CODE long linux_syscall(long nr, long a, long b, long c, long d)
{
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a;
	register long rsi __asm__("rsi") = b;
	register long rdx __asm__("rdx") = c;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10)
			 : "rcx", "r11", "memory");
	return rax;
}

#define SC(nr, a, b, c, d) linux_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d))

/* The ELF pieces musl's lookup reads (common/elf.h has the headers). */
#define PT_DYNAMIC 2
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
typedef struct {
	uint32_t st_name;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
} Elf64_Sym;

/* musl's __vdsosym over the mapped image (test/unit/libposix/test_vdso.c
 * checks the same walk on the host). */
static void *vdso_sym(const char *name)
{
	const Elf64_Ehdr *eh = (const void *)POSIX_VDSO;
	const Elf64_Phdr *ph = (const void *)(POSIX_VDSO + eh->e_phoff);
	const uint64_t *dynv = NULL;
	uint64_t base = ~0ull;

	for (int i = 0; i < eh->e_phnum; i++, ph++) {
		if (ph->p_type == ELF_PT_LOAD)
			base = POSIX_VDSO + ph->p_offset - ph->p_vaddr;
		else if (ph->p_type == PT_DYNAMIC)
			dynv = (const void *)(POSIX_VDSO + ph->p_offset);
	}
	if (!dynv || base == ~0ull)
		return NULL;
	const char *strings = NULL;
	const Elf64_Sym *syms = NULL;
	const uint32_t *hash = NULL;
	for (int i = 0; dynv[i]; i += 2) {
		if (dynv[i] == DT_STRTAB)
			strings = (const void *)(base + dynv[i + 1]);
		if (dynv[i] == DT_SYMTAB)
			syms = (const void *)(base + dynv[i + 1]);
		if (dynv[i] == DT_HASH)
			hash = (const void *)(base + dynv[i + 1]);
	}
	if (!strings || !syms || !hash)
		return NULL;
	for (uint32_t i = 0; i < hash[1]; i++) {
		const char *a = strings + syms[i].st_name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b && syms[i].st_shndx)
			return (void *)(base + syms[i].st_value);
	}
	return NULL;
}

static uint8_t handler_stack[65536] __attribute__((aligned(16)));

static uint64_t handler(struct tern_frame *f)
{
	return posix_dispatch(f);
}

/* Thread 0 as libposix sees it (posix_self()): libsys's struct first. */
static struct posix_thread thread0;

/* The process's CSpace where nanosleep looks: whatever the root keeps in
 * thread 0's Timer and Notification slots moves out (the TCB keeps its
 * own), and a Timer and a Notification go there. */
static int layout_caps(void)
{
	tern_cnode_move(TERN_SLOT_CNODE, guest_slot(), 64, POSIX_SLOT_THREAD_TIMER(0), 64);
	tern_cnode_move(TERN_SLOT_CNODE, guest_slot(), 64, POSIX_SLOT_THREAD_NTFN(0), 64);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_TIMER, 0, TERN_SLOT_CNODE,
				   POSIX_SLOT_THREAD_TIMER(0), 64),
		 TERN_EOK);
	CHECK_EQ(tern_quota_create(TERN_SLOT_QUOTA, TERN_CAP_NOTIFICATION, 0, TERN_SLOT_CNODE,
				   POSIX_SLOT_THREAD_NTFN(0), 64),
		 TERN_EOK);
	thread0.t = *tern_thread_self();
	thread0.index = 0;
	thread0.live = 1;
	tern_ipc_buffer()->user_data = (uint64_t)(uintptr_t)&thread0;
	CHECK_EQ(posix_time_init(), 0);
	return 0;
}

static int setup(void)
{
	/* The clock page read-only at POSIX_VVAR, the vDSO after it. */
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, POSIX_VVAR, TERN_SLOT_CLOCK, 0, 1,
				 TERN_RIGHT_READ),
		 TERN_EOK);
	size_t size = (size_t)(vdso_image_end - vdso_image);
	CHECK(size <= POSIX_VDSO_MAX_PAGES * POSIX_PAGE_SIZE);
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, POSIX_VDSO_MAX_PAGES);
	CHECK(mo);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, POSIX_VDSO, mo, 0, POSIX_VDSO_MAX_PAGES,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE),
		 TERN_EOK);
	memcpy((void *)POSIX_VDSO, vdso_image, size);
	CHECK_EQ(tern_vspace_protect(TERN_SLOT_VSPACE, POSIX_VDSO, POSIX_VDSO_MAX_PAGES,
				     TERN_RIGHT_READ | TERN_RIGHT_EXEC),
		 TERN_EOK);
	int err = layout_caps();
	if (err)
		return err;
	tern_personality_set_handler(handler, NULL);
	tern_personality_set_stack(tern_ipc_buffer(), handler_stack, sizeof(handler_stack));
	CHECK_EQ(tern_personality_install(TERN_SLOT_TCB), TERN_EOK);
	CHECK_EQ(tern_tcb_set_fault_fixup(TERN_SLOT_TCB, (uint64_t)posix_uaccess_start,
					  (uint64_t)posix_uaccess_end,
					  (uint64_t)posix_uaccess_fixup),
		 TERN_EOK);
	return 0;
}

/* Addresses a Linux program may pass that must give EFAULT: NULL,
 * unmapped, the kernel half, straddling the end of the user half, and
 * read-only (the clock page) for a buffer the call writes. */
static const uint64_t bad_ptrs[] = { 0, 0x1000, 0xffff800000000000ul, 0x7ffffffffff8ul,
				     POSIX_VVAR };

static int clocks(void)
{
	struct posix_timespec ts, res;
	const int64_t ok[] = {
		CLOCK_REALTIME,		CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
		CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,	 CLOCK_TAI,	      CLOCK_REALTIME_ALARM,
		CLOCK_BOOTTIME_ALARM
	};
	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_EQ(SC(SYS_clock_gettime, ok[i], &ts, 0, 0), 0);
		CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
		CHECK_EQ(SC(SYS_clock_getres, ok[i], &res, 0, 0), 0);
		CHECK_EQ(SC(SYS_clock_getres, ok[i], 0, 0, 0), 0);
	}
	uint64_t before = mono_ns();
	CHECK_EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &ts, 0, 0), 0);
	uint64_t got = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	CHECK(got >= before && got <= mono_ns());
	CHECK_EQ(SC(SYS_clock_gettime, CLOCK_REALTIME, &ts, 0, 0), 0);
	CHECK(ts.tv_sec >= 1704067200); /* 2024 */
	/* The upper half of a clockid_t (an int) is not looked at. */
	CHECK_EQ(SC(SYS_clock_gettime, 0x100000000l | CLOCK_MONOTONIC, &ts, 0, 0), 0);
	CHECK_EQ(SC(SYS_clock_gettime, 100, &ts, 0, 0), -EINVAL);
	CHECK_EQ(SC(SYS_clock_gettime, -1, &ts, 0, 0), -EINVAL);
	CHECK_EQ(SC(SYS_clock_getres, 100, &res, 0, 0), -EINVAL);
	for (unsigned i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
		CHECK_EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, bad_ptrs[i], 0, 0), -EFAULT);
		CHECK_EQ(SC(SYS_clock_getres, CLOCK_MONOTONIC, bad_ptrs[i], 0, 0),
			 bad_ptrs[i] ? -EFAULT : 0);
		CHECK_EQ(SC(SYS_gettimeofday, bad_ptrs[i], 0, 0, 0), bad_ptrs[i] ? -EFAULT : 0);
		CHECK_EQ(SC(SYS_time, bad_ptrs[i], 0, 0, 0) < 0,
			 bad_ptrs[i] != 0); /* -EFAULT, else the time */
	}
	struct posix_timeval tv;
	struct posix_timezone tz = { 5, 5 };
	CHECK_EQ(SC(SYS_gettimeofday, &tv, &tz, 0, 0), 0);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000 && tv.tv_sec >= 1704067200);
	CHECK_EQ(tz.tz_minuteswest, 0);
	int64_t t = 0;
	long s = SC(SYS_time, &t, 0, 0, 0);
	CHECK(s >= 1704067200 && t == s);
	return 0;
}

static int sleeps(void)
{
	struct posix_timespec req = { 0, 2 * MS }, rem = { 9, 9 };
	uint64_t t0 = mono_ns();

	CHECK_EQ(SC(SYS_nanosleep, &req, &rem, 0, 0), 0);
	uint64_t slept = mono_ns() - t0;
	tern_printf("GUEST posix_time: nanosleep(2 ms) took %lu us\n", slept / 1000);
	CHECK(slept >= 2 * MS && slept < 5 * MS);
	CHECK_EQ(rem.tv_sec, 9); /* written only when cut short */
	/* Absolute on the monotonic clock, and on the realtime clock. */
	struct posix_timespec now;
	CHECK_EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &now, 0, 0), 0);
	uint64_t target = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec + 3 * MS;
	req = (struct posix_timespec){ (int64_t)(target / 1000000000ull),
				       (int64_t)(target % 1000000000ull) };
	CHECK_EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req, 0), 0);
	CHECK(mono_ns() >= target);
	CHECK_EQ(SC(SYS_clock_gettime, CLOCK_REALTIME, &now, 0, 0), 0);
	t0 = mono_ns();
	now.tv_nsec += 2 * MS;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	CHECK_EQ(SC(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &now, 0), 0);
	CHECK(mono_ns() - t0 >= MS); /* ~2 ms (the RTC base has 1 s steps, not ns) */
	/* In the past: at once. Zero: at once. */
	req = (struct posix_timespec){ 0, 1 };
	t0 = mono_ns();
	CHECK_EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req, 0), 0);
	req = (struct posix_timespec){ 0, 0 };
	CHECK_EQ(SC(SYS_nanosleep, &req, 0, 0, 0), 0);
	CHECK(mono_ns() - t0 < MS);
	/* Bad timespecs, bad pointers, bad clocks. */
	const struct posix_timespec bad[] = { { -1, 0 }, { 0, -1 }, { 0, 1000000000 } };
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(SC(SYS_nanosleep, &bad[i], 0, 0, 0), -EINVAL);
		CHECK_EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad[i], 0), -EINVAL);
	}
	for (unsigned i = 0; i < 4; i++) /* the clock page is readable: not in this list */
		CHECK_EQ(SC(SYS_nanosleep, bad_ptrs[i], 0, 0, 0), -EFAULT);
	req = (struct posix_timespec){ 0, 1000 };
	CHECK_EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &req, 0), -EOPNOTSUPP);
	CHECK_EQ(SC(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, 0), -EOPNOTSUPP);
	CHECK_EQ(SC(SYS_clock_nanosleep, 100, 0, &req, 0), -EINVAL);
	/* The clock is checked before the pointer, as on Linux. */
	CHECK_EQ(SC(SYS_clock_nanosleep, 100, 0, 0, 0), -EINVAL);
	return 0;
}

static volatile int upcalls, upcall_work;

/* What the delivery part's handler does for a signal that finds the
 * thread in libposix: work for the way back (the test takes it after the
 * call, as the way back would). */
static void on_upcall(struct tern_frame *f)
{
	(void)f;
	upcalls++;
	if (upcall_work)
		posix_self()->work = POSIX_WORK_SIGNAL;
}

/* A signal's upcall during a sleep: -ERESTART_RESTARTBLOCK and the time
 * left, written to rem for a relative sleep, the restart block set so
 * that restart_syscall sleeps on to the same deadline; -ERESTARTNOHAND
 * for TIMER_ABSTIME, rem untouched; a bad rem then is -EFAULT; an upcall
 * that leaves no work (nothing to act on) does not end the sleep. The
 * upcall comes from a second timer on thread 0's notification, bound to
 * the thread with an upcall bit. */
static int sleep_interrupted(void)
{
	uint64_t sig_cap = guest_slot(), sig_timer = guest_create(TERN_CAP_TIMER, 0);
	tern_cptr_t ntfn = POSIX_SLOT_THREAD_NTFN(0);
	CHECK(sig_cap && sig_timer);
	CHECK_EQ(tern_cnode_mint(TERN_SLOT_CNODE, sig_cap, 64, ntfn, 64, TERN_RIGHTS_ALL,
				 POSIX_NTFN_SIGNAL),
		 TERN_EOK);
	tern_personality_set_handler(handler, on_upcall);
	CHECK_EQ(tern_tcb_bind_notification(TERN_SLOT_TCB, ntfn, POSIX_NTFN_SIGNAL), TERN_EOK);

	upcall_work = 1;
	struct posix_timespec req = { 0, 20 * MS }, rem = { 0, 0 };
	uint64_t start = mono_ns();
	CHECK_EQ(tern_timer_set(sig_timer, mono_ns() + 2 * MS, sig_cap), TERN_EOK);
	CHECK_EQ(SC(SYS_nanosleep, &req, &rem, 0, 0), -ERESTART_RESTARTBLOCK);
	CHECK_EQ(upcalls, 1);
	thread0.work = 0;
	tern_printf("GUEST posix_time: interrupted after 2 ms of 20, %lu us left\n",
		    (uint64_t)rem.tv_nsec / 1000);
	/* At most 18 ms left (the signal came 2 ms in or later: a loaded host
	 * delays it), and something left (it ended the sleep). */
	CHECK(rem.tv_sec == 0 && rem.tv_nsec > 0 && rem.tv_nsec <= 18 * (int64_t)MS);
	CHECK_EQ(thread0.restart_nr, SYS_nanosleep);
	/* The restart block holds the sleep's own deadline (20 ms after it
	 * began) and rem: restart_syscall sleeps on to it, not 20 ms again.
	 * (Only lower bounds on time: a loaded host makes guests oversleep.) */
	uint64_t deadline = thread0.restart_arg[0];
	CHECK(deadline >= start + 20 * MS && deadline < start + 21 * MS);
	CHECK_EQ(thread0.restart_arg[1], (uint64_t)&rem);
	CHECK_EQ(SC(SYS_restart_syscall, 0, 0, 0, 0), 0);
	CHECK(mono_ns() >= deadline);
	CHECK_EQ(thread0.restart_nr, 0);
	/* Nothing to restart: -EINTR (do_no_restart_syscall). */
	CHECK_EQ(SC(SYS_restart_syscall, 0, 0, 0, 0), -EINTR);
	/* Absolute: rem untouched, made again as it is. */
	struct posix_timespec now, keep = { 7, 7 };
	CHECK_EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &now, 0, 0), 0);
	now.tv_sec += 1;
	CHECK_EQ(tern_timer_set(sig_timer, mono_ns() + 2 * MS, sig_cap), TERN_EOK);
	CHECK_EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &now, &keep),
		 -ERESTARTNOHAND);
	thread0.work = 0;
	CHECK(keep.tv_sec == 7 && keep.tv_nsec == 7);
	/* A bad rem when cut short. */
	CHECK_EQ(tern_timer_set(sig_timer, mono_ns() + 2 * MS, sig_cap), TERN_EOK);
	CHECK_EQ(SC(SYS_nanosleep, &req, 0x1000, 0, 0), -EFAULT);
	thread0.work = 0;
	CHECK_EQ(upcalls, 3);
	/* A signal already pending: the sleep does not start. */
	thread0.work = POSIX_WORK_SIGNAL;
	CHECK_EQ(SC(SYS_nanosleep, &req, 0, 0, 0), -ERESTART_RESTARTBLOCK);
	thread0.work = 0;
	/* An upcall that leaves no work does not end the sleep. */
	upcall_work = 0;
	req.tv_nsec = 5 * MS;
	CHECK_EQ(tern_timer_set(sig_timer, mono_ns() + 1 * MS, sig_cap), TERN_EOK);
	uint64_t t0 = mono_ns();
	CHECK_EQ(SC(SYS_nanosleep, &req, 0, 0, 0), 0);
	CHECK(mono_ns() - t0 >= 5 * MS);
	CHECK_EQ(upcalls, 4);
	/* The interrupted sleeps' timer was cancelled: a later sleep is whole. */
	req.tv_nsec = 3 * MS;
	t0 = mono_ns();
	CHECK_EQ(SC(SYS_nanosleep, &req, 0, 0, 0), 0);
	CHECK(mono_ns() - t0 >= 3 * MS);
	CHECK_EQ(tern_tcb_bind_notification(TERN_SLOT_TCB, 0, 0), TERN_EOK);
	tern_personality_set_handler(handler, NULL);
	tern_cnode_delete(TERN_SLOT_CNODE, sig_timer, 64);
	tern_cnode_delete(TERN_SLOT_CNODE, sig_cap, 64);
	return 0;
}

static int misc(void)
{
	struct posix_utsname u;

	CHECK_EQ(SC(SYS_uname, &u, 0, 0, 0), 0);
	CHECK(!strcmp(u.sysname, "Linux") && !strcmp(u.machine, "x86_64") &&
	      !strcmp(u.nodename, "(none)"));
	uint8_t a[300], b[300];
	CHECK_EQ(SC(SYS_getrandom, a, sizeof(a), 0, 0), 300);
	CHECK_EQ(SC(SYS_getrandom, b, sizeof(b), GRND_NONBLOCK | GRND_INSECURE, 0), 300);
	int same = 0;
	for (int i = 0; i < 300; i++)
		same += a[i] == b[i];
	CHECK(same < 32);
	CHECK_EQ(SC(SYS_getrandom, a, 16, GRND_RANDOM | GRND_INSECURE, 0), -EINVAL);
	CHECK_EQ(SC(SYS_getrandom, a, 16, 0x10, 0), -EINVAL);
	CHECK_EQ(SC(SYS_getrandom, a, 0, 0, 0), 0);
	/* Running into a read-only page (the clock page, after the unmapped
	 * page below it is mapped here): the bytes before it, as Linux. */
	uint64_t mo = guest_create(TERN_CAP_MEMOBJ, 1);
	CHECK(mo);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, POSIX_VVAR - POSIX_PAGE_SIZE, mo, 0, 1,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE),
		 TERN_EOK);
	CHECK_EQ(SC(SYS_getrandom, POSIX_VVAR - 5, 16, 0, 0), 5);
	CHECK_EQ(SC(SYS_getrandom, POSIX_VVAR - 300, 600, 0, 0), 300);
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, POSIX_VVAR - POSIX_PAGE_SIZE, 1), TERN_EOK);
	struct posix_sysinfo si;
	CHECK_EQ(SC(SYS_sysinfo, &si, 0, 0, 0), 0);
	CHECK(si.totalram >= 256ull << 20 && si.freeram < si.totalram && si.mem_unit == 1);
	unsigned cpu = 7, node = 7;
	CHECK_EQ(SC(SYS_getcpu, &cpu, &node, 0, 0), 0);
	CHECK(cpu == 0 && node == 0);
	for (unsigned i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
		CHECK_EQ(SC(SYS_uname, bad_ptrs[i], 0, 0, 0), -EFAULT);
		CHECK_EQ(SC(SYS_getrandom, bad_ptrs[i], 16, 0, 0), -EFAULT);
		CHECK_EQ(SC(SYS_sysinfo, bad_ptrs[i], 0, 0, 0), -EFAULT);
		CHECK_EQ(SC(SYS_getcpu, bad_ptrs[i], 0, 0, 0), bad_ptrs[i] ? -EFAULT : 0);
	}
	return 0;
}

typedef int (*gettime_fn)(int64_t, struct posix_timespec *);

static int vdso(void)
{
	gettime_fn gettime = (gettime_fn)vdso_sym("__vdso_clock_gettime");
	struct posix_timespec ts;

	CHECK(gettime && vdso_sym("__vdso_gettimeofday") && vdso_sym("__vdso_time") &&
	      vdso_sym("__vdso_getcpu") && vdso_sym("__vdso_clock_getres"));
	uint64_t before = mono_ns();
	CHECK_EQ(gettime(CLOCK_MONOTONIC, &ts), 0);
	uint64_t got = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	CHECK(got >= before && got <= mono_ns());
	/* A clock the page does not answer: the vDSO's syscall is reflected
	 * to libposix, which answers -EINVAL. */
	CHECK_EQ(gettime(CLOCK_PROCESS_CPUTIME_ID, &ts), -EINVAL);
	CHECK_EQ(gettime(CLOCK_TAI, &ts), 0);
	return 0;
}

#define ITERS 10000

static void report(const char *name, uint64_t t0)
{
	guest_bench_report(name, guest_rdtsc() - t0, ITERS);
}

static int bench(void)
{
	gettime_fn gettime = (gettime_fn)vdso_sym("__vdso_clock_gettime");
	struct posix_timespec ts;
	struct posix_utsname u;
	uint64_t t0;

	CHECK(gettime);
	t0 = guest_rdtsc();
	for (int i = 0; i < ITERS; i++)
		gettime(CLOCK_MONOTONIC, &ts);
	report("vdso_clock_gettime", t0);
	t0 = guest_rdtsc();
	for (int i = 0; i < ITERS; i++)
		gettime(CLOCK_REALTIME, &ts);
	report("vdso_clock_gettime_realtime", t0);
	t0 = guest_rdtsc();
	for (int i = 0; i < ITERS; i++)
		SC(SYS_clock_gettime, CLOCK_MONOTONIC, &ts, 0, 0);
	report("syscall_clock_gettime", t0);
	t0 = guest_rdtsc();
	for (int i = 0; i < ITERS; i++)
		SC(SYS_uname, &u, 0, 0, 0);
	report("syscall_uname", t0);
	t0 = guest_rdtsc();
	for (int i = 0; i < ITERS; i++)
		SC(SYS_getrandom, &ts, 16, 0, 0);
	report("syscall_getrandom_16", t0);
	return 0;
}

static const struct guest_case cases[] = {
	{ "setup", setup },   { "clocks", clocks },
	{ "sleeps", sleeps }, { "sleep_interrupted", sleep_interrupted },
	{ "misc", misc },     { "vdso", vdso },
	{ "bench", bench },
};

int main(void)
{
	guest_run("posix_time", cases, sizeof(cases) / sizeof(cases[0]));
}
