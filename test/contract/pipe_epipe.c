/* A write to a pipe with no reader: EPIPE (SIGPIPE ignored). */
#include "contract.h"
#include <signal.h>

int main(void)
{
	char buf[8];
	int p[2];
	contract_begin("pipe_epipe");

	TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	VAL(pipe(p), 0);
	VAL(close(p[0]), 0);
	ERR(write(p[1], "x", 1), EPIPE);
	ERR(write(p[1], "xy", 2), EPIPE);
	VAL(close(p[1]), 0);

	/* Buffered data does not matter once the reader is gone. */
	VAL(pipe(p), 0);
	VAL(write(p[1], "abc", 3), 3);
	VAL(close(p[0]), 0);
	ERR(write(p[1], "d", 1), EPIPE);
	VAL(close(p[1]), 0);

	/* The reader's end after the writer: EOF, not an error. */
	VAL(pipe(p), 0);
	VAL(close(p[1]), 0);
	VAL(read(p[0], buf, sizeof(buf)), 0);
	VAL(close(p[0]), 0);
	return contract_end();
}
