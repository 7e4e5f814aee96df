/* A mount on a directory of a lazily unmounted tree, reached from a cwd
 * inside it, is EINVAL (Linux's do_add_mount: a parent not in the
 * namespace); the tree is freed when the last process inside leaves, and
 * vfs serves on. Found by robust.fuzz at 10^6 calls: the mount was made,
 * and the tree's destruction freed the mountpoint under it (vfs died in
 * a free at exit). Tern only: the host run would mount on the host. */
#include "robust.h"
#include <sys/mount.h>
#include <sys/stat.h>

int main(void)
{
	int st;
	contract_begin("mount_detached");

	for (int round = 0; round < 3; round++) {
		mkdir("/md", 0755);
		VAL(mount("none", "/md", "tmpfs", 0, NULL), 0);
		VAL(mkdir("/md/sub", 0755), 0);
		pid_t c = fork();
		if (c == 0) {
			if (chdir("/md/sub") || chroot("/md"))
				_exit(10);
			/* wait for the parent's umount */
			struct timespec d = { 0, 100 * 1000000 };
			nanosleep(&d, NULL);
			int r = mount("none", ".", "tmpfs", 0, NULL);
			int e = errno;
			if (r == 0 || e != EINVAL)
				_exit(11);
			if (mount("none", "/", "tmpfs", 0, NULL) == 0 || errno != EINVAL)
				_exit(12);
			if (mkdir("/sub/x", 0755))
				_exit(13); /* the detached tree still works */
			_exit(0);
		}
		TRUE(c > 0);
		struct timespec d = { 0, 20 * 1000000 };
		nanosleep(&d, NULL);
		VAL(umount2("/md", MNT_DETACH), 0);
		TRUE(waitpid(c, &st, 0) == c);
		VAL(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
		VAL(rmdir("/md"), 0);
	}
	/* vfs still serves */
	int fd = open("/tmp_after", O_RDWR | O_CREAT, 0644);
	TRUE(fd >= 0);
	VAL(close(fd), 0);
	VAL(unlink("/tmp_after"), 0);
	return contract_end();
}
