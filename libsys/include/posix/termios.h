/*
 * Linux's terminal settings as TCGETS/TCSETS move them (the kernel's
 * struct termios, include/uapi/asm-generic/termbits.h, which x86-64 uses:
 * 36 bytes, no speed words; musl's and glibc's larger struct termios
 * begins with these same fields), the flag bits and the c_cc indices,
 * and the defaults Linux gives a serial console (tty_std_termios with
 * the 8250 console's 9600 8N1 c_cflag).
 */
#ifndef POSIX_TERMIOS_H
#define POSIX_TERMIOS_H

#include <stdint.h>

#define POSIX_NCCS 19

struct posix_termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[POSIX_NCCS];
};
_Static_assert(sizeof(struct posix_termios) == 36, "struct termios of TCGETS is 36 bytes");

/* c_cc indices */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16

/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define IGNPAR 0000004
#define PARMRK 0000010
#define INPCK 0000020
#define ISTRIP 0000040
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define IUCLC 0001000
#define IXON 0002000
#define IXANY 0004000
#define IXOFF 0010000
#define IMAXBEL 0020000
#define IUTF8 0040000

/* c_oflag */
#define OPOST 0000001
#define OLCUC 0000002
#define ONLCR 0000004
#define OCRNL 0000010
#define ONOCR 0000020
#define ONLRET 0000040
#define OFILL 0000100
#define OFDEL 0000200
#define NLDLY 0000400
#define CRDLY 0003000
#define TABDLY 0014000
#define TAB3 0014000
#define XTABS 0014000
#define BSDLY 0020000
#define VTDLY 0040000
#define FFDLY 0100000

/* c_cflag */
#define CBAUD 0010017
#define B0 0000000
#define B9600 0000015
#define B38400 0000017
#define B115200 0010002
#define CSIZE 0000060
#define CS5 0000000
#define CS6 0000020
#define CS7 0000040
#define CS8 0000060
#define CSTOPB 0000100
#define CREAD 0000200
#define PARENB 0000400
#define PARODD 0001000
#define HUPCL 0002000
#define CLOCAL 0004000
#define CBAUDEX 0010000
#define CRTSCTS 020000000000

/* c_lflag */
#define ISIG 0000001
#define ICANON 0000002
#define XCASE 0000004
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE 0004000
#define FLUSHO 0010000
#define PENDIN 0040000
#define IEXTEN 0100000
#define EXTPROC 0200000

/* tcflush (TCFLSH) and tcflow (TCXONC) arguments */
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2
#define TCOOFF 0
#define TCOON 1
#define TCIOFF 2
#define TCION 3

/* The line discipline number (c_line, TIOCGETD) of the n_tty discipline. */
#define N_TTY 0

/* Linux's defaults for ttyS0 as the console (console=ttyS0, no options):
 * tty_std_termios, whose c_cflag the 8250 console sets to 9600 8N1 with
 * CREAD, HUPCL and CLOCAL. */
#define POSIX_TTY_DEFAULT_IFLAG (ICRNL | IXON)
#define POSIX_TTY_DEFAULT_OFLAG (OPOST | ONLCR)
#define POSIX_TTY_DEFAULT_CFLAG (B9600 | CS8 | CREAD | HUPCL | CLOCAL)
#define POSIX_TTY_DEFAULT_LFLAG (ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN)
/* INIT_C_CC: ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, VSWTC 0, ^Q ^S ^Z, VEOL 0,
 * ^R ^O ^W ^V, VEOL2 0. */
#define POSIX_TTY_DEFAULT_CC                                                                     \
	{                                                                                        \
		003, 034, 0177, 025, 004, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0 \
	}

#endif
