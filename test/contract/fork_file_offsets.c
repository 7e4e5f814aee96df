/* Open file descriptions after fork (Linux shares them, as dup does):
 * a read, write or lseek in the child moves the parent's offset; the
 * status flags (O_NONBLOCK, O_APPEND) are shared while FD_CLOEXEC is
 * the fd's own; O_APPEND writes of both sides land at the end, in the
 * order the pipes give them; a dup'ed fd shares too; a file opened
 * again (in the child or before) has its own offset; closing in the
 * child leaves the parent's fd open. */
#include "contract.h"

static void put(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		contract_fail(__LINE__, "write: %s", errno_name(errno));
}

static char get(int fd)
{
	char c = 0;
	if (read(fd, &c, 1) != 1)
		contract_fail(__LINE__, "read: %s", errno_name(errno));
	return c;
}

int main(void)
{
	char buf[32];
	int to_child[2], to_parent[2];
	contract_begin("fork_file_offsets");

	int fd = OK(open("offsets.txt", O_RDWR | O_CREAT | O_TRUNC, 0644));
	VAL(write(fd, "0123456789", 10), 10);
	VAL(lseek(fd, 2, SEEK_SET), 2);
	int other = OK(open("offsets.txt", O_RDONLY)); /* its own description */
	VAL(lseek(other, 5, SEEK_SET), 5);
	int dupfd = OK(dup(fd));
	VAL(fcntl(dupfd, F_SETFD, FD_CLOEXEC), 0);
	int app = OK(open("append.txt", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644));
	VAL(pipe(to_child), 0);
	VAL(pipe(to_parent), 0);

	pid_t pid = fork();
	if (pid == 0) {
		printf("child\n");
		VAL(lseek(fd, 0, SEEK_CUR), 2);
		VAL(fcntl(fd, F_GETFD), 0);
		VAL(fcntl(dupfd, F_GETFD), FD_CLOEXEC);
		VAL(write(fd, "ab", 2), 2);
		VAL(read(fd, buf, 2), 2);
		TRUE(memcmp(buf, "45", 2) == 0);
		VAL(lseek(other, 0, SEEK_CUR), 5);
		VAL(read(other, buf, 1), 1); /* other moves to 6 for both */
		int mine = OK(open("offsets.txt", O_RDONLY));
		VAL(read(mine, buf, 4), 4);
		TRUE(memcmp(buf, "01ab", 4) == 0);
		VAL(close(mine), 0);
		VAL(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
		get(to_child[0]); /* the parent wrote p1 */
		VAL(write(app, "c1", 2), 2);
		VAL(lseek(app, 0, SEEK_CUR), 4);
		put(to_parent[1], 'a');
		get(to_child[0]);
		printf("child again\n");
		VAL(write(app, "c2", 2), 2);
		VAL(lseek(app, 0, SEEK_CUR), 8);
		VAL(lseek(dupfd, 1, SEEK_SET), 1); /* through the dup: the same offset */
		VAL(close(fd), 0);
		VAL(close(other), 0);
		child_end();
	}
	if (pid < 0) {
		contract_fail(__LINE__, "fork: %s", errno_name(errno));
		return contract_end();
	}
	/* Silent until the child has printed its part. */
	if (write(app, "p1", 2) != 2)
		contract_fail(__LINE__, "write p1: %s", errno_name(errno));
	put(to_child[1], 'b');
	get(to_parent[0]); /* the child wrote c1 after p1 */
	printf("parent\n");
	VAL(lseek(fd, 0, SEEK_CUR), 6);
	VAL(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	VAL(fcntl(dupfd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	VAL(lseek(other, 0, SEEK_CUR), 6);
	VAL(write(app, "p2", 2), 2);
	VAL(lseek(app, 0, SEEK_CUR), 6);
	put(to_child[1], 'c');
	WAIT(pid, 0, 0);
	printf("parent after the child's exit\n");
	VAL(lseek(fd, 0, SEEK_CUR), 1);
	VAL(read(fd, buf, 3), 3);
	TRUE(memcmp(buf, "1ab", 3) == 0);
	VAL(read(other, buf, 4), 4);
	TRUE(memcmp(buf, "6789", 4) == 0);
	VAL(fcntl(fd, F_GETFD), 0);
	VAL(fcntl(dupfd, F_GETFD), FD_CLOEXEC);
	VAL(close(app), 0);
	int in = OK(open("append.txt", O_RDONLY));
	memset(buf, 0, sizeof(buf));
	VAL(read(in, buf, sizeof(buf)), 8);
	printf("append.txt: %s\n", buf);
	TRUE(strcmp(buf, "p1c1p2c2") == 0);

	/* A pipe's ends after fork: the child's close of the write end is
	 * not the last, so no EOF until the parent's. */
	int p[2];
	VAL(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], "hi", 2) != 2)
			_exit(1);
		_exit(0);
	}
	WAIT(pid, 0, 0);
	VAL(read(p[0], buf, sizeof(buf)), 2);
	VAL(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	VAL(close(p[1]), 0);
	VAL(read(p[0], buf, sizeof(buf)), 0);
	VAL(close(p[0]), 0);
	VAL(close(in), 0);
	VAL(close(fd), 0);
	VAL(close(dupfd), 0);
	VAL(close(other), 0);
	VAL(unlink("offsets.txt"), 0);
	VAL(unlink("append.txt"), 0);
	return contract_end();
}
