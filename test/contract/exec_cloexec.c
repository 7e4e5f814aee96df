/* execve keeps open fds (with their offsets) and closes the
 * close-on-exec ones. */
#include "contract.h"

int main(int argc, char **argv)
{
	char buf[32];
	contract_begin("exec_cloexec");
	if (argc > 1) {
		printf("after exec:\n");
		VAL(fcntl(3, F_GETFD), 0);
		ERR(fcntl(4, F_GETFD), EBADF);
		ERR(fcntl(5, F_GETFD), EBADF);
		VAL(fcntl(6, F_GETFD), 0);
		ERR(fcntl(7, F_GETFD), EBADF);
		VAL(fcntl(8, F_GETFD), 0);
		/* The offset survived: the rest of the file. */
		VAL(read(3, buf, sizeof(buf)), 8);
		TRUE(memcmp(buf, "fixture\n", 8) == 0);
		VAL(write(8, "p", 1), 1);
		VAL(read(6, buf, sizeof(buf)), 2);
		TRUE(memcmp(buf, "xp", 2) == 0);
		VAL(fcntl(3, F_GETFL), O_RDONLY | 0100000);
		return contract_end();
	}
	VAL(open("hello.txt", O_RDONLY), 3);
	VAL(open("hello.txt", O_RDONLY | O_CLOEXEC), 4);
	VAL(dup(3), 5);
	VAL(fcntl(5, F_SETFD, FD_CLOEXEC), 0);
	int p[2];
	VAL(pipe2(p, 0), 0); /* 6, 7 */
	VAL(fcntl(7, F_SETFD, FD_CLOEXEC), 0);
	VAL(dup2(7, 8), 8); /* the copy has no FD_CLOEXEC */
	VAL(write(7, "x", 1), 1);
	VAL(read(3, buf, 7), 7);
	execve("./init", (char *[]){ "./init", "again", NULL }, (char *[]){ NULL });
	contract_fail(__LINE__, "execve: %s", errno_name(errno));
	return contract_end();
}
