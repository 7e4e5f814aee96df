/* ioctl on files and pipes: the terminal requests give ENOTTY there;
 * FIONREAD counts what is left to read, on a pipe and (Linux's
 * file_ioctl: i_size - f_pos, even when that is negative) on a regular
 * file too; a bad fd is EBADF. */
#include "contract.h"
#include <sys/ioctl.h>
#include <termios.h>

int main(void)
{
	struct termios t;
	struct winsize ws;
	int n = -1, p[2];
	contract_begin("ioctl_files");

	int fd = VAL(open("hello.txt", O_RDONLY), 3);
	ERR(ioctl(fd, TCGETS, &t), ENOTTY);
	ERR(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY);
	ERR(ioctl(fd, TIOCGPGRP, &n), ENOTTY);
	VAL(ioctl(fd, FIONREAD, &n), 0);
	VAL(n, 15);
	VAL(lseek(fd, 10, SEEK_SET), 10);
	VAL(ioctl(fd, FIONREAD, &n), 0);
	VAL(n, 5);
	VAL(lseek(fd, 100, SEEK_SET), 100);
	VAL(ioctl(fd, FIONREAD, &n), 0);
	VAL(n, -85); /* Linux: i_size - f_pos, negative past the end */
	VAL(close(fd), 0);

	fd = VAL(open(".", O_RDONLY | O_DIRECTORY), 3);
	ERR(ioctl(fd, TCGETS, &t), ENOTTY);
	VAL(close(fd), 0);

	VAL(pipe(p), 0);
	ERR(ioctl(p[0], TCGETS, &t), ENOTTY);
	ERR(ioctl(p[1], TIOCGWINSZ, &ws), ENOTTY);
	VAL(write(p[1], "abcdefg", 7), 7);
	VAL(ioctl(p[0], FIONREAD, &n), 0);
	VAL(n, 7);
	ERR(ioctl(p[0], 0x5401ff, &n), ENOTTY); /* an unknown request */
	VAL(close(p[0]), 0);
	VAL(close(p[1]), 0);
	ERR(ioctl(77, FIONREAD, &n), EBADF);
	ERR(ioctl(77, TCGETS, &t), EBADF);
	return contract_end();
}
