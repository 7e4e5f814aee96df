/* EFAULT from every call that takes a pointer, for each kind of bad
 * pointer: NULL, an unmapped page, the kernel half, a buffer or string
 * that runs off the end of a mapping, and a read-only buffer that the call
 * must write. Raw syscalls (libc may check or cache). The program must
 * survive every one and still work afterwards. */
#include "contract.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>

#define PAGE 4096

static char *page_rw, *page_ro, *page_gone, *page_unmapped;

struct bad {
	const char *name;
	uintptr_t p;
};
static struct bad bads[6];
static unsigned nbad;

/* Four bytes with no NUL before the hole: calls store into them, so they
 * are filled again before every call. */
static void refill(void)
{
	memset(page_rw + PAGE - 4, 'a', 4);
}

static void setup(void)
{
	/* [rw page][inaccessible page]: a pointer near the end of page_rw runs
	 * off into the hole (PROT_NONE keeps the hole reserved, so no later
	 * mmap fills it). */
	char *two =
		mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK((long)(two == MAP_FAILED ? -1 : 0));
	OK(mprotect(two + PAGE, PAGE, PROT_NONE));
	page_rw = two;
	page_gone = two + PAGE;
	page_ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK((long)(page_ro == MAP_FAILED ? -1 : 0));
	/* A page that was mapped and is not any more (nothing is mapped
	 * after this, so it stays a hole). */
	page_unmapped = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK((long)(page_unmapped == MAP_FAILED ? -1 : 0));
	OK(munmap(page_unmapped, PAGE));
	refill(); /* a string with no NUL before the hole */
	bads[nbad++] = (struct bad){ "NULL", 0 };
	bads[nbad++] = (struct bad){ "inaccessible", (uintptr_t)page_gone };
	bads[nbad++] = (struct bad){ "unmapped", (uintptr_t)page_unmapped };
	bads[nbad++] = (struct bad){ "kernel", 0xffff800000000000ul };
	bads[nbad++] = (struct bad){ "noncanonical", 0x0000800000000000ul };
	bads[nbad++] = (struct bad){ "straddling", (uintptr_t)(page_rw + PAGE - 4) };
}

/* Data calls transfer what lies before the hole (Linux's short count). */
#define DATA(call_, expr)                                                         \
	do {                                                                      \
		if (b->p == (uintptr_t)(page_rw + PAGE - 4)) {                    \
			refill();                                                 \
			errno = 0;                                                \
			long r_ = (long)(expr);                                   \
			expect_val(__LINE__, call_ "(straddling)", r_, errno, 4); \
		} else {                                                          \
			CALL(call_, expr);                                        \
		}                                                                 \
	} while (0)

#define CALL(call_, expr)                                                 \
	do {                                                              \
		refill();                                                 \
		errno = 0;                                                \
		long r_ = (long)(expr);                                   \
		char what_[96];                                           \
		snprintf(what_, sizeof(what_), "%s(%s)", call_, b->name); \
		expect_err(__LINE__, what_, r_, errno, EFAULT);           \
	} while (0)

int main(void)
{
	contract_begin("bad_pointers");
	need_dev(); /* Linux booting a bare initramfs has no /dev/null */
	setup();
	put_file("bp_file", "hello, world\n", 13, 0644);
	int fd = open("bp_file", O_RDWR);
	OK(fd);
	int devnull = open("/dev/null", O_RDONLY);
	OK(devnull);
	OK(mkdir("bp_dir", 0755));
	/* A link of our own: a bare initramfs has no /proc/self/exe. */
	OK(symlink("bp_file", "bp_link"));
	int dfd = open("bp_dir", O_RDONLY | O_DIRECTORY);
	OK(dfd);

	for (unsigned i = 0; i < nbad; i++) {
		const struct bad *b = &bads[i];
		void *p = (void *)b->p;
		printf("-- %s\n", b->name);
		/* Buffers the call writes. */
		DATA("read", syscall(SYS_read, fd, p, 64));
		DATA("pread64", syscall(SYS_pread64, fd, p, 64, 0));
		CALL("fstat", syscall(SYS_fstat, fd, p));
		CALL("stat", syscall(SYS_stat, "bp_file", p));
		CALL("lstat", syscall(SYS_lstat, "bp_file", p));
		CALL("newfstatat", syscall(SYS_newfstatat, AT_FDCWD, "bp_file", p, 0));
		CALL("statx", syscall(SYS_statx, AT_FDCWD, "bp_file", 0, 0x7ff, p));
		CALL("uname", syscall(SYS_uname, p));
		if (b->p != (uintptr_t)(page_rw + PAGE - 4)) /* fits or not by the cwd */
			CALL("getcwd", syscall(SYS_getcwd, p, 64));
		CALL("readlink", syscall(SYS_readlink, "bp_link", p, 64));
		CALL("pipe", syscall(SYS_pipe, p));
		CALL("pipe2", syscall(SYS_pipe2, p, 0));
		CALL("getdents64", syscall(SYS_getdents64, dfd, p, 4096));
		CALL("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
		if (p) { /* NULL is allowed: nothing is written */
			CALL("clock_getres", syscall(SYS_clock_getres, CLOCK_MONOTONIC, p));
			CALL("gettimeofday", syscall(SYS_gettimeofday, p, NULL));
		}
		DATA("getrandom", syscall(SYS_getrandom, p, 16, 0));
		CALL("sysinfo", syscall(SYS_sysinfo, p));
		CALL("getrlimit", syscall(SYS_getrlimit, RLIMIT_NOFILE, p));
		CALL("getrusage", syscall(SYS_getrusage, 0, p));
		CALL("statfs", syscall(SYS_statfs, "/", p));
		CALL("fstatfs", syscall(SYS_fstatfs, fd, p));
		/* Buffers the call reads. */
		DATA("write", syscall(SYS_write, fd, p, 64));
		DATA("pwrite64", syscall(SYS_pwrite64, fd, p, 64, 0));
		CALL("readv", syscall(SYS_readv, fd, p, 1));
		CALL("writev", syscall(SYS_writev, fd, p, 1));
		CALL("nanosleep", syscall(SYS_nanosleep, p, NULL));
		CALL("setrlimit", syscall(SYS_setrlimit, RLIMIT_NOFILE, p));
		/* Path strings. */
		CALL("open", syscall(SYS_open, p, O_RDONLY));
		CALL("openat", syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
		CALL("access", syscall(SYS_access, p, F_OK));
		CALL("faccessat", syscall(SYS_faccessat, AT_FDCWD, p, F_OK));
		CALL("chdir", syscall(SYS_chdir, p));
		CALL("mkdir", syscall(SYS_mkdir, p, 0755));
		CALL("rmdir", syscall(SYS_rmdir, p));
		CALL("unlink", syscall(SYS_unlink, p));
		CALL("rename(old)", syscall(SYS_rename, p, "bp_x"));
		CALL("rename(new)", syscall(SYS_rename, "bp_file", p));
		CALL("link", syscall(SYS_link, "bp_file", p));
		CALL("symlink", syscall(SYS_symlink, p, "bp_x"));
		CALL("readlink(path)", syscall(SYS_readlink, p, page_rw, 64));
		CALL("chmod", syscall(SYS_chmod, p, 0644));
		CALL("truncate", syscall(SYS_truncate, p, 0));
		CALL("execve", syscall(SYS_execve, p, NULL, NULL));
	}
	/* A read-only buffer the call writes: EFAULT, and nothing changes. */
	printf("-- read-only\n");
	{
		const struct bad ro = { "read-only", (uintptr_t)page_ro }, *b = &ro;
		void *p = page_ro;
		DATA("read", syscall(SYS_read, fd, p, 64));
		CALL("fstat", syscall(SYS_fstat, fd, p));
		CALL("uname", syscall(SYS_uname, p));
		CALL("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
		CALL("pipe", syscall(SYS_pipe, p));
		CALL("getcwd", syscall(SYS_getcwd, p, 64));
		TRUE(page_ro[0] == 0);
	}
	/* An iovec that is fine, pointing at a bad buffer. */
	printf("-- iovec to a bad buffer\n");
	{
		const struct bad iv = { "iov->NULL", 0 }, *b = &iv;
		struct iovec v = { NULL, 16 };
		CALL("readv", syscall(SYS_readv, fd, &v, 1));
		CALL("writev", syscall(SYS_writev, fd, &v, 1));
	}
	/* Still whole: the file reads back, with what the short writes put in. */
	char buf[32] = { 0 };
	VAL(pread(fd, buf, 13, 0), 13);
	printf("file: \"%.12s\"\n", buf);
	OK(close(fd));
	OK(close(dfd));
	OK(close(devnull));
	OK(rmdir("bp_dir"));
	OK(unlink("bp_file"));
	return contract_end();
}
