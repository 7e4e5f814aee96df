/* The vDSO's "Linux" note: the kernel version it claims (uname's release,
 * 6.1.0), which older glibc reads instead of calling uname. */
	.pushsection .note.Linux, "a", @note
	.balign 4
	.long 2f - 1f		/* name size */
	.long 4f - 3f		/* descriptor size */
	.long 0			/* type */
1:	.asciz "Linux"
2:	.balign 4
3:	.long 0x060100		/* LINUX_VERSION_CODE of 6.1.0 */
4:	.balign 4
	.popsection
	.section .note.GNU-stack, "", @progbits
