/*
 * reboot(2) (kernel/reboot.c): the magic numbers first (EINVAL), then
 * the command. The single root user always has CAP_SYS_BOOT. POWER_OFF,
 * HALT and RESTART go to proc (PROC_REBOOT), which logs Linux's line and
 * ends the machine: the call does not return then. HALT ends it as
 * POWER_OFF does: Linux stops the CPUs and leaves QEMU running, power-off
 * is the closest clean end. CAD_ON and CAD_OFF (Ctrl-Alt-Del: reboot at
 * once or signal init) answer 0: there is no Ctrl-Alt-Del to act on.
 * RESTART2, KEXEC and SW_SUSPEND are EINVAL (Linux without kexec or
 * hibernation support gives EINVAL too; RESTART2 needs its command
 * string, FIXME when someone needs it).
 * Entry point: posix_sys_reboot.
 */
#include "call.h"
#include "errors.h"

#include "posix/cspace.h"
#include "posix/errno.h"
#include "posix/proto_proc.h"

#define LINUX_REBOOT_MAGIC1 0xfee1deadu
#define LINUX_REBOOT_MAGIC2 672274793u
#define LINUX_REBOOT_MAGIC2A 85072278u
#define LINUX_REBOOT_MAGIC2B 369367448u
#define LINUX_REBOOT_MAGIC2C 537993216u

#define LINUX_REBOOT_CMD_RESTART 0x01234567u
#define LINUX_REBOOT_CMD_HALT 0xcdef0123u
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdefu
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu

static long machine(uint64_t cmd)
{
	struct proc_reboot_req req = { .cmd = cmd };
	struct proc_reboot_resp resp;

	return posix_status_to_errno(proc_reboot_call(POSIX_SLOT_PROC_EP, &req, &resp));
}

long posix_sys_reboot(struct posix_call *c)
{
	uint32_t magic1 = (uint32_t)c->a[0], magic2 = (uint32_t)c->a[1], cmd = (uint32_t)c->a[2];

	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		return machine(PROC_REBOOT_RESTART);
	case LINUX_REBOOT_CMD_HALT:
		return machine(PROC_REBOOT_HALT);
	case LINUX_REBOOT_CMD_POWER_OFF:
		return machine(PROC_REBOOT_POWER_OFF);
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}
