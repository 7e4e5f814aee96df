/*
 * The vfs server (servers/vfs, bin/vfs of the initrd) as the root
 * task starts it, talked to with its protocol (posix/proto_vfs.h): an
 * initramfs made here, processes made, forked, exec'ed and ended as proc
 * would, files opened, read, written, listed, a pipe whose read waits
 * for a writer and one a signal ends (the server runtime's interrupt cap),
 * exec's MemObj mapped and compared, /proc/self, and
 * hostile messages (wrong badge, short or inconsistent messages, bad fds
 * and lengths), after which the server still answers.
 */
#include "guest.h"

#include <stdbool.h>

#include "common/format.h"
#include "common/string.h"
#include "posix/boot.h"
#include "posix/cspace.h"
#include "posix/dirent.h"
#include "posix/fcntl.h"
#include "posix/proto_vfs.h"
#include "posix/status.h"
#include "sys/ipc.h"
#include "tern/errors.h"

#define VFS_QUOTA (64ul << 20)
#define INITRD_VA 0x530000000000ul
#define EXEC_VA 0x540000000000ul
#define ST(e) POSIX_STATUS(e)

static tern_cptr_t ep, proc_ep, p1, p2, p3, vfs_quota;
static struct tern_task task;
static const char prog_text[] = "\177ELF pretend program text";

/* ---- an initramfs ---- */

static uint8_t cpio[4096];
static size_t cpio_len;

static void put(const char *name, uint32_t mode, const char *data)
{
	size_t nlen = strlen(name) + 1, dlen = data ? strlen(data) : 0;
	char hdr[111];

	format(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08lx%08x%08x%08x%08x%08lx%08x", 1u,
	       mode, 0u, 0u, 1u, 0u, (unsigned long)dlen, 0u, 0u, 0u, 0u, (unsigned long)nlen, 0u);
	memcpy(cpio + cpio_len, hdr, 110);
	memcpy(cpio + cpio_len + 110, name, nlen);
	cpio_len = (cpio_len + 110 + nlen + 3) & ~3ul;
	if (dlen)
		memcpy(cpio + cpio_len, data, dlen);
	cpio_len = (cpio_len + dlen + 3) & ~3ul;
}

static tern_cptr_t mint(tern_cptr_t src, uint64_t badge)
{
	tern_cptr_t s = guest_slot();
	if (!s ||
	    tern_cnode_mint(TERN_SLOT_CNODE, s, 64, src, 64, TERN_RIGHTS_ALL, badge) != TERN_EOK)
		return 0;
	return s;
}

static int test_start(void)
{
	struct {
		const void *data;
		size_t size;
	} e;
	uint64_t quota = guest_slot();

	put("bin", 040755, NULL);
	put("bin/prog", 0100755, prog_text);
	put("etc", 040755, NULL);
	put("etc/hello", 0100644, "hello, vfs\n");
	put("lnk", 0120777, "/etc/hello");
	put("TRAILER!!!", 0, NULL);
	uint64_t pages = (cpio_len + 4095) / 4096;
	tern_cptr_t rd = guest_create(TERN_CAP_MEMOBJ, pages);
	CHECK(rd && quota);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, INITRD_VA, rd, 0, pages,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE),
		 TERN_EOK);
	memcpy((void *)INITRD_VA, cpio, cpio_len);
	e.data = guest_initrd_file("bin/vfs", &e.size); /* add_system_program puts it there too */
	CHECK(e.data);
	ep = guest_create(TERN_CAP_ENDPOINT, 0);
	tern_cptr_t console = guest_create(TERN_CAP_ENDPOINT, 0);
	CHECK(ep && console);
	CHECK_EQ(tern_quota_split(TERN_SLOT_QUOTA, VFS_QUOTA, TERN_SLOT_CNODE, quota, 64),
		 TERN_EOK);
	vfs_quota = quota;
	const struct tern_spawn_cap caps[] = {
		{ .src = rd, .slot = VFS_SLOT_INITRD, .rights = TERN_RIGHT_READ },
		{ .src = console, .slot = VFS_SLOT_CONSOLE_EP },
		{ .src = TERN_SLOT_CLOCK, .slot = VFS_SLOT_CLOCK },
	};
	struct tern_slot_alloc slots;
	CHECK_EQ(tern_slots_reserve(48, &slots), 0);
	struct tern_spawn_args a = { .image = e.data,
				     .image_size = e.size,
				     .quota = TERN_SLOT_QUOTA,
				     .cnode = TERN_SLOT_CNODE,
				     .cnode_depth = 64,
				     .slots = &slots,
				     .vspace = TERN_SLOT_VSPACE,
				     .priority = TERN_ROOT_PRIORITY,
				     .arg = cpio_len,
				     .arg_cap = ep,
				     .child_quota = quota,
				     .caps = caps,
				     .ncaps = 3 };
	CHECK_EQ(tern_spawn(&a, &task), 0);
	proc_ep = mint(ep, POSIX_BADGE_PROC);
	p1 = mint(ep, 1);
	p2 = mint(ep, 2);
	p3 = mint(ep, 3);
	CHECK(proc_ep && p1 && p2 && p3);
	return 0;
}

/* ---- calls ---- */

static uint64_t msg[TERN_MSG_MAX_WORDS], resp[TERN_MSG_MAX_WORDS];
static unsigned got;

/* A call with fixed words w[0..n) and a payload of strings (each on a
 * word boundary from VFS_PAYLOAD_WORD); the answer in resp. */
static int call(tern_cptr_t to, uint64_t label, const uint64_t *w, unsigned n, const char *s1,
		const char *s2)
{
	unsigned words = n;
	memset(msg, 0, sizeof(msg));
	memcpy(msg, w, n * 8);
	if (s1) {
		size_t off = VFS_PAYLOAD_WORD * 8;
		memcpy((char *)msg + off, s1, strlen(s1));
		off += (strlen(s1) + 7) & ~7ul;
		if (s2) {
			memcpy((char *)msg + off, s2, strlen(s2));
			off += (strlen(s2) + 7) & ~7ul;
		}
		words = (unsigned)(off / 8);
	}
	struct tern_client_msg m = { .label = label,
				     .req = msg,
				     .req_words = words,
				     .resp = resp,
				     .resp_min = 0,
				     .resp_max = TERN_MSG_MAX_WORDS };
	int st = tern_client_transact(to, &m);
	got = m.resp_got;
	return st;
}

static int proc_create(uint64_t pid, uint64_t parent)
{
	uint64_t w[3] = { pid, parent, 0 };
	return call(proc_ep, VFS_PROC_CREATE, w, 3, NULL, NULL);
}

static int64_t vopen(tern_cptr_t who, const char *path, uint64_t flags, uint64_t mode)
{
	uint64_t w[4] = { (uint64_t)POSIX_AT_FDCWD, flags, mode, strlen(path) };
	int st = call(who, VFS_OPEN, w, 4, path, NULL);
	return st ? -(int64_t)st : (int64_t)resp[0];
}

static int64_t vread(tern_cptr_t who, uint64_t fd, char *buf, uint64_t n)
{
	uint64_t w[4] = { fd, n, 0, 0 };
	int st = call(who, VFS_READ, w, 4, NULL, NULL);
	if (st)
		return -(int64_t)st;
	memcpy(buf, &resp[VFS_PAYLOAD_WORD], resp[0]);
	return (int64_t)resp[0];
}

static int64_t vwrite(tern_cptr_t who, uint64_t fd, const char *s)
{
	uint64_t w[4] = { fd, strlen(s), 0, 0 };
	int st = call(who, VFS_WRITE, w, 4, s, NULL);
	return st ? -(int64_t)st : (int64_t)resp[0];
}

static int vclose(tern_cptr_t who, uint64_t fd)
{
	return call(who, VFS_CLOSE, &fd, 1, NULL, NULL);
}

/* ---- cases ---- */

static int test_proc_badge(void)
{
	uint64_t w[3] = { 1, 0, 0 };
	CHECK_EQ(call(p1, VFS_PROC_CREATE, w, 3, NULL, NULL), ST(EPERM));
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0), -ST(EPERM)); /* no such process yet */
	CHECK_EQ(proc_create(1, 0), 0);
	CHECK_EQ(proc_create(1, 0), ST(EEXIST));
	CHECK_EQ(proc_create(5, 99), ST(ESRCH));
	CHECK_EQ(proc_create(0, 0), ST(EINVAL));
	CHECK_EQ(proc_create(POSIX_PID_MAX + 1, 0), ST(EINVAL));
	return 0;
}

static int test_console_fds(void)
{
	uint64_t start = 0;
	CHECK_EQ(call(p1, VFS_FD_ROUTES, &start, 1, NULL, NULL), 0);
	CHECK_EQ(resp[0], 3);
	CHECK_EQ(resp[1], 0);
	const struct vfs_route *r = (const struct vfs_route *)&resp[VFS_PAYLOAD_WORD];
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(r[i].fd, i);
		CHECK_EQ(r[i].route, POSIX_ROUTE_CONSOLE);
		CHECK_EQ(r[i].handle, posix_makedev(5, 1));
		CHECK_EQ(r[i].status_flags & POSIX_O_ACCMODE, POSIX_O_RDWR);
	}
	/* One open, dup'ed: the F_GETFL flags are shared. */
	uint64_t w[3] = { 0, POSIX_F_SETFL, POSIX_O_NONBLOCK };
	CHECK_EQ(call(p1, VFS_FCNTL, w, 3, NULL, NULL), 0);
	w[0] = 2;
	w[1] = POSIX_F_GETFL;
	CHECK_EQ(call(p1, VFS_FCNTL, w, 3, NULL, NULL), 0);
	CHECK(resp[0] & POSIX_O_NONBLOCK);
	w[1] = POSIX_F_SETFL;
	w[2] = 0;
	CHECK_EQ(call(p1, VFS_FCNTL, w, 3, NULL, NULL), 0);
	return 0;
}

static int test_files(void)
{
	char buf[64];
	int64_t fd = vopen(p1, "/lnk", POSIX_O_RDONLY, 0);
	CHECK_EQ(fd, 3);
	CHECK_EQ(vread(p1, 3, buf, 5), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK_EQ(vread(p1, 3, buf, sizeof(buf)), 6);
	CHECK(!memcmp(buf, ", vfs\n", 6));
	CHECK_EQ(vread(p1, 3, buf, sizeof(buf)), 0);
	CHECK_EQ(vwrite(p1, 3, "x"), -ST(EBADF)); /* read-only */
	uint64_t sk[3] = { 3, (uint64_t)-4, POSIX_SEEK_END };
	CHECK_EQ(call(p1, VFS_LSEEK, sk, 3, NULL, NULL), 0);
	CHECK_EQ(resp[0], 7);
	uint64_t fdw = 3;
	CHECK_EQ(call(p1, VFS_FSTAT, &fdw, 1, NULL, NULL), 0);
	const struct posix_stat *st = (const struct posix_stat *)resp;
	CHECK_EQ(st->st_size, 11);
	CHECK_EQ(st->st_mode, 0100644);
	CHECK_EQ(st->st_nlink, 1);
	CHECK_EQ(vclose(p1, 3), 0);
	CHECK_EQ(vclose(p1, 3), ST(EBADF));
	/* Errors of open, as Linux's. */
	CHECK_EQ(vopen(p1, "/nope", POSIX_O_RDONLY, 0), -ST(ENOENT));
	CHECK_EQ(vopen(p1, "/etc/hello/x", POSIX_O_RDONLY, 0), -ST(ENOTDIR));
	CHECK_EQ(vopen(p1, "/etc", POSIX_O_WRONLY, 0), -ST(EISDIR));
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_RDONLY | POSIX_O_DIRECTORY, 0), -ST(ENOTDIR));
	CHECK_EQ(vopen(p1, "/lnk", POSIX_O_RDONLY | POSIX_O_NOFOLLOW, 0), -ST(ELOOP));
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_CREAT | POSIX_O_EXCL | POSIX_O_WRONLY, 0644),
		 -ST(EEXIST));
	/* Create, write, read back through a second open. */
	uint64_t mk[4] = { (uint64_t)POSIX_AT_FDCWD, 0755, 4, 0 };
	CHECK_EQ(call(p1, VFS_MKDIR, mk, 4, "/tmp", NULL), 0);
	CHECK_EQ(call(p1, VFS_MKDIR, mk, 4, "/tmp", NULL), ST(EEXIST));
	fd = vopen(p1, "/tmp/f", POSIX_O_CREAT | POSIX_O_RDWR | POSIX_O_TRUNC, 0666);
	CHECK_EQ(fd, 3);
	CHECK_EQ(vwrite(p1, 3, "abcdef"), 6);
	int64_t fd2 = vopen(p1, "/tmp/f", POSIX_O_RDONLY, 0);
	CHECK_EQ(fd2, 4);
	CHECK_EQ(vread(p1, 4, buf, sizeof(buf)), 6);
	CHECK(!memcmp(buf, "abcdef", 6));
	CHECK_EQ(call(p1, VFS_FSTAT, (uint64_t[]){ 3 }, 1, NULL, NULL), 0);
	CHECK_EQ(((const struct posix_stat *)resp)->st_mode, 0100644); /* 0666 less umask 022 */
	uint64_t pr[4] = { 4, 3, 2, VFS_IO_AT };
	CHECK_EQ(call(p1, VFS_READ, pr, 4, NULL, NULL), 0);
	CHECK_EQ(resp[0], 3);
	CHECK(!memcmp(&resp[VFS_PAYLOAD_WORD], "cde", 3));
	/* Small transfers in the registers (VFS_IO_INLINE). */
	struct tern_msg m = { .info = tern_msginfo(VFS_WRITE, 0, 4),
			      .mr = { 3, 3, 0, VFS_IO_INLINE } };
	memcpy(&m.mr[2], "XYZ", 3);
	CHECK_EQ(tern_call(p1, &m), TERN_EOK);
	CHECK_EQ(tern_msginfo_label(m.info), 0);
	CHECK_EQ(m.mr[0], 3);
	m = (struct tern_msg){ .info = tern_msginfo(VFS_READ, 0, 4),
			       .mr = { 4, 100, 1, VFS_IO_AT | VFS_IO_INLINE } };
	CHECK_EQ(tern_call(p1, &m), TERN_EOK);
	CHECK_EQ(tern_msginfo_label(m.info), 0);
	CHECK_EQ(tern_msginfo_length(m.info), 4);
	CHECK_EQ(m.mr[0], 8); /* at most 24 bytes inline; 8 are there */
	CHECK(!memcmp(&m.mr[1], "bcdefXYZ", 8));
	m = (struct tern_msg){ .info = tern_msginfo(VFS_WRITE, 0, 4),
			       .mr = { 3, 9, 0, VFS_IO_INLINE } };
	CHECK_EQ(tern_call(p1, &m), TERN_EOK);
	CHECK_EQ(tern_msginfo_label(m.info), ST(EINVAL)); /* more than a word */
	CHECK_EQ(vclose(p1, 4), 0);
	CHECK_EQ(vclose(p1, 3), 0);
	/* getdents64 of /: ".", "..", the unpacked names and Linux's rootfs ones. */
	fd = vopen(p1, "/", POSIX_O_RDONLY | POSIX_O_DIRECTORY, 0);
	CHECK_EQ(fd, 3);
	uint64_t gd[2] = { 3, 4096 };
	CHECK_EQ(call(p1, VFS_GETDENTS, gd, 2, NULL, NULL), 0);
	unsigned seen = 0, names = 0;
	const uint8_t *d = (const uint8_t *)&resp[VFS_PAYLOAD_WORD];
	for (size_t off = 0; off < resp[0];) {
		const struct posix_dirent64 *e = (const struct posix_dirent64 *)(d + off);
		if (!strcmp(e->d_name, "bin") || !strcmp(e->d_name, "etc") ||
		    !strcmp(e->d_name, "dev") || !strcmp(e->d_name, "root") ||
		    !strcmp(e->d_name, "lnk") || !strcmp(e->d_name, "tmp"))
			seen++;
		names++;
		off += e->d_reclen;
	}
	CHECK_EQ(seen, 6);
	CHECK_EQ(names, 8);
	CHECK_EQ(call(p1, VFS_GETDENTS, gd, 2, NULL, NULL), 0);
	CHECK_EQ(resp[0], 0); /* the end */
	CHECK_EQ(vclose(p1, 3), 0);
	return 0;
}

static int test_exec_open(void)
{
	uint64_t w[4] = { 1, 8, 0, 0 };
	tern_cptr_t slot = guest_slot();
	CHECK(slot);
	memset(msg, 0, sizeof(msg));
	memcpy(msg, w, sizeof(w));
	memcpy(&msg[VFS_PAYLOAD_WORD], "bin/prog", 8);
	CHECK_EQ(tern_client_call_recv_cap(p1, VFS_EXEC_OPEN, msg, 5, resp, 6, slot), ST(EPERM));
	CHECK_EQ(tern_client_call_recv_cap(proc_ep, VFS_EXEC_OPEN, msg, 5, resp, 6, slot), 0);
	CHECK_EQ(resp[0], sizeof(prog_text) - 1);
	CHECK_EQ(resp[1], 0100755);
	/* The cap: the file's bytes from page 0, read-only. */
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, EXEC_VA, slot, 0, 1,
				 TERN_RIGHT_READ | TERN_RIGHT_WRITE),
		 TERN_EINSUFFICIENT_RIGHTS);
	CHECK_EQ(tern_vspace_map(TERN_SLOT_VSPACE, EXEC_VA, slot, 0, 1, TERN_RIGHT_READ), TERN_EOK);
	CHECK(!memcmp((const void *)EXEC_VA, prog_text, sizeof(prog_text) - 1));
	CHECK_EQ(tern_vspace_unmap(TERN_SLOT_VSPACE, EXEC_VA, 1), TERN_EOK);
	CHECK_EQ(tern_cnode_delete(TERN_SLOT_CNODE, slot, 64), TERN_EOK);
	w[1] = 9;
	memcpy(msg, w, sizeof(w));
	memcpy(&msg[VFS_PAYLOAD_WORD], "etc/hello", 9);
	CHECK_EQ(tern_client_call_recv_cap(proc_ep, VFS_EXEC_OPEN, msg, 6, resp, 6, slot),
		 ST(EACCES)); /* no exec bit */
	memcpy(&msg[VFS_PAYLOAD_WORD], "etc\0\0\0\0\0\0", 9);
	w[1] = 3;
	memcpy(msg, w, sizeof(w));
	CHECK_EQ(tern_client_call_recv_cap(proc_ep, VFS_EXEC_OPEN, msg, 5, resp, 6, slot),
		 ST(EACCES)); /* a directory */
	/* exec: /proc/self/exe is the file exec opened. */
	CHECK_EQ(call(proc_ep, VFS_PROC_EXEC, (uint64_t[]){ 1 }, 1, NULL, NULL), 0);
	uint64_t mk[4] = { (uint64_t)POSIX_AT_FDCWD, 0555, 5, 0 };
	CHECK_EQ(call(p1, VFS_MKDIR, mk, 4, "/proc", NULL), 0);
	uint64_t mo[4] = { 0, VFS_MOUNT_LENS(4, 5, 4), 0, 0 };
	CHECK_EQ(call(p1, VFS_MOUNT, mo, 4, "proc", "/proc"), ST(EINVAL)); /* no third string */
	memset(msg, 0, sizeof(msg));
	memcpy(msg, mo, sizeof(mo));
	memcpy((char *)&msg[4], "proc", 4);
	memcpy((char *)&msg[5], "/proc", 5);
	memcpy((char *)&msg[6], "proc", 4);
	struct tern_client_msg m = {
		.label = VFS_MOUNT, .req = msg, .req_words = 7, .resp = resp, .resp_max = 8
	};
	CHECK_EQ(tern_client_transact(p1, &m), 0);
	uint64_t rl[4] = { (uint64_t)POSIX_AT_FDCWD, 100, 14, 0 };
	CHECK_EQ(call(p1, VFS_READLINK, rl, 4, "/proc/self/exe", NULL), 0);
	CHECK_EQ(resp[0], 9);
	CHECK(!memcmp(&resp[VFS_PAYLOAD_WORD], "/bin/prog", 9));
	rl[2] = 10;
	CHECK_EQ(call(p1, VFS_READLINK, rl, 4, "/proc/self", NULL), 0);
	CHECK(resp[0] == 1 && !memcmp(&resp[VFS_PAYLOAD_WORD], "1", 1));
	return 0;
}

static volatile int64_t reader_got = -1;
static char reader_buf[16];
static tern_cptr_t reader_done;

#define READER_INLINE (1ul << 32)

static void reader(uint64_t arg)
{
	static uint64_t m[4], r[TERN_MSG_MAX_WORDS];
	bool inl = arg & READER_INLINE;
	m[0] = (uint32_t)arg;
	m[1] = sizeof(reader_buf);
	m[3] = inl ? VFS_IO_INLINE : 0;
	struct tern_client_msg c = { .label = VFS_READ,
				     .req = m,
				     .req_words = 4,
				     .resp = r,
				     .resp_max = TERN_MSG_MAX_WORDS };
	int st = tern_client_transact(p1, &c);
	if (st == 0 && inl && c.resp_got != 4)
		st = 1000; /* an inline answer is four words */
	if (st == 0) {
		memcpy(reader_buf, inl ? &r[1] : &r[VFS_PAYLOAD_WORD], r[0]);
		reader_got = (int64_t)r[0];
	} else {
		reader_got = -st;
	}
	tern_signal(reader_done);
}

static int test_pipe(void)
{
	uint64_t flags = 0, bits;
	char buf[16];
	CHECK_EQ(call(p1, VFS_PIPE, &flags, 1, NULL, NULL), 0);
	uint64_t r = resp[0], w = resp[1];
	CHECK_EQ(r, 3);
	CHECK_EQ(w, 4);
	CHECK_EQ(vwrite(p1, w, "abc"), 3);
	uint64_t io[3] = { r, 0x541b, 0 };
	CHECK_EQ(call(p1, VFS_IOCTL, io, 3, NULL, NULL), 0);
	CHECK_EQ(resp[1], 3); /* FIONREAD */
	CHECK_EQ(vread(p1, r, buf, sizeof(buf)), 3);
	CHECK(!memcmp(buf, "abc", 3));
	uint64_t sk[3] = { r, 0, 0 };
	CHECK_EQ(call(p1, VFS_LSEEK, sk, 3, NULL, NULL), ST(ESPIPE));
	/* An empty pipe: the read waits, the server goes on serving. */
	reader_done = guest_create(TERN_CAP_NOTIFICATION, 0);
	CHECK(reader_done);
	CHECK(guest_thread(reader, r | READER_INLINE, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(tern_poll(reader_done, &bits), TERN_EOK);
	CHECK_EQ(bits, 0);
	CHECK_EQ(reader_got, -1);
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0), 5); /* still serving */
	CHECK_EQ(vclose(p1, 5), 0);
	CHECK_EQ(vwrite(p1, w, "wake"), 4); /* answers the waiting read */
	CHECK_EQ(tern_wait(reader_done, &bits), TERN_EOK);
	CHECK_EQ(reader_got, 4);
	CHECK(!memcmp(reader_buf, "wake", 4));
	/* Writer gone: end of file; reader gone: EPIPE. */
	CHECK_EQ(vclose(p1, w), 0);
	CHECK_EQ(vread(p1, r, buf, sizeof(buf)), 0);
	CHECK_EQ(call(p1, VFS_PIPE, &flags, 1, NULL, NULL), 0);
	CHECK_EQ(vclose(p1, resp[0]), 0);
	CHECK_EQ(vwrite(p1, resp[1], "x"), -ST(EPIPE));
	CHECK_EQ(vclose(p1, resp[1]), 0);
	CHECK_EQ(vclose(p1, r), 0);
	/* A waiting read whose fd is closed meanwhile goes on; the writer's
	 * close ends it (EOF) and frees the pipe once (the waiter held its
	 * last file). */
	CHECK_EQ(call(p1, VFS_PIPE, &flags, 1, NULL, NULL), 0);
	r = resp[0];
	w = resp[1];
	reader_got = -1;
	CHECK(guest_thread(reader, r, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(reader_got, -1);
	CHECK_EQ(vclose(p1, r), 0);
	CHECK_EQ(vclose(p1, w), 0);
	CHECK_EQ(tern_wait(reader_done, &bits), TERN_EOK);
	CHECK_EQ(reader_got, 0);
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0), 3); /* still serving */
	CHECK_EQ(vclose(p1, 3), 0);
	/* A FIFO: O_RDWR holds both ends; a write-only opener with no reader
	 * and O_NONBLOCK is ENXIO. */
	uint64_t mk[4] = { (uint64_t)POSIX_AT_FDCWD, 010644, 0, 7 };
	CHECK_EQ(call(p1, VFS_MKNOD, mk, 4, "/tmp/ff", NULL), 0);
	CHECK_EQ(vopen(p1, "/tmp/ff", POSIX_O_WRONLY | POSIX_O_NONBLOCK, 0), -ST(ENXIO));
	CHECK_EQ(vopen(p1, "/tmp/ff", POSIX_O_RDWR, 0), 3);
	CHECK_EQ(vwrite(p1, 3, "ab"), 2);
	CHECK_EQ(vread(p1, 3, buf, sizeof(buf)), 2);
	CHECK(!memcmp(buf, "ab", 2));
	CHECK_EQ(call(p1, VFS_FSTAT, (uint64_t[]){ 3 }, 1, NULL, NULL), 0);
	CHECK_EQ(((const struct posix_stat *)resp)->st_mode, 010644);
	CHECK_EQ(vclose(p1, 3), 0);
	return 0;
}

/* Whether the waiting reader finished, after a few round trips (the
 * server's interrupt thread and loop run meanwhile). */
static int reader_finished(void)
{
	uint64_t bits = 0;

	for (int i = 0; i < 4 && !bits; i++) {
		int64_t fd = vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0);
		if (fd < 0)
			return -1;
		vclose(p1, (uint64_t)fd);
		tern_yield();
		tern_poll(reader_done, &bits);
	}
	return bits != 0;
}

/* A waiting pipe read ended by the client's interrupt cap (what the kernel
 * signals when an upcall comes while the client waits): answered
 * TERN_SERVER_EINTERRUPTED; another process's bit leaves it waiting; a
 * bit that came while nothing of ours waited ends the next wait at once,
 * and a read that need not wait is answered anyway. */
static int test_pipe_interrupted(void)
{
	uint64_t flags = 0;
	tern_cptr_t mine = guest_slot(), other = guest_slot();
	char buf[16];

	CHECK(mine && other);
	CHECK_EQ(tern_client_intr_cap(p1, mine), 0);
	CHECK_EQ(tern_client_intr_cap(p2, other), 0);
	CHECK_EQ(call(p1, VFS_PIPE, &flags, 1, NULL, NULL), 0);
	uint64_t r = resp[0], w = resp[1];
	CHECK_EQ(r, 3);
	reader_got = -1;
	CHECK(guest_thread(reader, r, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(reader_finished(), 0);
	CHECK_EQ(tern_signal(other), TERN_EOK);
	CHECK_EQ(reader_finished(), 0); /* not ours */
	CHECK_EQ(tern_signal(mine), TERN_EOK);
	CHECK_EQ(reader_finished(), 1);
	CHECK_EQ(reader_got, -TERN_SERVER_EINTERRUPTED);
	/* The pipe still works, nothing was taken from it. */
	CHECK_EQ(vwrite(p1, w, "ok"), 2);
	CHECK_EQ(vread(p1, r, buf, sizeof(buf)), 2);
	/* Signalled before the call: data there is read anyway ... */
	CHECK_EQ(tern_signal(mine), TERN_EOK);
	CHECK_EQ(reader_finished(), 0);
	CHECK_EQ(vwrite(p1, w, "ab"), 2);
	CHECK_EQ(vread(p1, r, buf, sizeof(buf)), 2);
	/* ... and a read that would wait ends at once. */
	reader_got = -1;
	CHECK(guest_thread(reader, r, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(reader_finished(), 1);
	CHECK_EQ(reader_got, -TERN_SERVER_EINTERRUPTED);
	/* Once taken, the bit is gone: the next read waits until written. */
	reader_got = -1;
	CHECK(guest_thread(reader, r, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(reader_finished(), 0);
	CHECK_EQ(vwrite(p1, w, "end"), 3);
	CHECK_EQ(reader_finished(), 1);
	CHECK_EQ(reader_got, 3);
	CHECK_EQ(vclose(p1, r), 0);
	CHECK_EQ(vclose(p1, w), 0);
	return 0;
}

/* A thread opening /tmp/fw (flags in arg) as pid 1; reader_got is the fd
 * or minus the status. */
static void fifo_opener(uint64_t arg)
{
	static uint64_t m[TERN_MSG_MAX_WORDS], r[8];
	m[0] = (uint64_t)POSIX_AT_FDCWD;
	m[1] = arg;
	m[2] = 0;
	m[3] = 7;
	memcpy(&m[4], "/tmp/fw", 7);
	struct tern_client_msg c = {
		.label = VFS_OPEN, .req = m, .req_words = 5, .resp = r, .resp_min = 0, .resp_max = 8
	};
	int st = tern_client_transact(p1, &c);
	reader_got = st ? -st : (int64_t)r[0];
	tern_signal(reader_done);
}

/* A FIFO's open waits for the other end (Linux's fifo_open): a reader
 * until a writer opens, a writer until a reader does; O_NONBLOCK readers
 * and O_RDWR never wait; a signal ends the wait and the waiting end no
 * longer counts. */
static int test_fifo_open_waits(void)
{
	tern_cptr_t mine = guest_slot();
	uint64_t mk[4] = { (uint64_t)POSIX_AT_FDCWD, 010644, 0, 7 };

	CHECK(mine);
	CHECK_EQ(tern_client_intr_cap(p1, mine), 0);
	CHECK_EQ(call(p1, VFS_MKNOD, mk, 4, "/tmp/fw", NULL), 0);
	/* A reader waits; the writer's open lets it go. */
	reader_got = -1000;
	CHECK(guest_thread(fifo_opener, POSIX_O_RDONLY, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(reader_finished(), 0);
	int64_t wfd = vopen(p1, "/tmp/fw", POSIX_O_WRONLY, 0);
	CHECK(wfd >= 3);
	CHECK_EQ(reader_finished(), 1);
	int64_t rfd = reader_got;
	CHECK(rfd >= 3 && rfd != wfd);
	CHECK_EQ(vwrite(p1, (uint64_t)wfd, "fi"), 2);
	char buf[8];
	CHECK_EQ(vread(p1, (uint64_t)rfd, buf, sizeof(buf)), 2);
	CHECK_EQ(vclose(p1, (uint64_t)wfd), 0);
	CHECK_EQ(vclose(p1, (uint64_t)rfd), 0);
	/* A writer waits for a reader; an O_NONBLOCK reader releases it. */
	reader_got = -1000;
	CHECK(guest_thread(fifo_opener, POSIX_O_WRONLY, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(reader_finished(), 0);
	rfd = vopen(p1, "/tmp/fw", POSIX_O_RDONLY | POSIX_O_NONBLOCK, 0);
	CHECK(rfd >= 3);
	CHECK_EQ(reader_finished(), 1);
	CHECK(reader_got >= 3);
	CHECK_EQ(vclose(p1, (uint64_t)reader_got), 0);
	CHECK_EQ(vclose(p1, (uint64_t)rfd), 0);
	/* A signal ends a waiting reader's open; it no longer counts, so a
	 * non-blocking writer finds no reader. */
	reader_got = -1000;
	CHECK(guest_thread(fifo_opener, POSIX_O_RDONLY, TERN_ROOT_PRIORITY + 10));
	CHECK_EQ(reader_finished(), 0);
	CHECK_EQ(tern_signal(mine), TERN_EOK);
	CHECK_EQ(reader_finished(), 1);
	CHECK_EQ(reader_got, -TERN_SERVER_EINTERRUPTED);
	CHECK_EQ(vopen(p1, "/tmp/fw", POSIX_O_WRONLY | POSIX_O_NONBLOCK, 0), -ST(ENXIO));
	return 0;
}

static int test_fork_exec_exit(void)
{
	char buf[8];
	int64_t fd = vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0);
	CHECK_EQ(fd, 3);
	int64_t cfd = vopen(p1, "/etc/hello", POSIX_O_RDONLY | POSIX_O_CLOEXEC, 0);
	CHECK_EQ(cfd, 4);
	CHECK_EQ(proc_create(2, 1), 0);
	/* The child's fd 3 is the same description: one offset. */
	CHECK_EQ(vread(p2, 3, buf, 2), 2);
	CHECK_EQ(vread(p1, 3, buf, 3), 3);
	CHECK(!memcmp(buf, "llo", 3));
	/* exec closes the close-on-exec fd in the child only. */
	CHECK_EQ(call(proc_ep, VFS_PROC_EXEC, (uint64_t[]){ 2 }, 1, NULL, NULL), 0);
	CHECK_EQ(vread(p2, 4, buf, 1), -ST(EBADF));
	CHECK_EQ(vread(p1, 4, buf, 1), 1);
	CHECK_EQ(call(proc_ep, VFS_PROC_EXIT, (uint64_t[]){ 2 }, 1, NULL, NULL), 0);
	CHECK_EQ(vread(p2, 3, buf, 1), -ST(EPERM)); /* gone */
	CHECK_EQ(vread(p1, 3, buf, 1), 1);	    /* the description lives on in the parent */
	CHECK_EQ(vclose(p1, 3), 0);
	CHECK_EQ(vclose(p1, 4), 0);
	/* RLIMIT_NOFILE: EMFILE at the limit. */
	CHECK_EQ(call(proc_ep, VFS_PROC_RLIMIT, (uint64_t[]){ 1, 4 }, 2, NULL, NULL), 0);
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0), 3);
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0), -ST(EMFILE));
	CHECK_EQ(call(proc_ep, VFS_PROC_RLIMIT, (uint64_t[]){ 1, 1024 }, 2, NULL, NULL), 0);
	CHECK_EQ(vclose(p1, 3), 0);
	return 0;
}

static int test_hostile(void)
{
	uint64_t w[4] = { (uint64_t)POSIX_AT_FDCWD, 0, 0, 4 };
	/* Shorter than the struct; a length the message does not hold; a
	 * length beyond PATH_MAX; a NUL inside; an unknown label. */
	CHECK_EQ(call(p1, VFS_OPEN, w, 2, NULL, NULL), TERN_SERVER_EMSGSIZE);
	CHECK_EQ(call(p1, VFS_OPEN, w, 4, NULL, NULL), ST(EINVAL));
	w[3] = 1ul << 40;
	CHECK_EQ(call(p1, VFS_OPEN, w, 4, "/etc", NULL), ST(ENAMETOOLONG));
	w[3] = 4000;
	CHECK_EQ(call(p1, VFS_OPEN, w, 4, "/etc", NULL), ST(EINVAL));
	w[3] = 5;
	CHECK_EQ(call(p1, VFS_OPEN, w, 4, "/et", NULL), ST(EINVAL)); /* "/et\0\0" */
	CHECK_EQ(call(p1, 999, w, 4, NULL, NULL), TERN_SERVER_ENOLABEL);
	/* Bad fds, counts and whence. */
	uint64_t rd[4] = { 1ul << 40, 10, 0, 0 };
	CHECK_EQ(call(p1, VFS_READ, rd, 4, NULL, NULL), ST(EBADF));
	rd[0] = (uint64_t)-1;
	CHECK_EQ(call(p1, VFS_READ, rd, 4, NULL, NULL), ST(EBADF));
	int64_t fd = vopen(p1, "/etc/hello", POSIX_O_RDWR, 0);
	CHECK_EQ(fd, 3);
	rd[0] = 3;
	rd[1] = 1ul << 62; /* clamped to one message */
	CHECK_EQ(call(p1, VFS_READ, rd, 4, NULL, NULL), 0);
	CHECK_EQ(resp[0], 11);
	rd[3] = 0x80;
	CHECK_EQ(call(p1, VFS_READ, rd, 4, NULL, NULL), ST(EINVAL)); /* unknown flag */
	uint64_t wr[4] = { 3, 100, 0, 0 };
	CHECK_EQ(call(p1, VFS_WRITE, wr, 4, "short", NULL), ST(EINVAL)); /* 100 bytes claimed */
	uint64_t sk[3] = { 3, 0, 7 };
	CHECK_EQ(call(p1, VFS_LSEEK, sk, 3, NULL, NULL), ST(EINVAL));
	sk[1] = (uint64_t)-100;
	sk[2] = POSIX_SEEK_SET;
	CHECK_EQ(call(p1, VFS_LSEEK, sk, 3, NULL, NULL), ST(EINVAL));
	uint64_t du[4] = { 3, 1ul << 40, VFS_DUP_AT, 0 };
	CHECK_EQ(call(p1, VFS_DUP, du, 4, NULL, NULL), ST(EBADF));
	du[2] = 77;
	CHECK_EQ(call(p1, VFS_DUP, du, 4, NULL, NULL), ST(EINVAL));
	uint64_t rn[4] = { (uint64_t)POSIX_AT_FDCWD, (uint64_t)POSIX_AT_FDCWD, 0,
			   VFS_LENS(3000, 3000) };
	CHECK_EQ(call(p1, VFS_RENAME, rn, 4, "a", "b"), ST(EINVAL));
	/* A process that does not exist, a badge that is no pid. */
	CHECK_EQ(vopen(p3, "/etc/hello", POSIX_O_RDONLY, 0), -ST(EPERM));
	CHECK_EQ(call(proc_ep, VFS_OPEN, w, 4, "/etc", NULL), ST(EPERM));
	CHECK_EQ(call(proc_ep, VFS_PROC_EXIT, (uint64_t[]){ 77 }, 1, NULL, NULL), ST(ESRCH));
	CHECK_EQ(vclose(p1, 3), 0);
	CHECK_EQ(vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0), 3); /* still serving */
	CHECK_EQ(vclose(p1, 3), 0);
	return 0;
}

/* A raw Call as libposix makes it (message words in registers). */
static uint64_t raw_call(tern_cptr_t to, uint64_t label, uint64_t a, uint64_t b, uint64_t c,
			 uint64_t d)
{
	struct tern_msg m = { .info = tern_msginfo(label, 0, 4), .mr = { a, b, c, d } };
	tern_call(to, &m);
	return tern_msginfo_label(m.info);
}

#define BENCH_ITERS 2000

/* The server's share of the data path: Call, dispatch, handler, reply
 * (BENCH lines; in icount mode the figures are guest instructions). */
static int test_bench(void)
{
	uint64_t mk[4] = { (uint64_t)POSIX_AT_FDCWD, 020666, posix_makedev(1, 3), 9 };
	CHECK_EQ(call(p1, VFS_MKNOD, mk, 4, "/dev/null", NULL), 0);
	int64_t fd = vopen(p1, "/dev/null", POSIX_O_RDWR, 0);
	CHECK_EQ(fd, 3);
	CHECK_EQ(raw_call(p1, VFS_READ, 3, 1, 0, 0), 0);
	/* A buffer libposix could not read: /dev/null takes it (Linux's
	 * write_null never reads it), a file says EFAULT. */
	struct tern_msg m = { .info = tern_msginfo(VFS_WRITE, 0, 4),
			      .mr = { 3, 10, 0, VFS_IO_NODATA } };
	CHECK_EQ(tern_call(p1, &m), TERN_EOK);
	CHECK_EQ(tern_msginfo_label(m.info), 0);
	CHECK_EQ(m.mr[0], 10);
	int64_t tf = vopen(p1, "/tmp/f", POSIX_O_RDWR, 0);
	CHECK_EQ(tf, 4);
	CHECK_EQ(raw_call(p1, VFS_WRITE, 4, 10, 0, VFS_IO_NODATA), ST(EFAULT));
	CHECK_EQ(vclose(p1, 4), 0);
	uint64_t t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++)
		raw_call(p1, 999, 3, 1, 0, 0); /* the loop's own answer: IPC and runtime */
	guest_bench_report("vfs_unknown_label", guest_rdtsc() - t0, BENCH_ITERS);
	t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++)
		raw_call(p1, VFS_READ, 3, 1, 0, 0);
	guest_bench_report("vfs_read_null", guest_rdtsc() - t0, BENCH_ITERS);
	t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++)
		raw_call(p1, VFS_WRITE, 3, 0, 0, 0);
	guest_bench_report("vfs_write_null_empty", guest_rdtsc() - t0, BENCH_ITERS);
	int64_t f = vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0);
	CHECK_EQ(f, 4);
	t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++)
		raw_call(p1, VFS_LSEEK, 4, 0, POSIX_SEEK_SET, 0);
	guest_bench_report("vfs_lseek", guest_rdtsc() - t0, BENCH_ITERS);
	t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++)
		raw_call(p1, VFS_FSTAT, 4, 0, 0, 0);
	guest_bench_report("vfs_fstat", guest_rdtsc() - t0, BENCH_ITERS);
	t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++)
		raw_call(p1, VFS_READ, 4, 1, 0, VFS_IO_AT);
	guest_bench_report("vfs_pread_1", guest_rdtsc() - t0, BENCH_ITERS);
	uint64_t sw[4] = { (uint64_t)POSIX_AT_FDCWD, 0, 10, 0 };
	t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++)
		call(p1, VFS_STAT, sw, 4, "/etc/hello", NULL);
	guest_bench_report("vfs_stat", guest_rdtsc() - t0, BENCH_ITERS);
	t0 = guest_rdtsc();
	for (int i = 0; i < BENCH_ITERS; i++) {
		vopen(p1, "/etc/hello", POSIX_O_RDONLY, 0);
		raw_call(p1, VFS_CLOSE, 5, 0, 0, 0);
	}
	guest_bench_report("vfs_open_close", guest_rdtsc() - t0, BENCH_ITERS);
	CHECK_EQ(vclose(p1, 4), 0);
	CHECK_EQ(vclose(p1, 3), 0);
	return 0;
}

/* A path's head sent ahead joins the next call's walk, and only that. */
static int test_path_prefix(void)
{
	uint64_t pw[4] = { 3, 0, 0, 0 };
	CHECK_EQ(call(p1, VFS_PATH_PREFIX, pw, 4, "/et", NULL), 0);
	CHECK_EQ(vopen(p1, "c/hello", POSIX_O_RDONLY, 0), 3);
	CHECK_EQ(vclose(p1, 3), 0);
	CHECK_EQ(vopen(p1, "c/hello", POSIX_O_RDONLY, 0), -ST(ENOENT)); /* consumed */
	CHECK_EQ(call(p1, VFS_PATH_PREFIX, pw, 4, "/et", NULL), 0);
	CHECK_EQ(call(p1, VFS_UMASK, (uint64_t[]){ 022 }, 1, NULL, NULL), 0); /* drops it */
	CHECK_EQ(vopen(p1, "c/hello", POSIX_O_RDONLY, 0), -ST(ENOENT));
	CHECK_EQ(call(p1, VFS_PATH_PREFIX, pw, 4, "/et", NULL), 0);
	pw[0] = 0;
	CHECK_EQ(call(p1, VFS_PATH_PREFIX, pw, 4, NULL, NULL), 0); /* dropped explicitly */
	CHECK_EQ(vopen(p1, "c/hello", POSIX_O_RDONLY, 0), -ST(ENOENT));
	/* Heads beyond PATH_MAX in all. */
	static char big[3400];
	memset(big, 'a', sizeof(big) - 1);
	pw[0] = sizeof(big) - 1;
	CHECK_EQ(call(p1, VFS_PATH_PREFIX, pw, 4, big, NULL), 0);
	CHECK_EQ(call(p1, VFS_PATH_PREFIX, pw, 4, big, NULL), ST(ENAMETOOLONG));
	CHECK_EQ(vopen(p1, "x", POSIX_O_RDONLY, 0), -ST(ENAMETOOLONG)); /* a 255+ component */
	return 0;
}

static uint64_t vfs_used(void)
{
	uint64_t used = 0, limit;
	tern_quota_query(vfs_quota, &used, &limit);
	return used;
}

/*
 * Hole: each file's first byte faulted in a 2 MiB page (its window was
 * mapped whole, so the kernel's huge-page rule applied), and a few dozen
 * small files ran vfs out of its quota. 400 one-byte files must cost
 * about a page each, and give it back when removed.
 */
static int test_many_small_files(void)
{
	char path[32];
	uint64_t before = vfs_used();
	for (int i = 0; i < 400; i++) {
		format(path, sizeof(path), "/tmp/s%d", i);
		int64_t fd = vopen(p1, path, POSIX_O_CREAT | POSIX_O_WRONLY, 0644);
		CHECK_EQ(fd, 3);
		CHECK_EQ(vwrite(p1, 3, "x"), 1);
		CHECK_EQ(vclose(p1, 3), 0);
	}
	uint64_t grown = vfs_used() - before;
	tern_printf("GUEST vfs: 400 one-byte files cost %lu KiB\n", (unsigned long)(grown >> 10));
	CHECK(grown < 400 * 32768ul);
	for (int i = 0; i < 400; i++) {
		format(path, sizeof(path), "/tmp/s%d", i);
		uint64_t w[4] = { (uint64_t)POSIX_AT_FDCWD, 0, strlen(path), 0 };
		CHECK_EQ(call(p1, VFS_UNLINK, w, 4, path, NULL), 0);
	}
	CHECK(vfs_used() - before < grown / 2);
	return 0;
}

static const struct guest_case cases[] = {
	{ "start", test_start },
	{ "proc_badge", test_proc_badge },
	{ "console_fds", test_console_fds },
	{ "files", test_files },
	{ "exec_open", test_exec_open },
	{ "pipe", test_pipe },
	{ "pipe_interrupted", test_pipe_interrupted },
	{ "fifo_open_waits", test_fifo_open_waits },
	{ "fork_exec_exit", test_fork_exec_exit },
	{ "hostile", test_hostile },
	{ "path_prefix", test_path_prefix },
	{ "many_small_files", test_many_small_files },
	{ "bench", test_bench },
};

int main(uint64_t arg, uint64_t self)
{
	(void)arg;
	(void)self;
	guest_run("vfs", cases, sizeof(cases) / sizeof(cases[0]));
}
