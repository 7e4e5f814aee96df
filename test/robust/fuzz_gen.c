/*
 * The fuzzer's calls: which syscalls (every one libposix implements,
 * fuzz_implemented.h, made at build time from libposix's symbols), the
 * kind of each argument, and the shaped values of each kind: valid,
 * closed and huge fds; NULL, unmapped, kernel-half, non-canonical,
 * misaligned, read-only and straddling pointers; zero, huge and negative
 * lengths; random flags; paths with `..`, symlink loops and long names.
 *
 * What is drawn depends only on the generator's state, never on results,
 * so a seed replays the same calls. In a worker, fz_shape removes exactly
 * what would end or cripple the worker rather than test the system (its
 * own exit, its text unmapped, a signal it cannot take, SIGALRM blocked);
 * a disposable child keeps everything.
 *
 * Entry points: fz_generate, fz_name, fz_implemented, fz_implemented_count,
 * fz_arena_setup.
 */
#include "fuzz.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "../../libsys/include/posix/syscalls.h"

#define X_NUM(num, name) fz_nr_##name = num,
enum { POSIX_SYSCALLS(X_NUM) };
#undef X_NUM

#define X_NAME(num, name) [num] = #name,
static const char *const names[POSIX_SYSCALL_MAX] = { POSIX_SYSCALLS(X_NAME) };
#undef X_NAME

static const long implemented[] = {
#define FZ_IMPL(name) fz_nr_##name,
#include "fuzz_implemented.h"
#undef FZ_IMPL
};

const char *fz_name(long nr)
{
	if (nr >= 0 && nr < POSIX_SYSCALL_MAX && names[nr])
		return names[nr];
	return "?";
}

int fz_implemented_count(void)
{
	return (int)(sizeof(implemented) / sizeof(implemented[0]));
}

long fz_implemented(int i)
{
	return implemented[i];
}

enum kind {
	K0,
	KINT,
	KSMALL, /* small numbers, the usual range of a "which" or a "how" */
	KFD,
	KDIRFD,
	KPATH,
	KBUF,
	KLEN,
	KOFF,
	KFLAGS,
	KOFLAGS,
	KMODE,
	KPID,
	KSIG,
	KADDR,
	KMMLEN,
	KPROT,
	KMAPF,
	KIOV,
	KIOVCNT,
	KTS,
	KITV,
	KSET,
	KSETSZ,
	KSIGACT,
	KUID,
	KARGV,
	KFUTEXOP,
	KCLOCK,
	KTIMER,
	KDEV,
	KSIGINFO,
	KSIGEV,
	KRLIM,
	KIOCTL,
	KFCNTL,
	KCLONEF,
	KSTACK,
	KMNT,
	KFSTYPE,
	KATFLAGS,
	KSTACKT,
	KWAITOPT,
	KPOLLFD,
};

struct spec {
	int nr;
	uint8_t k[6];
	uint8_t children_only;
};

#define S(name, ...)                             \
	{                                        \
		fz_nr_##name, { __VA_ARGS__ }, 0 \
	}
#define C(name, ...)                             \
	{                                        \
		fz_nr_##name, { __VA_ARGS__ }, 1 \
	}

static const struct spec specs[] = {
	S(read, KFD, KBUF, KLEN),
	S(write, KFD, KBUF, KLEN),
	S(open, KPATH, KOFLAGS, KMODE),
	S(close, KFD),
	S(stat, KPATH, KBUF),
	S(fstat, KFD, KBUF),
	S(lstat, KPATH, KBUF),
	S(lseek, KFD, KOFF, KSMALL),
	S(mmap, KADDR, KMMLEN, KPROT, KMAPF, KFD, KOFF),
	S(mprotect, KADDR, KMMLEN, KPROT),
	S(munmap, KADDR, KMMLEN),
	S(brk, KADDR),
	S(rt_sigaction, KSIG, KSIGACT, KBUF, KSETSZ),
	S(rt_sigprocmask, KSMALL, KSET, KBUF, KSETSZ),
	C(rt_sigreturn, KINT),
	S(ioctl, KFD, KIOCTL, KBUF),
	S(pread64, KFD, KBUF, KLEN, KOFF),
	S(pwrite64, KFD, KBUF, KLEN, KOFF),
	S(readv, KFD, KIOV, KIOVCNT),
	S(writev, KFD, KIOV, KIOVCNT),
	S(access, KPATH, KSMALL),
	S(pipe, KBUF),
	S(sched_yield),
	S(mremap, KADDR, KMMLEN, KMMLEN, KFLAGS, KADDR),
	S(msync, KADDR, KMMLEN, KFLAGS),
	S(mincore, KADDR, KMMLEN, KBUF),
	S(madvise, KADDR, KMMLEN, KSMALL),
	S(dup, KFD),
	S(dup2, KFD, KFD),
	S(pause),
	S(nanosleep, KTS, KBUF),
	S(getitimer, KSMALL, KBUF),
	S(alarm, KSMALL),
	S(setitimer, KSMALL, KITV, KBUF),
	S(getpid),
	S(clone, KCLONEF, KSTACK, KBUF, KBUF, KADDR),
	S(fork),
	S(vfork),
	S(execve, KPATH, KARGV, KARGV),
	C(exit, KINT),
	S(wait4, KPID, KBUF, KWAITOPT, KBUF),
	S(kill, KPID, KSIG),
	S(uname, KBUF),
	S(fcntl, KFD, KFCNTL, KINT),
	S(fsync, KFD),
	S(fdatasync, KFD),
	S(truncate, KPATH, KOFF),
	S(ftruncate, KFD, KOFF),
	S(getdents64, KFD, KBUF, KLEN),
	S(getcwd, KBUF, KLEN),
	S(chdir, KPATH),
	S(fchdir, KFD),
	S(rename, KPATH, KPATH),
	S(mkdir, KPATH, KMODE),
	S(rmdir, KPATH),
	S(creat, KPATH, KMODE),
	S(link, KPATH, KPATH),
	S(unlink, KPATH),
	S(symlink, KPATH, KPATH),
	S(readlink, KPATH, KBUF, KLEN),
	S(chmod, KPATH, KMODE),
	S(fchmod, KFD, KMODE),
	S(chown, KPATH, KUID, KUID),
	S(fchown, KFD, KUID, KUID),
	S(lchown, KPATH, KUID, KUID),
	S(umask, KMODE),
	S(gettimeofday, KBUF, KBUF),
	S(getrlimit, KSMALL, KBUF),
	S(getrusage, KSMALL, KBUF),
	S(sysinfo, KBUF),
	S(times, KBUF),
	S(getuid),
	S(getgid),
	S(setuid, KUID),
	S(setgid, KUID),
	S(geteuid),
	S(getegid),
	S(setpgid, KPID, KPID),
	S(getppid),
	S(getpgrp),
	S(setsid),
	S(setreuid, KUID, KUID),
	S(setregid, KUID, KUID),
	S(getgroups, KINT, KBUF),
	S(setresuid, KUID, KUID, KUID),
	S(getresuid, KBUF, KBUF, KBUF),
	S(setresgid, KUID, KUID, KUID),
	S(getresgid, KBUF, KBUF, KBUF),
	S(getpgid, KPID),
	S(setfsuid, KUID),
	S(setfsgid, KUID),
	S(getsid, KPID),
	S(rt_sigpending, KBUF, KSETSZ),
	S(rt_sigtimedwait, KSET, KBUF, KTS, KSETSZ),
	S(rt_sigqueueinfo, KPID, KSIG, KSIGINFO),
	S(rt_sigsuspend, KSET, KSETSZ),
	S(sigaltstack, KSTACKT, KBUF),
	S(mknod, KPATH, KMODE, KDEV),
	S(statfs, KPATH, KBUF),
	S(fstatfs, KFD, KBUF),
	S(getpriority, KSMALL, KPID),
	S(setpriority, KSMALL, KPID, KINT),
	S(prctl, KSMALL, KBUF, KINT, KINT, KINT),
	S(arch_prctl, KINT, KBUF),
	S(setrlimit, KSMALL, KRLIM),
	S(sync),
	S(mount, KPATH, KMNT, KFSTYPE, KFLAGS, KBUF),
	S(umount2, KMNT, KFLAGS),
	S(reboot, KINT, KINT, KINT, KBUF),
	S(gettid),
	S(tkill, KPID, KSIG),
	S(time, KBUF),
	S(futex, KBUF, KFUTEXOP, KINT, KTS, KBUF, KINT),
	S(sched_getaffinity, KPID, KLEN, KBUF),
	S(getdents64, KFD, KBUF, KLEN),
	S(set_tid_address, KBUF),
	S(restart_syscall),
	S(timer_create, KCLOCK, KSIGEV, KBUF),
	S(timer_settime, KTIMER, KFLAGS, KITV, KBUF),
	S(timer_gettime, KTIMER, KBUF),
	S(timer_getoverrun, KTIMER),
	S(timer_delete, KTIMER),
	S(clock_gettime, KCLOCK, KBUF),
	S(clock_getres, KCLOCK, KBUF),
	S(clock_nanosleep, KCLOCK, KFLAGS, KTS, KBUF),
	C(exit_group, KINT),
	S(tgkill, KPID, KPID, KSIG),
	S(openat, KDIRFD, KPATH, KOFLAGS, KMODE),
	S(mkdirat, KDIRFD, KPATH, KMODE),
	S(mknodat, KDIRFD, KPATH, KMODE, KDEV),
	S(fchownat, KDIRFD, KPATH, KUID, KUID, KATFLAGS),
	S(newfstatat, KDIRFD, KPATH, KBUF, KATFLAGS),
	S(unlinkat, KDIRFD, KPATH, KATFLAGS),
	S(renameat, KDIRFD, KPATH, KDIRFD, KPATH),
	S(linkat, KDIRFD, KPATH, KDIRFD, KPATH, KATFLAGS),
	S(symlinkat, KPATH, KDIRFD, KPATH),
	S(readlinkat, KDIRFD, KPATH, KBUF, KLEN),
	S(fchmodat, KDIRFD, KPATH, KMODE),
	S(faccessat, KDIRFD, KPATH, KSMALL),
	S(set_robust_list, KBUF, KLEN),
	S(get_robust_list, KPID, KBUF, KBUF),
	S(utimensat, KDIRFD, KPATH, KTS, KATFLAGS),
	S(dup3, KFD, KFD, KOFLAGS),
	S(pipe2, KBUF, KOFLAGS),
	S(preadv, KFD, KIOV, KIOVCNT, KOFF, KOFF),
	S(pwritev, KFD, KIOV, KIOVCNT, KOFF, KOFF),
	S(rt_tgsigqueueinfo, KPID, KPID, KSIG, KSIGINFO),
	S(prlimit64, KPID, KSMALL, KRLIM, KBUF),
	S(getcpu, KBUF, KBUF, KBUF),
	S(renameat2, KDIRFD, KPATH, KDIRFD, KPATH, KFLAGS),
	S(getrandom, KBUF, KLEN, KFLAGS),
	S(execveat, KDIRFD, KPATH, KARGV, KARGV, KATFLAGS),
	S(statx, KDIRFD, KPATH, KATFLAGS, KINT, KBUF),
	S(faccessat2, KDIRFD, KPATH, KSMALL, KATFLAGS),
	S(waitid, KSMALL, KPID, KBUF, KWAITOPT, KBUF),
	S(poll, KPOLLFD, KSMALL, KINT),
	S(ppoll, KPOLLFD, KSMALL, KTS, KSET, KSETSZ),
	/* A worker's chroot (root may, on Linux too) would take its /fz, its
	 * devices and the /init its vfork children exec away from it:
	 * disposable children only. */
	C(chroot, KPATH),
};

static const struct spec *spec_of(long nr)
{
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (specs[i].nr == nr)
			return &specs[i];
	return NULL;
}

/* Arena layout (offsets from c->arena). */
#define A_PATH0 0x0000
#define A_PATH1 0x2000
#define A_STRUCT 0x4000 /* 0x200 per argument */
#define A_IOV 0x5000	/* up to 1,024 iovecs */
#define A_ARGV 0x9000
#define A_BUF 0xa000
#define A_RW_END (FZ_ARENA_RW * FZ_PAGE)
#define A_RO A_RW_END
#define A_GUARD (A_RO + FZ_PAGE)

void fz_arena_setup(struct fz_ctx *c)
{
	void *p = mmap(NULL, (FZ_ARENA_RW + 2) * FZ_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fz_fail("arena: mmap failed");
	c->arena = (uintptr_t)p;
	memset((char *)p + A_RO, 'a', FZ_PAGE);
	mprotect((char *)p + A_RO, FZ_PAGE, PROT_READ);
	munmap((char *)p + A_GUARD, FZ_PAGE);
	for (size_t i = 0; i < A_RW_END; i += 8)
		*(uint64_t *)((char *)p + i) = fz_rand(c);
	p = mmap(NULL, FZ_VICTIM_PAGES * FZ_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fz_fail("victim: mmap failed");
	c->victim = (uintptr_t)p;
}

static uint64_t pick(struct fz_ctx *c, const uint64_t *v, size_t n)
{
	return v[fz_below(c, n)];
}
#define PICK(c, ...)                                          \
	({                                                    \
		static const uint64_t v_[] = { __VA_ARGS__ }; \
		pick(c, v_, sizeof(v_) / sizeof(v_[0]));      \
	})

/* A pointer that is bad in one of the ways a kernel must survive. */
static uint64_t bad_pointer(struct fz_ctx *c)
{
	switch (fz_below(c, 10)) {
	case 0:
		return 0;
	case 1:
		return fz_below(c, 0x10000); /* below mmap_min_addr */
	case 2:
		return PICK(c, 0xffff800000000000ul, 0xffffffff80000000ul, 0xffffffffffffffffull,
			    0xfffffffffffff000ul, 0xffff888000000000ul);
	case 3:
		return PICK(c, 0x0000800000000000ul, 0x8000000000000000ul, 0x00007ffffffff000ul,
			    0x0000fffffffff000ul);
	case 4:
		return c->arena + A_GUARD + fz_below(c, FZ_PAGE); /* unmapped */
	case 5:
		return c->arena + A_RO + fz_below(c, FZ_PAGE); /* read-only */
	case 6:
		return c->arena + A_GUARD - 1 - fz_below(c, 64); /* straddles into nothing */
	case 7:
		return 0x7fc000000000ul + fz_below(c, 0x40000000ul); /* libposix's region */
	case 8:
		return 0x7fbfffff0000ul + fz_below(c, 5 * FZ_PAGE); /* vvar, vDSO */
	default:
		return fz_rand(c);
	}
}

/* A pointer to memory: valid (misaligned too), into the victim region, or bad. */
static uint64_t buffer(struct fz_ctx *c)
{
	switch (fz_below(c, 8)) {
	case 0:
	case 1:
		return c->arena + A_BUF + fz_below(c, A_RW_END - A_BUF);
	case 2:
		return c->arena + A_BUF + (fz_below(c, (A_RW_END - A_BUF) / FZ_PAGE) * FZ_PAGE);
	case 3:
		return c->arena + A_RW_END - 1 - fz_below(c, 256); /* straddles into read-only */
	case 4:
		return c->victim + fz_below(c, FZ_VICTIM_PAGES * FZ_PAGE);
	case 5:
		return c->arena + A_BUF + 1 + 8 * fz_below(c, 64); /* misaligned */
	default:
		return bad_pointer(c);
	}
}

static uint64_t length(struct fz_ctx *c)
{
	switch (fz_below(c, 6)) {
	case 0:
		return PICK(c, 0, 1, 2, 7, 8, 16, 24, 4095, 4096, 4097, 8192, 65536);
	case 1:
		return fz_below(c, 512);
	case 2:
		return fz_below(c, A_RW_END);
	case 3:
		return PICK(c, 0x7fffffffu, 0x80000000u, 0xffffffffu, 1ul << 32, 1ul << 40,
			    1ul << 62, ~0ul, -2ul, -4096ul, 0x7ffffffffffff000ul);
	default:
		return fz_below(c, 4096);
	}
}

static uint64_t integer(struct fz_ctx *c)
{
	switch (fz_below(c, 6)) {
	case 0:
		return fz_below(c, 16);
	case 1:
		return (uint64_t) - (int64_t)fz_below(c, 16);
	case 2:
		return PICK(c, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xffffffff80000000ul,
			    1ul << 32, ~0ul, 1ul << 63);
	case 3:
		return (uint32_t)fz_rand(c);
	case 4:
		return 1ul << fz_below(c, 64);
	default:
		return fz_rand(c);
	}
}

static uint64_t flags(struct fz_ctx *c)
{
	switch (fz_below(c, 5)) {
	case 0:
		return 0;
	case 1:
		return 1ul << fz_below(c, 32);
	case 2:
		return (uint32_t)fz_rand(c);
	case 3:
		return fz_rand(c) & fz_rand(c) & 0xffff;
	default:
		return fz_rand(c) & 0xff;
	}
}

static uint64_t fd(struct fz_ctx *c)
{
	switch (fz_below(c, 8)) {
	case 0:
		return PICK(c, 200, 511, 1000, 1023, 1024, 4095, 4096, 70000);
	case 1:
		return PICK(c, -1ul, -2ul, 0x7fffffffu, 0x80000000u, 1ul << 20, 1ul << 32,
			    (1ul << 32) | 3, 0xffffffff00000004ul, -100ul);
	default:
		return fz_below(c, 24);
	}
}

/* Paths: names the workers share in /fz, with prefixes that go up, through
 * symlinks and loops; system files; long and unterminated ones. Never a
 * name that reaches /init or the console. */
static const char *const prefixes[] = {
	"",	  "",	    "",	     "/fz/",	       "../", "d/",	 "d/../", "./",
	"l/",	  "l/l/l/", "loop/", "/fz/d/e/../../", "/",   "//fz///", "a/",	  "d/e/",
	"/fz/m/", "../fz/", "d/l/",
};
static const char *const leaves[] = {
	"a", "b", "c", "d", "e",  "f", "l",  "loop", "loop2",
	"x", "p", "n", ".", "..", "",  "a/", "d/",   "m",
};
/* System files: devices of the fuzzer's own (/fz/dev, made like /dev's,
 * so that no name the fuzzer can make reaches /dev) and /proc. */
static const char *const specials[] = {
	"/fz/dev/null",	     "/fz/dev/zero",
	"/fz/dev/full",	     "/fz/dev/urandom",
	"/fz/dev/random",    "/proc/self/stat",
	"/proc/self/fd",     "/proc/self/fd/5",
	"/proc/self",	     "/proc/meminfo",
	"/proc/self/cwd",    "/proc/1/comm",
	"/proc/999999/stat", "/fz",
	"/fz/dev",	     "/proc/self/fd/3/x",
	"/proc/2/cwd",	     "/proc/uptime",
	"/proc/self/fd/7",   "/proc/mounts",
};

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static uint64_t path(struct fz_ctx *c, int slot)
{
	char *base = (char *)c->arena + (slot ? A_PATH1 : A_PATH0), *p = base;
	size_t n;

	switch (fz_below(c, 16)) {
	case 0:
		return bad_pointer(c);
	case 1:
		p = put_str(p, specials[fz_below(c, sizeof(specials) / sizeof(specials[0]))]);
		break;
	case 2: /* a name of 255, 256 or more bytes */
		p = put_str(p, prefixes[fz_below(c, 4)]);
		n = PICK(c, 254, 255, 256, 300);
		memset(p, 'y', n);
		p += n;
		break;
	case 3: /* a path of about PATH_MAX bytes */
		n = PICK(c, 4093, 4094, 4095, 4096, 5000);
		for (size_t i = 0; i + 2 <= n; i += 2)
			p = put_str(p, fz_below(c, 2) ? "./" : "d/../" + 3);
		break;
	case 4: { /* unterminated, running into the read-only page, then nothing */
		uint64_t at = c->arena + A_GUARD - 1 - fz_below(c, 5000);
		return at;
	}
	case 5: /* a deep chain of symlinks (l -> .): ELOOP past 40 */
		n = PICK(c, 38, 39, 40, 41, 42, 100);
		for (size_t i = 0; i < n; i++)
			p = put_str(p, "l/");
		p = put_str(p, leaves[fz_below(c, 4)]);
		break;
	default:
		p = put_str(p, prefixes[fz_below(c, sizeof(prefixes) / sizeof(prefixes[0]))]);
		p = put_str(p, leaves[fz_below(c, sizeof(leaves) / sizeof(leaves[0]))]);
		if (!fz_below(c, 8))
			p = put_str(p, "/");
		break;
	}
	*p = 0;
	return (uint64_t)base;
}

/* A struct of `size` bytes for argument i: freshly filled (random, or
 * shaped by `fill`), at an aligned or misaligned address, or straddling
 * the end of the writable arena; else a bad pointer. */
static uint64_t struct_ptr(struct fz_ctx *c, int i, size_t size,
			   void (*fill)(struct fz_ctx *, void *))
{
	char *p;

	switch (fz_below(c, 10)) {
	case 0:
	case 1:
		return bad_pointer(c);
	case 2: /* only the first bytes writable */
		p = (char *)c->arena + A_RW_END - 1 - fz_below(c, size);
		for (char *q = p; q < (char *)c->arena + A_RW_END; q++)
			*q = (char)fz_rand(c);
		return (uint64_t)p;
	case 3:
		p = (char *)c->arena + A_STRUCT + 0x200 * i + 1 + fz_below(c, 7);
		break;
	default:
		p = (char *)c->arena + A_STRUCT + 0x200 * i;
		break;
	}
	for (size_t j = 0; j < size; j++)
		p[j] = (char)fz_rand(c);
	if (fill)
		fill(c, p);
	return (uint64_t)p;
}

static void fill_ts(struct fz_ctx *c, void *p)
{
	int64_t *t = p;
	if (fz_below(c, 4)) {
		t[0] = (int64_t)fz_below(c, 2);
		t[1] = (int64_t)fz_below(c, 20000000);
	}
	if (!fz_below(c, 8))
		t[1] = PICK(c, 999999999, 1000000000, -1, 1ul << 62);
	if (!fz_below(c, 8))
		t[0] = PICK(c, -1, 1ul << 62, 0x7fffffffffffffffl);
	if (!fz_below(c, 16))
		t[1] = PICK(c, (1l << 30) - 1, (1l << 30) - 2); /* UTIME_NOW, UTIME_OMIT */
}

static void fill_itv(struct fz_ctx *c, void *p)
{
	fill_ts(c, p);
	fill_ts(c, (char *)p + 16);
}

static void fill_set(struct fz_ctx *c, void *p)
{
	if (fz_below(c, 2))
		*(uint64_t *)p = 1ul << fz_below(c, 64);
}

static void fill_rlim(struct fz_ctx *c, void *p)
{
	uint64_t *r = p;
	if (fz_below(c, 2)) {
		r[0] = PICK(c, 0, 1, 16, 64, 1024, 4096, ~0ul);
		r[1] = PICK(c, 0, 1, 16, 64, 1024, 4096, ~0ul);
	}
}

static void fill_sigev(struct fz_ctx *c, void *p)
{
	int32_t *w = p; /* sigev_value, sigev_signo, sigev_notify, tid */
	if (fz_below(c, 2)) {
		w[2] = (int32_t)fz_below(c, 2);
		w[3] = (int32_t)PICK(c, 0, 1, 4, 5); /* NONE, SIGNAL, THREAD_ID */
		w[4] = (int32_t)fz_below(c, 4);
	}
}

/* pollfds: fds valid, closed and negative (ignored), events any. */
static void fill_poll(struct fz_ctx *c, void *p)
{
	int32_t *w = p;
	for (int i = 0; i < 64; i++) {
		w[2 * i] = fz_below(c, 8) ? (int32_t)fz_below(c, 24) : (int32_t)fd(c);
		w[2 * i + 1] =
			fz_below(c, 2) ? (int32_t)PICK(c, 1, 4, 5, 2, 0x3f) : (int32_t)fz_rand(c);
	}
}

static void fill_sigact(struct fz_ctx *c, void *p)
{
	(void)c;
	(void)p;
}

static uint64_t iov(struct fz_ctx *c)
{
	if (!fz_below(c, 8))
		return bad_pointer(c);
	uint64_t *v = (uint64_t *)(c->arena + A_IOV);
	size_t n = fz_below(c, 4) ? fz_below(c, 8) : 1024;
	for (size_t i = 0; i < n; i++) {
		v[2 * i] = fz_below(c, 4) ? buffer(c) : bad_pointer(c);
		v[2 * i + 1] = fz_below(c, 4) ? fz_below(c, 4096) : length(c);
	}
	return (uint64_t)v + (fz_below(c, 8) ? 0 : 1 + fz_below(c, 7));
}

static uint64_t argv(struct fz_ctx *c, int i)
{
	if (!fz_below(c, 6))
		return bad_pointer(c);
	uint64_t *v = (uint64_t *)(c->arena + A_ARGV + 0x400 * i);
	char *s = (char *)c->arena + A_ARGV + 0x400 * i + 0x200;
	size_t n = fz_below(c, 6);
	for (size_t j = 0; j < n; j++)
		v[j] = fz_below(c, 6) ? (uint64_t)s : bad_pointer(c);
	memcpy(s, "arg", 4);
	v[n] = fz_below(c, 8) ? 0 : fz_rand(c); /* sometimes unterminated */
	return (uint64_t)v;
}

/* An address for the memory calls: inside the victim region (a worker's
 * memory calls go nowhere else), or somewhere they must refuse. */
static uint64_t mm_addr(struct fz_ctx *c)
{
	switch (fz_below(c, 8)) {
	case 0:
		return PICK(c, 0, 0x1000, 0xffff, 0x10000, 0x7fc000000000ul, 0x7fbfffff0000ul,
			    0x7ffffffff000ul, 0x800000000000ul, 0xffff800000000000ul,
			    0xfffffffffffff000ul, 0x7fc03f000000ul, 0x7fc020000000ul);
	case 1:
		return c->victim + fz_below(c, FZ_VICTIM_PAGES * FZ_PAGE);
	default:
		return c->victim + fz_below(c, FZ_VICTIM_PAGES) * FZ_PAGE;
	}
}

static uint64_t mm_len(struct fz_ctx *c)
{
	switch (fz_below(c, 6)) {
	case 0:
		return length(c);
	case 1:
		return fz_below(c, 3 * FZ_PAGE);
	default:
		return (1 + fz_below(c, 16)) * FZ_PAGE;
	}
}

static uint64_t pid(struct fz_ctx *c)
{
	switch (fz_below(c, 8)) {
	case 0:
		return PICK(c, 0, -1ul, 1, 2, 999999, 0x7fffffff, 0x80000000u, 1ul << 32, -999999ul,
			    4194304);
	case 1:
	case 2:
		return (uint64_t)(int64_t)c->kids[fz_below(c, 8)];
	case 3:
		return (uint64_t)(int64_t)c->siblings[fz_below(c, FZ_MAX_WORKERS)];
	case 4:
		return (uint64_t) - (int64_t)c->siblings[fz_below(c, FZ_MAX_WORKERS)];
	default:
		return (uint64_t)fz_syscall6(fz_nr_getpid, 0, 0, 0, 0, 0, 0) +
		       (fz_below(c, 2) ? 0 : fz_below(c, 4));
	}
}

static uint64_t value(struct fz_ctx *c, int kind, int i)
{
	switch (kind) {
	case K0:
		return fz_below(c, 16) ? 0 : fz_rand(c); /* unused words are ignored */
	case KINT:
		return integer(c);
	case KSMALL:
		return fz_below(c, 8) ? fz_below(c, 20) : integer(c);
	case KFD:
		return fd(c);
	case KDIRFD:
		return fz_below(c, 2) ? (uint64_t)-100 : fd(c);
	case KPATH:
		return path(c, i > 1);
	case KBUF:
		return buffer(c);
	case KLEN:
	case KMMLEN:
		return kind == KLEN ? length(c) : mm_len(c);
	case KOFF:
		return fz_below(c, 3) ? fz_below(c, 3) * fz_below(c, 8192) : length(c);
	case KFLAGS:
		return flags(c);
	case KOFLAGS:
		return fz_below(c, 3) ? (fz_below(c, 3) | (fz_rand(c) & 0x1bcfc0)) : flags(c);
	case KMODE:
		return fz_below(c, 4) ? (fz_rand(c) & 07777) | PICK(c, 0, 0, 0100000, 040000,
								    010000, 020000, 060000, 0140000)
				      : integer(c);
	case KPID:
		return pid(c);
	case KSIG:
		return fz_below(c, 8) ? fz_below(c, 66) : integer(c);
	case KADDR:
		return mm_addr(c);
	case KPROT:
		return fz_below(c, 4) ? fz_below(c, 8) : flags(c);
	case KMAPF:
		return fz_below(c, 4) ? PICK(c, 1, 2, 3) | (fz_rand(c) & 0x1c1130) : flags(c);
	case KIOV:
		return iov(c);
	case KIOVCNT:
		return fz_below(c, 4) ? fz_below(c, 9) : PICK(c, 1024, 1025, -1ul, 0x80000000u);
	case KTS:
		return struct_ptr(c, i, 16, fill_ts);
	case KITV:
		return struct_ptr(c, i, 32, fill_itv);
	case KSET:
		return struct_ptr(c, i, 8, fill_set);
	case KSETSZ:
		return fz_below(c, 4) ? 8 : integer(c);
	case KSIGACT:
		return struct_ptr(c, i, 32, fill_sigact);
	case KUID:
		return fz_below(c, 2) ? PICK(c, 0, -1ul, 0xffffffffu, 1000, 65534) : integer(c);
	case KARGV:
		return argv(c, i);
	case KFUTEXOP:
		return fz_below(c, 4) ? (fz_below(c, 14) | (fz_below(c, 2) ? 128 : 0)) : flags(c);
	case KCLOCK:
		return fz_below(c, 4) ? fz_below(c, 12) : integer(c);
	case KTIMER:
		return fz_below(c, 4) ? fz_below(c, 4) : integer(c);
	case KDEV:
		return PICK(c, 0, 0x103, 0x105, 0x107, 0x109, 0x6363, 0xffffffff, 0x100000003ul);
	case KSIGINFO:
		return struct_ptr(c, i, 128, NULL);
	case KSIGEV:
		return struct_ptr(c, i, 64, fill_sigev);
	case KRLIM:
		return struct_ptr(c, i, 16, fill_rlim);
	case KIOCTL:
		return fz_below(c, 2) ? PICK(c, 0x5401, 0x5402, 0x5403, 0x5404, 0x540f, 0x5410,
					     0x5413, 0x5414, 0x541b, 0x5421, 0x5450, 0x5451, 0x540e,
					     0x5422, 0x5429, 0x80045430, 0x40045431)
				      : integer(c);
	case KFCNTL:
		return fz_below(c, 4)
			       ? fz_below(c, 12)
			       : PICK(c, 1030, 1024, 1025, 1026, 1031, 1032, 1033, 1034, 1036);
	case KCLONEF:
		return fz_below(c, 2) ? ((fz_rand(c) & 0x3ff0ff00ul) & fz_rand(c)) | 17 : flags(c);
	case KSTACK:
		return fz_below(c, 2) ? 0 : buffer(c);
	case KMNT:
		if (fz_below(c, 4)) {
			char *s = (char *)c->arena + A_PATH1;
			strcpy(s, (const char *)PICK(c, (uint64_t) "/fz/m", (uint64_t) "m",
						     (uint64_t) "/fz/m/", (uint64_t) "m/"));
			return (uint64_t)s;
		}
		return path(c, 1);
	case KFSTYPE: {
		char *s = (char *)c->arena + A_STRUCT + 0x200 * i;
		strcpy(s,
		       (const char *)PICK(c, (uint64_t) "tmpfs", (uint64_t) "proc",
					  (uint64_t) "ramfs", (uint64_t) "sysfs",
					  (uint64_t) "devtmpfs", (uint64_t) "ext4", (uint64_t) ""));
		return fz_below(c, 6) ? (uint64_t)s : bad_pointer(c);
	}
	case KATFLAGS:
		return fz_below(c, 2) ? PICK(c, 0, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x6000)
				      : flags(c);
	case KSTACKT: {
		uint64_t p = struct_ptr(c, i, 24, NULL);
		if (p >= c->arena && p < c->arena + A_RW_END - 24 && fz_below(c, 2)) {
			uint64_t *s = (uint64_t *)p;
			s[0] = buffer(c);
			s[1] = PICK(c, 0, 1, 2, 4); /* SS_ONSTACK, SS_DISABLE, SS_AUTODISARM bits */
			s[2] = PICK(c, 0, 2048, 8192, 65536, ~0ul);
		}
		return p;
	}
	case KPOLLFD: /* up to 64 pollfds */
		return struct_ptr(c, i, 8 * 64, fill_poll);
	case KWAITOPT:
		return fz_below(c, 2) ? (fz_rand(c) & 0xe100000f) | 1 : flags(c);
	}
	return fz_rand(c);
}

/* Worker shaping: keep everything that tests the system, drop what would
 * end or cripple the worker itself (a disposable child keeps it all). */
static int worker_signal_ok(uint64_t sig)
{
	return (int)sig != SIGKILL && (int)sig != SIGSTOP;
}

/* A timer of the worker's that repeats faster than every millisecond
 * would keep it in its handler for good (on Linux too): slower. */
static int in_arena(struct fz_ctx *c, uint64_t p, uint64_t n);
static void slow_timer(struct fz_ctx *c, uint64_t p, int64_t ms)
{
	if (!in_arena(c, p, 32))
		return;
	int64_t *t = (int64_t *)p; /* interval, value: two timespecs or timevals */
	for (int i = 0; i < 4; i += 2)
		if (t[i] == 0 && t[i + 1] > 0 && t[i + 1] < ms)
			t[i + 1] = ms;
}

/* A worker's memory calls stay inside the victim region, or where the
 * system must refuse them (libposix's region, vvar, the kernel half,
 * below mmap_min_addr, a wrapping range): never over its own text, data,
 * stack, arena or the shared page. */
static void safe_range(struct fz_ctx *c, uint64_t *addr, uint64_t *len)
{
	uint64_t a = *addr, n = *len, vend = c->victim + FZ_VICTIM_PAGES * FZ_PAGE;

	if (a + n < a)
		return; /* wraps: refused */
	if (a >= c->victim && a < vend) {
		if (n > vend - a)
			*len = vend - a;
		return;
	}
	if (a >= 0x7fbfffff0000ul && a < 0x7fc040000000ul && a + n <= 0x7fc040000000ul)
		return; /* vvar, vDSO, libposix: reserved */
	if (a >= 0x800000000000ul || a + n <= 0x10000)
		return;
	*addr = c->victim + (a % FZ_VICTIM_PAGES) * FZ_PAGE;
	safe_range(c, addr, len);
}

/* Whether [p, p + n) is in the arena's writable part: memory only the
 * worker's generator fills, so what a call reads there is what the
 * shaping left. Anywhere else a struct a call reads may hold anything:
 * the arena's guard page is a hole that a worker's own mmap without
 * MAP_FIXED may fill (mm, like Linux's top-down get_unmapped_area, takes
 * the first gap that fits, and a one-page hole fits a one-page mapping:
 * zeros, or what a later read put there), the victim region and vvar
 * hold what they hold. */
static int in_arena(struct fz_ctx *c, uint64_t p, uint64_t n)
{
	return p >= c->arena && p <= c->arena + A_RW_END - n;
}

/* A pointer nothing can ever map (the kernel half, non-canonical, below
 * mmap_min_addr): the call fails with EFAULT, as the shaped-away bad
 * pointer it stands for would have. */
static uint64_t never_mapped(struct fz_ctx *c)
{
	return PICK(c, 0xffff800000000000ul, 0x8000000000000000ul, 0x1000);
}

static void shape_worker(struct fz_ctx *c, struct fz_call *k)
{
	uint64_t *a = k->a;

	switch (k->nr) {
	case fz_nr_rt_sigaction:
		/* SIGALRM is what ends the worker's blocking calls; other
		 * actions may change, to handlers or ignore, never to a
		 * default that kills or stops (a struct of zeros is
		 * SIG_DFL: Linux then kills the worker with the next signal
		 * a sibling sends, as it did with SIGTRAP and signal 56
		 * from the guard page a worker's mmap had filled) or to a
		 * frame on a bad stack. */
		if ((int)a[0] == SIGALRM)
			a[1] = 0;
		if (in_arena(c, a[1], 32) && a[1] >= c->arena + A_STRUCT) {
			extern void fz_handler(int, void *, void *);
			extern void fz_handler_plain(int);
			extern uint64_t fz_restorer;
			uint64_t *sa = (uint64_t *)a[1];
			sa[1] = (sa[1] & ~(0x08000000ul | 0x80000000ul)) | 0x04000000ul;
			sa[0] = !fz_below(c, 4) ? 1		       /* SIG_IGN */
				: (sa[1] & 4)	? (uint64_t)fz_handler /* SA_SIGINFO */
						: (uint64_t)fz_handler_plain;
			sa[2] = fz_restorer;
		} else if (a[1]) {
			a[1] = never_mapped(c);
		}
		break;
	case fz_nr_rt_sigsuspend:
		/* A mask that blocks SIGALRM would wait for good (on Linux
		 * too, until a sibling's signal, which may never come). */
		if (in_arena(c, a[0], 8))
			*(uint64_t *)a[0] &= ~(1ul << (SIGALRM - 1));
		else
			a[0] = never_mapped(c);
		break;
	case fz_nr_ppoll:
		/* Its mask is rt_sigsuspend's for the wait: one that blocks
		 * SIGALRM would wait for good (10^6-call run, seed 1: a
		 * ppoll of no fds with a mask read from the arena's
		 * read-only part hung). */
		if (in_arena(c, a[3], 8))
			*(uint64_t *)a[3] &= ~(1ul << (SIGALRM - 1));
		else if (a[3])
			a[3] = never_mapped(c);
		break;
	case fz_nr_timer_create:
		/* Linux's good_sigevent takes any signal, SIGKILL and
		 * SIGSTOP too: a worker's timer never sends those. */
		if (in_arena(c, a[1], 16)) {
			int32_t *w = (int32_t *)a[1];
			if (!worker_signal_ok((uint64_t)w[2]))
				w[2] = SIGUSR1;
		} else if (a[1]) {
			a[1] = never_mapped(c);
		}
		break;
	case fz_nr_setrlimit:
	case fz_nr_prlimit64: {
		/* RLIMIT_CPU: at the soft limit Linux sends SIGXCPU (handled),
		 * at the hard one SIGKILL (kernel/time/posix-cpu-timers.c
		 * check_process_timers): a worker's hard limit stays
		 * infinite (root may raise it). Its other limits are
		 * repaired after the call (RLIMIT_NOFILE) or only make calls
		 * fail. */
		int setr = k->nr == fz_nr_setrlimit;
		uint64_t *rl = &a[setr ? 1 : 2];
		if ((uint32_t)a[setr ? 0 : 1] != 0) /* any pid: a sibling is a worker too */
			break;
		if (in_arena(c, *rl, 16))
			((uint64_t *)*rl)[1] = ~0ul;
		else if (*rl)
			*rl = never_mapped(c);
		break;
	}
	case fz_nr_reboot:
		if ((uint32_t)a[0] == 0xfee1deadu)
			a[0] ^= 1;
		break;
	case fz_nr_arch_prctl:
		if (a[0] == 0x1002) /* ARCH_SET_FS would take musl's TLS away */
			a[0] = 0x1003;
		break;
	case fz_nr_mmap:
		if (a[3] & 0x10)
			safe_range(c, &a[0], &a[1]);
		break;
	case fz_nr_munmap:
	case fz_nr_mprotect:
	case fz_nr_madvise:
		safe_range(c, &a[0], &a[1]);
		break;
	case fz_nr_mremap:
		safe_range(c, &a[0], &a[1]);
		if (a[3] & 2) /* MREMAP_FIXED */
			safe_range(c, &a[4], &a[2]);
		break;
	case fz_nr_execve:
	case fz_nr_execveat:
		/* A worker's exec must fail: never a path that names a
		 * program (the only one is /init, which no path reaches). */
		break;
	case fz_nr_clone:
		/* The low byte of clone's flags is the signal the parent gets
		 * when the child ends, any signal (Linux's do_notify_parent:
		 * valid_signal(sig) && sig): SIGKILL kills the worker, SIGSTOP
		 * stops it (with CLONE_PARENT the child takes the caller's own
		 * exit signal and the caller's parent, copy_process; a child's
		 * clone never signals a worker so). */
		if ((a[0] & 0xff) == SIGKILL || (a[0] & 0xff) == SIGSTOP)
			a[0] = (a[0] & ~0xfful) | SIGCHLD;
		break;
	case fz_nr_setitimer:
		if (a[0] == 0) /* ITIMER_REAL is the worker's interrupter */
			a[0] = 1 + fz_below(c, 2);
		if (!in_arena(c, a[1], 32) && a[1])
			a[1] = never_mapped(c);
		slow_timer(c, a[1], 1000); /* timevals */
		break;
	case fz_nr_timer_settime:
		if (!in_arena(c, a[2], 32) && a[2])
			a[2] = never_mapped(c);
		slow_timer(c, a[2], 1000000); /* timespecs */
		break;
	}
}

/* Both: reboot never with Linux's magic (it would end the machine), and
 * a mknod never makes a console (random bytes on the serial line). */
/* Only a process's own disposable children may get SIGKILL or SIGSTOP
 * (a worker must run to its end). */
static int is_kid(struct fz_ctx *c, uint64_t pid)
{
	for (int i = 0; i < 8; i++)
		if (c->kids[i] && (int64_t)c->kids[i] == (int64_t)pid)
			return 1;
	return 0;
}

/* A mount point anything may use: /fz/m, never above it. */
static int mount_point_ok(const char *s)
{
	return (!strcmp(s, "m") || !strcmp(s, "m/") || !strncmp(s, "/fz/m", 5)) && !strstr(s, "..");
}

/* A path inside the arena's path slots naming a system directory or
 * device (the specials, "/" included): never renamed, removed or
 * truncated, so the system a later test boots into is the same. */
static int protected_path(struct fz_ctx *c, uint64_t p)
{
	if (p < c->arena || p >= c->arena + A_STRUCT)
		return 0;
	const char *s = (const char *)p;
	if (!strncmp(s, "/dev", 4) || !strncmp(s, "/proc", 5) || !strcmp(s, "/"))
		return 1;
	return 0;
}

/* Everyone: reboot never with Linux's magic (it would end the machine), a
 * mknod never makes a console (random bytes on the serial line), mounts
 * only on /fz/m, and no system directory or device renamed or removed. */
static void shape_all(struct fz_ctx *c, struct fz_call *k)
{
	uint64_t *a = k->a;

	switch (k->nr) {
	case fz_nr_kill:
	case fz_nr_tkill:
	case fz_nr_rt_sigqueueinfo:
		if (!worker_signal_ok(a[1]) && !is_kid(c, a[0]))
			a[1] = SIGUSR1;
		break;
	case fz_nr_tgkill:
	case fz_nr_rt_tgsigqueueinfo:
		if (!worker_signal_ok(a[2]) && !is_kid(c, a[0]))
			a[2] = SIGUSR2;
		break;
	case fz_nr_prlimit64:
		if ((int)a[0] == 1) /* the supervisor's limits stay */
			a[0] = 0;
		break;
	case fz_nr_mmap:
		if (a[3] & 0x8000) /* MAP_POPULATE only of a little */
			a[1] &= 0xffff;
		break;
	case fz_nr_reboot:
		if ((uint32_t)a[0] == 0xfee1deadu)
			a[0] ^= 1;
		break;
	case fz_nr_mknod:
	case fz_nr_mknodat: {
		uint64_t *dev = &a[k->nr == fz_nr_mknod ? 2 : 3];
		uint64_t major = (*dev >> 8) & 0xfff;
		if (major == 4 || major == 5)
			*dev = 0x103;
		break;
	}
	case fz_nr_mount:
	case fz_nr_umount2: {
		int i = k->nr == fz_nr_mount;
		if (a[i] >= c->arena && a[i] < c->arena + A_STRUCT &&
		    !mount_point_ok((const char *)a[i]))
			a[i] = 0xffff800000000000ul;
		break;
	}
	case fz_nr_rename:
	case fz_nr_unlink:
	case fz_nr_rmdir:
	case fz_nr_truncate:
	case fz_nr_link:
		for (int i = 0; i < 2; i++)
			if (protected_path(c, a[i]))
				a[i] = 0;
		break;
	case fz_nr_renameat:
	case fz_nr_renameat2:
	case fz_nr_unlinkat:
	case fz_nr_linkat:
		for (int i = 1; i < 4; i += 2)
			if (protected_path(c, a[i]))
				a[i] = 0;
		break;
	}
}

void fz_generate(struct fz_ctx *c, struct fz_call *k)
{
	const struct spec *sp;
	int n = fz_implemented_count();

	k->special = FZ_SPECIAL_NONE;
	if (!fz_below(c, 200)) {
		/* Numbers nobody implements, and beyond the table. */
		k->nr = (long)PICK(c, 134, 156, 174, 246, 334, 335, 400, 423, 451, 452, 511, 512,
				   1000, 0x40000000, -1ul, 0x8000000000000001ul);
		for (int i = 0; i < 6; i++)
			k->a[i] = integer(c);
		return;
	}
	k->nr = fz_implemented(fz_below(c, n));
	sp = spec_of(k->nr);
	for (int i = 0; i < 6; i++)
		k->a[i] = sp ? value(c, sp->k[i], i) : integer(c);
	if ((!sp || sp->children_only) && !c->disposable) {
		k->special = FZ_SPECIAL_SKIP;
		return;
	}
	if (k->nr == fz_nr_fork || k->nr == fz_nr_vfork || k->nr == fz_nr_clone) {
		uint64_t fl = k->nr == fz_nr_fork ? 17 : k->nr == fz_nr_vfork ? 0x4111 : k->a[0];
		k->special = (fl & 0x100) ? FZ_SPECIAL_VFORK : FZ_SPECIAL_FORK;
	}
	shape_all(c, k);
	if (!c->disposable)
		shape_worker(c, k);
}
