/*
 * The system archive (system.cpio: the root task, the servers, libposix
 * and the vDSO, docs/personality.md) linked into the kernel image, page
 * aligned so the root task can map it as a read-only MemObj. A user then
 * boots their own initramfs with nothing of the system's in it.
 */
	.section .rodata.system, "a"
	.balign 4096
	.globl system_image_start, system_image_end
system_image_start:
	.incbin SYSTEM_CPIO
system_image_end:
	.balign 4096

	.section .note.GNU-stack, "", @progbits
