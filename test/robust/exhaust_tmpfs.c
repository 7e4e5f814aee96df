/* Filling the tmpfs: writes end with ENOSPC (a short write first, then
 * -1 ENOSPC, as Linux's generic_perform_write), statfs says no block is
 * free, every server keeps answering, and unlinking the file gives the
 * room back (the same amount fits again). Also: ftruncate growing a file
 * costs no room (a hole), and a second process filling it meets the same
 * end. tern only: the host's folder is not a tmpfs of a known size. */
#include "robust.h"
#include <sys/statfs.h>

#define CHUNK (1 << 20)

static long fill(const char *name, int *err)
{
	static char buf[CHUNK];
	long total = 0, r;
	memset(buf, 'x', sizeof(buf));
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	while ((r = write(fd, buf, sizeof(buf))) == CHUNK)
		total += r;
	if (r > 0) { /* the short write: the next one fails */
		total += r;
		r = write(fd, buf, sizeof(buf));
	}
	*err = r < 0 ? errno : 0;
	close(fd);
	return total;
}

int main(void)
{
	struct statfs sf;
	int err = 0;
	contract_begin("exhaust_tmpfs");

	VAL(statfs(".", &sf), 0);
	unsigned long total_blocks = sf.f_blocks, free0 = sf.f_bfree;
	TRUE(total_blocks > 0 && free0 > 0 && free0 <= total_blocks);
	long a = fill("big1", &err);
	printf("fill big1: %s\n", errno_name(err));
	TRUE(err == ENOSPC);
	TRUE(a > 0 && (unsigned long)a / 4096 + 64 >= free0);
	VAL(statfs(".", &sf), 0);
	VAL((long)sf.f_bfree, 0);
	/* Full: a new file's first byte, a second process's write. */
	int fd = open("small", O_CREAT | O_WRONLY, 0644);
	TRUE(fd >= 0);
	ERR(write(fd, "abcd", 4), ENOSPC);
	/* A hole costs nothing. */
	VAL(ftruncate(fd, 1 << 20), 0);
	VAL(close(fd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int e = 0;
		fill("big2", &e);
		_exit(e == ENOSPC ? 0 : 1);
	}
	int st;
	TRUE(waitpid(pid, &st, 0) == pid);
	VAL(WIFEXITED(st) ? WEXITSTATUS(st) : 100, 0);
	/* Every server answers meanwhile. */
	int p[2];
	char c;
	VAL(pipe(p), 0);
	VAL(write(p[1], "p", 1), 1);
	VAL(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	VAL(unlink("big1"), 0);
	VAL(unlink("big2"), 0);
	VAL(unlink("small"), 0);
	VAL(statfs(".", &sf), 0);
	printf("room back after unlink: %s\n", sf.f_bfree + 64 >= free0 ? "yes" : "no");
	TRUE(sf.f_bfree + 64 >= free0);
	long b = fill("big1", &err);
	VAL(err, ENOSPC);
	printf("the same again: %s\n", b + 64 * 4096 >= a && a + 64 * 4096 >= b ? "yes" : "no");
	TRUE(b + 64 * 4096 >= a && a + 64 * 4096 >= b);
	VAL(unlink("big1"), 0);

	/* Files that were exec'd give their pages back once gone and no
	 * longer mapped (vfs frees the MemObj when nobody maps it), and so
	 * their charge: 40 rounds of write 4 MiB, exec (ENOEXEC), unlink,
	 * more than the limit holds, all fit, and the room is back after. */
	static char junk[4 << 20];
	memset(junk, '#', sizeof(junk));
	int rounds = 0, werr = 0;
	for (; rounds < 40; rounds++) {
		fd = open("junk", O_CREAT | O_WRONLY | O_TRUNC, 0755);
		long w = fd < 0 ? -1 : write(fd, junk, sizeof(junk));
		werr = w < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		if (w != (long)sizeof(junk))
			break;
		pid_t c = fork();
		if (c == 0) {
			char *av[] = { "./junk", NULL };
			execve("./junk", av, av + 1);
			_exit(errno);
		}
		if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != ENOEXEC)
			break;
		unlink("junk");
	}
	TRUE(rounds == 40 && werr == 0);
	TRUE((unsigned long)40 * sizeof(junk) / 4096 > total_blocks);
	VAL(statfs(".", &sf), 0);
	TRUE(sf.f_bfree == free0);
	VAL(pipe(p), 0);
	VAL(write(p[1], "q", 1), 1);
	VAL(read(p[0], &c, 1), 1);
	TRUE(unlink("junk") == 0 || errno == ENOENT);
	fprintf(stderr, "tmpfs: %lu blocks, %lu free at the start, %ld bytes fit\n", total_blocks,
		free0, a);
	return contract_end();
}
