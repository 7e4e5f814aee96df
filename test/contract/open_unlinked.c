/* Open files outlive their names: unlink, rename over, rmdir of an open
 * directory. */
#include "contract.h"

int main(void)
{
	char buf[32];
	struct stat st;
	contract_begin("open_unlinked");

	put_file("u", "data", 4, 0644);
	int fd = VAL(open("u", O_RDWR), 3);
	VAL(unlink("u"), 0);
	ERR(access("u", F_OK), ENOENT);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_nlink, 0);
	VAL(read(fd, buf, sizeof(buf)), 4);
	TRUE(memcmp(buf, "data", 4) == 0);
	VAL(write(fd, "more", 4), 4);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_size, 8);
	/* A new file of the same name is another file. */
	put_file("u", "new", 3, 0644);
	VAL(stat("u", &st), 0);
	VAL(st.st_size, 3);
	VAL(pread(fd, buf, sizeof(buf), 0), 8);
	TRUE(memcmp(buf, "datamore", 8) == 0);
	VAL(close(fd), 0);

	/* Rename of an open file: the fd follows the file. */
	put_file("r1", "R", 1, 0644);
	fd = VAL(open("r1", O_RDWR | O_APPEND), 3);
	VAL(rename("r1", "r2"), 0);
	VAL(write(fd, "S", 1), 1);
	VAL(stat("r2", &st), 0);
	VAL(st.st_size, 2);
	VAL(fstat(fd, &st), 0);
	VAL(st.st_nlink, 1);
	/* Rename over an open file: its old inode loses its last name. */
	put_file("victim", "old", 3, 0644);
	int v = VAL(open("victim", O_RDONLY), 4);
	VAL(rename("r2", "victim"), 0);
	VAL(fstat(v, &st), 0);
	VAL(st.st_nlink, 0);
	VAL(pread(v, buf, sizeof(buf), 0), 3);
	TRUE(memcmp(buf, "old", 3) == 0);
	VAL(stat("victim", &st), 0);
	VAL(st.st_size, 2);
	VAL(close(v), 0);
	VAL(close(fd), 0);

	/* An open directory removed: reading it finds nothing, creating in
	 * it fails. */
	VAL(mkdir("gone", 0755), 0);
	int d = VAL(open("gone", O_RDONLY | O_DIRECTORY), 3);
	VAL(rmdir("gone"), 0);
	VAL(fstat(d, &st), 0);
	VAL(st.st_nlink, 0);
	_Alignas(8) char dents[256];
	ERR(syscall(SYS_getdents64, d, dents, sizeof(dents)), ENOENT);
	ERR(openat(d, "x", O_WRONLY | O_CREAT, 0644), ENOENT);
	ERR(mkdirat(d, "x", 0755), ENOENT);
	VAL(close(d), 0);

	/* The data of an unlinked file stays reachable through a dup. */
	put_file("w", "keep", 4, 0644);
	fd = VAL(open("w", O_RDONLY), 3);
	int fd2 = VAL(dup(fd), 4);
	VAL(unlink("w"), 0);
	VAL(close(fd), 0);
	VAL(read(fd2, buf, sizeof(buf)), 4);
	VAL(close(fd2), 0);
	return contract_end();
}
