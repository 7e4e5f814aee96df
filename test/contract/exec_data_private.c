/* An exec'd program's data is its own: writes to its initialised data
 * (a page of .data, an int) never reach the executable's file, as the
 * file system caches it, nor another process running the same binary,
 * nor a later exec of it. Children exec this program again: "first"
 * writes its data and waits; "second" runs meanwhile and must see the
 * file's values, then writes its own; "first" must still see its own;
 * "fresh", exec'd after both, sees the file's values again. Last the
 * parent reads the executable: its data bytes are as built. */
#include "contract.h"

#define DATA_BYTES 8192

/* In .data (initialised, writable), page aligned, so it has pages of its
 * own; the signature is its first bytes and the rest is zero in the file. */
static char data_page[DATA_BYTES] __attribute__((aligned(4096))) = "exec_data_private:signature";
static volatile int marker = 12345;

static const char sig_a[] = "exec_data_private";
static const char sig_b[] = ":signature";

/* The data as the file has it: the signature, then zeros. */
static int data_is_initial(void)
{
	char sig[64];
	snprintf(sig, sizeof(sig), "%s%s", sig_a, sig_b);
	if (memcmp(data_page, sig, strlen(sig) + 1) != 0)
		return 0;
	for (size_t i = strlen(sig) + 1; i < DATA_BYTES; i++)
		if (data_page[i])
			return 0;
	return marker == 12345;
}

static void scribble(char c, int value)
{
	memset(data_page + 64, c, DATA_BYTES - 64);
	data_page[0] = c;
	marker = value;
}

/* The executable's bytes at the signature: the signature, then zeros. */
static int file_is_initial(const char *path)
{
	static char buf[4 << 20];
	char sig[64];
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + total, sizeof(buf) - total)) > 0)
		total += n;
	close(fd);
	snprintf(sig, sizeof(sig), "%s%s", sig_a, sig_b);
	size_t len = strlen(sig) + 1;
	for (ssize_t i = 0; i + (ssize_t)len <= total; i++) {
		if (memcmp(buf + i, sig, len) != 0)
			continue;
		if (i + DATA_BYTES > total)
			return 0;
		for (size_t k = len; k < DATA_BYTES; k++)
			if (buf[i + k])
				return 0;
		return 1;
	}
	return 0; /* the signature is gone: the file was written */
}

static pid_t spawn(const char *mode, int in_fd, int out_fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (in_fd >= 0)
			dup2(in_fd, 0);
		if (out_fd >= 0)
			dup2(out_fd, 1);
		char *args[] = { "./init", (char *)mode, NULL };
		char *env[] = { NULL };
		execve("./init", args, env);
		_exit(127);
	}
	return pid;
}

int main(int argc, char **argv)
{
	char c;

	if (argc == 2) {
		/* A child: exit status 0 when its data behaved. */
		int bad = !data_is_initial();
		if (strcmp(argv[1], "first") == 0) {
			scribble('A', 111);
			if (write(1, "r", 1) != 1 || read(0, &c, 1) != 1)
				bad = 1;
			/* "second" ran and wrote its own data meanwhile. */
			bad |= marker != 111 || data_page[0] != 'A' || data_page[100] != 'A';
		} else if (strcmp(argv[1], "second") == 0) {
			scribble('B', 222);
		}
		_exit(bad ? 3 : 0);
	}
	contract_begin("exec_data_private");
	TRUE(data_is_initial());
	int to_first[2], from_first[2];
	OK(pipe(to_first));
	OK(pipe(from_first));
	pid_t first = spawn("first", to_first[0], from_first[1]);
	VAL(first > 0, 1);
	VAL(read(from_first[0], &c, 1), 1); /* "first" has written its data */
	pid_t second = spawn("second", -1, -1);
	VAL(second > 0, 1);
	WAIT(second, 0, 0);
	VAL(write(to_first[1], "g", 1), 1);
	WAIT(first, 0, 0);
	pid_t fresh = spawn("fresh", -1, -1);
	VAL(fresh > 0, 1);
	WAIT(fresh, 0, 0);
	/* This process's own writes stay in it too. */
	scribble('P', 333);
	VAL(marker, 333);
	VAL(file_is_initial("./init"), 1);
	return contract_end();
}
