/*
 * The vfs server: start-up (the heap and file windows, the root tmpfs as
 * Linux's rootfs with the initramfs unpacked into it) and the receive
 * loop on the server runtime. It serves SRV_SLOT_EP (posix/boot.h); rdi
 * is the initramfs's size in bytes, its MemObj in VFS_SLOT_INITRD.
 */
#include "vfs.h"

#include "posix/boot.h"
#include "sys/printf.h"
#include "sys/server.h"
#include "sys/syscalls.h"

struct vfs vfs;

extern const struct tern_server_op vfs_ops[];
extern const size_t vfs_nops;

static void vfs_log(const char *msg)
{
	tern_log(3, msg, __builtin_strlen(msg));
}

int main(uint64_t initrd_size, uint64_t self_tcb)
{
	const void *initrd;
	(void)self_tcb;

	if (platform_init(initrd_size, &initrd) || fs_init(&vfs.fs)) {
		vfs_log("vfs: out of memory at start");
		return 1;
	}
	procfs = &vfs_procfs_ops;
	vfs.fs.max_pages = platform_tmpfs_pages();
	vfs.fs.root_mnt = mount_new(&vfs.fs, FS_TMPFS, "rootfs", "rootfs");
	if (!vfs.fs.root_mnt || rootfs_populate(&vfs.fs)) {
		vfs_log("vfs: cannot make the root file system");
		return 1;
	}
	if (initrd && initramfs_unpack(&vfs.fs, initrd, initrd_size))
		vfs_log("vfs: the initramfs is damaged; what came before the damage is unpacked");
	struct tern_server s = {
		.ep = SRV_SLOT_EP,
		.ops = vfs_ops,
		.nops = vfs_nops,
		.ctx = &vfs,
	};
	static struct tern_server_intr intr;
	if (tern_server_intr_start(&s, &intr, vfs_interrupt, VFS_BADGE_INTR))
		vfs_log("vfs: no interruptible waits: a signal cannot end a pipe wait");
	enum tern_error err = tern_server_run(&s);
	tern_printf("vfs: server loop stopped: %d\n", err);
	return 1;
}
