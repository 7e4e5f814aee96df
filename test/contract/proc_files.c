/* /proc as a Linux /init finds it once it has mounted proc: what BusyBox
 * and the benchmarks read, in the forms that hold on every Linux. */
#include "contract.h"
#include <dirent.h>

static int slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t got = read(fd, buf, len - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = 0;
	return (int)got;
}

int main(void)
{
	static char buf[65536];
	contract_begin("proc_files");
	/* An initramfs booted by Linux has an empty /proc until it is mounted. */
	if (access("/proc/self", F_OK) != 0) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
	}

	/* /proc/self/exe names this program. */
	long n = VAL(readlink("/proc/self/exe", buf, sizeof(buf) - 1) > 0, 1);
	if (n > 0) {
		n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
		buf[n] = 0;
		TRUE(n >= 5 && strcmp(buf + n - 5, "/init") == 0);
	}
	/* /proc/self/fd lists the open descriptors. */
	int extra = VAL(open("hello.txt", O_RDONLY), 3);
	DIR *d = opendir("/proc/self/fd");
	TRUE(d != NULL);
	int seen[8] = { 0 }, others = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		int fd = atoi(e->d_name);
		if (fd >= 0 && fd < 8)
			seen[fd]++;
		else
			others++;
	}
	/* 0-2, the file, and the directory stream's own fd (4). */
	TRUE(seen[0] == 1 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1 && seen[4] == 1);
	TRUE(others == 0 && seen[5] == 0);
	if (d)
		closedir(d);
	n = readlink("/proc/self/fd/3", buf, sizeof(buf) - 1);
	TRUE(n >= 10 && (buf[n] = 0, strcmp(buf + n - 10, "/hello.txt") == 0));
	VAL(close(extra), 0);

	TRUE(slurp("/proc/self/stat", buf, sizeof(buf)) > 0 && strstr(buf, " (init) ") != NULL);
	TRUE(slurp("/proc/meminfo", buf, sizeof(buf)) > 0 && strncmp(buf, "MemTotal:", 9) == 0 &&
	     strstr(buf, "\nMemFree:") != NULL);
	double up = -1, idle = -1;
	TRUE(slurp("/proc/uptime", buf, sizeof(buf)) > 0 &&
	     sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0);
	TRUE(slurp("/proc/version", buf, sizeof(buf)) > 0 &&
	     strncmp(buf, "Linux version ", 14) == 0);
	TRUE(slurp("/proc/cpuinfo", buf, sizeof(buf)) > 0 &&
	     strncmp(buf, "processor\t: 0\n", 14) == 0);
	TRUE(slurp("/proc/mounts", buf, sizeof(buf)) > 0 && strstr(buf, " /proc proc ") != NULL);
	ERR(open("/proc/self/missing", O_RDONLY), ENOENT);
	return contract_end();
}
