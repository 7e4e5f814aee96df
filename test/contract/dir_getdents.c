/* getdents64 over a directory of 302 names, read through a small
 * buffer (many calls): every name once, "." and "..", d_type, record
 * lengths, the end, a rewind, and the errors. */
#include "contract.h"
#include <dirent.h>

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define FILES 300

static long sys_getdents64(int fd, void *buf, size_t len)
{
	return syscall(SYS_getdents64, fd, buf, len);
}

/* Reads the whole directory; returns the number of entries, fills seen. */
static int read_all(int fd, unsigned char *seen, int *dots, int *bad, int *calls)
{
	_Alignas(8) char buf[1024];
	int n = 0;
	*dots = *bad = *calls = 0;
	for (;;) {
		long got = sys_getdents64(fd, buf, sizeof(buf));
		if (got < 0) {
			(*bad)++;
			return n;
		}
		if (got == 0)
			return n;
		(*calls)++;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			size_t len = strlen(d->d_name);
			if (d->d_reclen % 8 || d->d_reclen < 19 + len + 1 ||
			    off + d->d_reclen > got)
				(*bad)++;
			int i;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) {
				(*dots)++;
				if (d->d_type != DT_DIR)
					(*bad)++;
			} else if (!strcmp(d->d_name, "sub")) {
				seen[FILES]++;
				if (d->d_type != DT_DIR)
					(*bad)++;
			} else if (!strcmp(d->d_name, "link")) {
				seen[FILES + 1]++;
				if (d->d_type != DT_LNK)
					(*bad)++;
			} else if (sscanf(d->d_name, "f%03d", &i) == 1 && i >= 0 && i < FILES) {
				seen[i]++;
				if (d->d_type != DT_REG)
					(*bad)++;
			} else {
				(*bad)++;
			}
			if (d->d_ino == 0)
				(*bad)++;
			n++;
			off += d->d_reclen;
		}
	}
}

static int all_once(const unsigned char *seen)
{
	for (int i = 0; i < FILES + 2; i++)
		if (seen[i] != 1)
			return 0;
	return 1;
}

int main(void)
{
	char name[32];
	unsigned char seen[FILES + 2];
	int dots, bad, calls;
	contract_begin("dir_getdents");

	VAL(mkdir("big", 0755), 0);
	int made = 0;
	for (int i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "big/f%03d", i);
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		made += fd >= 0 && close(fd) == 0;
	}
	VAL(made, FILES);
	VAL(mkdir("big/sub", 0755), 0);
	VAL(symlink("f000", "big/link"), 0);

	int fd = VAL(open("big", O_RDONLY | O_DIRECTORY), 3);
	memset(seen, 0, sizeof(seen));
	VAL(read_all(fd, seen, &dots, &bad, &calls), FILES + 4);
	VAL(dots, 2);
	VAL(bad, 0);
	TRUE(all_once(seen));
	TRUE(calls > 5); /* 1 KiB holds about 40 entries */
	_Alignas(8) char buf[512];
	VAL(sys_getdents64(fd, buf, sizeof(buf)), 0); /* still at the end */

	/* A rewind reads it all again. */
	VAL(lseek(fd, 0, SEEK_SET), 0);
	memset(seen, 0, sizeof(seen));
	VAL(read_all(fd, seen, &dots, &bad, &calls), FILES + 4);
	TRUE(all_once(seen) && dots == 2 && bad == 0);

	/* Removed entries are gone from a fresh read. */
	int removed = 0;
	for (int i = 0; i < FILES; i += 2) {
		snprintf(name, sizeof(name), "big/f%03d", i);
		removed += unlink(name) == 0;
	}
	VAL(removed, FILES / 2);
	VAL(lseek(fd, 0, SEEK_SET), 0);
	memset(seen, 0, sizeof(seen));
	VAL(read_all(fd, seen, &dots, &bad, &calls), FILES / 2 + 4);
	int odd_only = 1;
	for (int i = 0; i < FILES; i++)
		odd_only &= seen[i] == (i % 2);
	TRUE(odd_only);

	/* Errors: a buffer too small for one entry, a file, a bad fd. */
	VAL(lseek(fd, 0, SEEK_SET), 0);
	ERR(sys_getdents64(fd, buf, 10), EINVAL);
	VAL(close(fd), 0);
	ERR(sys_getdents64(fd, buf, sizeof(buf)), EBADF);
	fd = VAL(open("big/f001", O_RDONLY), 3);
	ERR(sys_getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	VAL(close(fd), 0);

	/* An empty directory has "." and ".." only. */
	VAL(mkdir("empty", 0755), 0);
	fd = VAL(open("empty", O_RDONLY | O_DIRECTORY), 3);
	memset(seen, 0, sizeof(seen));
	VAL(read_all(fd, seen, &dots, &bad, &calls), 2);
	VAL(dots, 2);
	VAL(close(fd), 0);
	return contract_end();
}
