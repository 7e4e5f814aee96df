/* What BusyBox's testsuite needs of chroot(2) and mount(2) (mdev's tests
 * run mdev in a chroot; BusyBox's mount passes MS_SILENT): run as /init
 * on Debian's Linux and on tern from the same archive, outputs compared
 * (no host run: both calls change the machine). */
#include "contract.h"
#include <sys/statfs.h>

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return (int)n;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	TRUE(fd >= 0);
	VAL(write(fd, text, strlen(text)), (long)strlen(text));
	VAL(close(fd), 0);
}

int main(void)
{
	char buf[256];
	struct stat a, b;
	int st;
	contract_begin("chroot_mount");

	/* MS_SILENT only quiets the kernel's log. */
	VAL(mkdir("/mnt1", 0755), 0);
	VAL(mount("tmpfs", "/mnt1", "tmpfs", MS_SILENT, NULL), 0);
	VAL(stat("/", &a), 0);
	VAL(stat("/mnt1", &b), 0);
	TRUE(a.st_dev != b.st_dev);
	write_file("/mnt1/f", "x");
	VAL(umount("/mnt1"), 0);
	ERR(access("/mnt1/f", F_OK), ENOENT);
	ERR(mount("tmpfs", "/mnt1", "nosuchfs", MS_SILENT, NULL), ENODEV);

	VAL(mkdir("/jail", 0755), 0);
	VAL(mkdir("/jail/sub", 0755), 0);
	write_file("/jail/marker", "in\n");
	write_file("/marker", "out\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		ERR(chroot("/marker"), ENOTDIR);
		ERR(chroot("/nosuchdir"), ENOENT);
		VAL(chroot("/jail"), 0);
		/* The cwd stays where it was: outside the new root. */
		long n = syscall(SYS_getcwd, buf, sizeof(buf));
		TRUE(n > 0);
		printf("getcwd after chroot: %s\n", n > 0 ? buf : "?");
		VAL(read_file("/marker", buf, sizeof(buf)), 3);
		printf("/marker: %s", buf);
		VAL(read_file("/../../marker", buf, sizeof(buf)), 3);
		VAL(chdir("/sub"), 0);
		VAL(chdir("../.."), 0);
		n = syscall(SYS_getcwd, buf, sizeof(buf));
		printf("getcwd after chdir ../..: %s\n", n > 0 ? buf : "?");
		VAL(read_file("marker", buf, sizeof(buf)), 3);
		/* An absolute symlink resolves in the new root. */
		VAL(symlink("/marker", "/sub/link"), 0);
		VAL(read_file("/sub/link", buf, sizeof(buf)), 3);
		printf("/sub/link: %s", buf);
		/* A child inherits the root. */
		fflush(stdout);
		pid_t g = fork();
		if (g == 0)
			_exit(read_file("/marker", buf, sizeof(buf)) == 3 && buf[0] == 'i' ? 0 : 1);
		TRUE(waitpid(g, &st, 0) == g && WIFEXITED(st) && WEXITSTATUS(st) == 0);
		fflush(stdout);
		_exit(contract_failures ? 1 : 0);
	}
	/* Nothing printed before the child is done (the order would vary). */
	pid_t waited = pid > 0 ? waitpid(pid, &st, 0) : -1;
	TRUE(pid > 0);
	TRUE(waited == pid);
	TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	VAL(read_file("/marker", buf, sizeof(buf)), 4);
	printf("/marker outside: %s", buf);
	return contract_end();
}
