/* The benchmark program's workloads: programs run by fork + execve +
 * wait4, each through /bin/sh where its name says so (bench/README.md).
 * A workload whose programs are missing is skipped with the reason. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define TEXT_NAME "bench.txt"
#define TAR_NAME "bench.tar"
#define TAR_SRC "bench_tar_src"
#define TAR_OUT "bench_tar_out"

static char *const child_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "LC_ALL=C",
				   NULL };

static int run_program(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, child_env);
		_exit(127);
	}
	CHECK("fork", pid, pid > 0);
	int st;
	pid_t r = wait4(pid, &st, 0, NULL);
	CHECK("wait4", r, r == pid);
	if (st != 0) {
		if (WIFEXITED(st))
			snprintf(why, sizeof(why), "%s exited with status %d%s", argv[0],
				 WEXITSTATUS(st), WEXITSTATUS(st) == 127 ? " (exec failed)" : "");
		else
			snprintf(why, sizeof(why), "%s: wait status %#x", argv[0], st);
		return 1;
	}
	return 0;
}

static int sh_c(const char *script)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	return run_program(argv);
}

int op_exec_true(void)
{
	char *argv[] = { "/bin/true", NULL };
	return run_program(argv);
}

int op_shell_noop(void)
{
	return sh_c("true");
}

int op_pipe_grep(void)
{
	return sh_c("grep apple " TEXT_NAME " > /dev/null");
}

int op_sed_pipeline(void)
{
	return sh_c("sed -e s/apple/pear/g " TEXT_NAME " | sed -n /pear/p > /dev/null");
}

int op_sort_uniq(void)
{
	return sh_c("sort " TEXT_NAME " | uniq -c > /dev/null");
}

int op_tar_extract(void)
{
	return sh_c("tar -xf " TAR_NAME " -C " TAR_OUT);
}

/* ---- their set-up and tear-down ------------------------------------ */

static int need_prog(const char *name)
{
	static const char *const dirs[] = { "/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/" };
	char path[128];
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dirs[i], name);
		if (access(path, X_OK) == 0)
			return 0;
	}
	snprintf(why, sizeof(why), "no %s in /bin, /usr/bin, /sbin or /usr/sbin", name);
	return 1;
}

int need_sh(void)
{
	if (access("/bin/sh", X_OK) != 0)
		return fail("access(/bin/sh)", -1);
	return 0;
}

int setup_exec_true(void)
{
	if (access("/bin/true", X_OK) != 0)
		return fail("access(/bin/true)", -1);
	return 0;
}

/* A small text file: 256 lines, every fourth with "apple", 11 KiB. */
static int write_text(void)
{
	static const char *const fruit[] = { "apple", "banana", "cherry", "damson" };
	FILE *f = fopen(TEXT_NAME, "w");
	if (!f)
		return fail("fopen(" TEXT_NAME ")", -1);
	for (int i = 0; i < 256; i++)
		fprintf(f, "%03d %s %s tree number %d of the orchard\n", (i * 37) % 256,
			fruit[i % 4], fruit[(i / 4) % 4], i % 50);
	if (fclose(f) != 0)
		return fail("fclose(" TEXT_NAME ")", -1);
	return 0;
}

int setup_pipe_grep(void)
{
	return need_sh() || need_prog("grep") || write_text();
}

int setup_sed_pipeline(void)
{
	return need_sh() || need_prog("sed") || write_text();
}

int setup_sort_uniq(void)
{
	return need_sh() || need_prog("sort") || need_prog("uniq") || write_text();
}

void teardown_text(void)
{
	unlink(TEXT_NAME);
}

/* An archive of 16 files of 2 KiB in a folder, made once by tar itself. */
int setup_tar_extract(void)
{
	if (need_sh() || need_prog("tar") || sh_c("rm -rf " TAR_SRC " " TAR_OUT " " TAR_NAME))
		return 1;
	if (mkdir(TAR_SRC, 0755) != 0)
		return fail("mkdir(" TAR_SRC ")", -1);
	if (mkdir(TAR_OUT, 0755) != 0)
		return fail("mkdir(" TAR_OUT ")", -1);
	memset(buf, 't', sizeof(buf));
	for (int i = 0; i < 16; i++) {
		char name[64];
		snprintf(name, sizeof(name), TAR_SRC "/file%02d", i);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return fail("open(" TAR_SRC "/...)", -1);
		ssize_t w = write(fd, buf, 2048);
		close(fd);
		CHECK("write(" TAR_SRC "/...)", w, w == 2048);
	}
	return sh_c("tar -cf " TAR_NAME " " TAR_SRC);
}

void teardown_tar_extract(void)
{
	if (access("/bin/sh", X_OK) == 0)
		sh_c("rm -rf " TAR_SRC " " TAR_OUT " " TAR_NAME);
}
