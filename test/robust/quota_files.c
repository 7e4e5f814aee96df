/* vfs's quota comes back exactly (docs/personality.md "vfs", "What vfs's
 * quota holds"): files mmapped and exec'd, then removed; pipes full of
 * data; /proc texts held open. A warm-up round first takes vfs's small
 * heap to its mark; after each further round of the same work the quota
 * (/proc/meminfo's MemTotal - MemFree) must be what it was before it.
 * The pages of a removed file that is still mapped stay readable (in the
 * process, in a running program whose binary was
 * removed) and stay charged until the last mapping goes. Pipe rings
 * and /proc texts give their pages back at once, the first time too. tern only: the
 * host's /proc/meminfo is the whole machine's.
 *
 * "--child R W" is the exec'd copy: it tells the parent it runs, waits
 * until its binary was removed, then runs (its text must still be
 * there) and exits 7. */
#include "robust.h"
#include <sys/mman.h>

#define FILES 200
#define FILE_BYTES 8192
#define PIPES 64
#define TEXTS 48
#define BINS 12

static long quota_kib(void)
{
	char buf[1024];
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *t = strstr(buf, "MemTotal:"), *f = strstr(buf, "MemFree:");
	if (!t || !f)
		return -1;
	return strtol(t + 9, NULL, 10) - strtol(f + 8, NULL, 10);
}

static int fail_quiet(const char *what, int i)
{
	printf("FAIL: %s (%d, errno %s)\n", what, i, errno_name(errno));
	return 1;
}

/* 200 files written, mapped shared, removed and closed, read through the
 * mapping, unmapped. */
static int files_round(void)
{
	static char buf[FILE_BYTES];
	char name[32];

	for (int i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "/qf/f%d", i);
		memset(buf, 'a' + i % 26, sizeof(buf));
		int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf))
			return fail_quiet("write a file", i);
		char *m = mmap(NULL, FILE_BYTES, PROT_READ, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			return fail_quiet("mmap", i);
		if (unlink(name) || close(fd))
			return fail_quiet("unlink, close", i);
		if (m[0] != 'a' + i % 26 || m[FILE_BYTES - 1] != 'a' + i % 26)
			return fail_quiet("the removed file's pages read back", i);
		if (munmap(m, FILE_BYTES))
			return fail_quiet("munmap", i);
	}
	return 0;
}

/* A copy of this program exec'd, removed while it runs. */
static int bins_round(const char *self)
{
	static char image[1 << 20];
	char name[32];
	int in = open(self, O_RDONLY);
	long len = in < 0 ? -1 : read(in, image, sizeof(image));

	if (in >= 0)
		close(in);
	if (len <= 0 || len == sizeof(image))
		return fail_quiet("read /init", 0);
	for (int i = 0; i < BINS; i++) {
		int go[2], ready[2], st;
		char c;
		snprintf(name, sizeof(name), "/qf/bin%d", i);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0755);
		if (fd < 0 || write(fd, image, (size_t)len) != len || close(fd))
			return fail_quiet("write a binary", i);
		if (pipe(go) || pipe(ready))
			return fail_quiet("pipe", i);
		pid_t pid = fork();
		if (pid == 0) {
			char r[16], w[16];
			snprintf(r, sizeof(r), "%d", go[0]);
			snprintf(w, sizeof(w), "%d", ready[1]);
			char *av[] = { name, "--child", r, w, NULL };
			execve(name, av, av + 4);
			_exit(99);
		}
		close(go[0]);
		close(ready[1]);
		if (pid < 0 || read(ready[0], &c, 1) != 1)
			return fail_quiet("the copy starts", i);
		if (unlink(name) || write(go[1], "g", 1) != 1)
			return fail_quiet("unlink the running binary", i);
		close(go[1]);
		close(ready[0]);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 7)
			return fail_quiet("the removed binary runs on and exits 7", i);
	}
	return 0;
}

/* Pipes with 64 KiB in them, then /proc texts held open. */
static int pipes_round(void)
{
	static char buf[65536];
	int p[PIPES][2], t[TEXTS];

	for (int i = 0; i < PIPES; i++) {
		if (pipe2(p[i], O_NONBLOCK) || write(p[i][1], buf, sizeof(buf)) != sizeof(buf))
			return fail_quiet("fill a pipe", i);
	}
	for (int i = 0; i < TEXTS; i++)
		if ((t[i] = open(i % 2 ? "/proc/self/stat" : "/proc/meminfo", O_RDONLY)) < 0)
			return fail_quiet("open a /proc text", i);
	for (int i = 0; i < PIPES; i++)
		if (close(p[i][0]) || close(p[i][1]))
			return fail_quiet("close a pipe", i);
	for (int i = 0; i < TEXTS; i++)
		close(t[i]);
	return 0;
}

static int round_run(const char *self)
{
	return files_round() || bins_round(self) || pipes_round();
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--child")) {
		char c;
		if (write(atoi(argv[3]), "r", 1) != 1 || read(atoi(argv[2]), &c, 1) != 1)
			_exit(1);
		_exit(strlen(argv[1]) == 7 ? 7 : 2); /* code from the removed binary's text */
	}
	contract_begin("quota_files");
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	VAL(mkdir("/qf", 0755), 0);
	long q0 = quota_kib();
	TRUE(q0 > 0);
	/* Pipe rings and /proc texts (4.4 MiB at once) go back at once,
	 * even the first time: what stays is the small heap's share (the
	 * pipes', files' and inodes' structs: about 30 kB). */
	VAL(pipes_round(), 0);
	long q1 = quota_kib();
	TRUE(q1 - q0 < 64);
	fprintf(stderr, "first pipes: vfs quota used %ld kB before, %ld kB after\n", q0, q1);
	VAL(round_run(argv[0]), 0); /* warm-up: vfs's heap reaches its mark */
	long before = quota_kib();
	long peak = 0;
	for (int r = 1; r <= 3; r++) {
		VAL(round_run(argv[0]), 0);
		long after = quota_kib();
		printf("round %d: vfs quota %s\n", r, after == before ? "back" : "NOT back");
		fprintf(stderr, "round %d: vfs quota used %ld kB before, %ld kB after\n", r, before,
			after);
		if (after - before > peak)
			peak = after - before;
	}
	TRUE(peak == 0);
	/* A mapping of a removed file holds its pages until munmap. */
	static char buf[1 << 18];
	memset(buf, 'z', sizeof(buf));
	int fd = open("/qf/held", O_RDWR | O_CREAT | O_TRUNC, 0644);
	VAL(write(fd, buf, sizeof(buf)), (long)sizeof(buf));
	char *m = mmap(NULL, sizeof(buf), PROT_READ, MAP_SHARED, fd, 0);
	TRUE(m != MAP_FAILED);
	VAL(unlink("/qf/held"), 0);
	VAL(close(fd), 0);
	long held = quota_kib();
	TRUE(held >= before + (long)sizeof(buf) / 1024);
	TRUE(m[sizeof(buf) - 1] == 'z');
	VAL(munmap(m, sizeof(buf)), 0);
	long gone = quota_kib();
	TRUE(gone == before);
	fprintf(stderr, "held mapping: %ld kB while mapped, %ld kB after munmap (%ld before)\n",
		held, gone, before);
	VAL(rmdir("/qf"), 0);
	return contract_end();
}
