/* umask: its initial value for init (022), what it masks in open and
 * mkdir, only the low nine bits kept; chmod and fchmod are not masked. */
#include "contract.h"

static unsigned mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) ? 0xffff : st.st_mode & 07777;
}

int main(void)
{
	contract_begin("umask");

	VAL(umask(027), 022);
	VAL(umask(027), 027);
	int fd = VAL(open("m1", O_WRONLY | O_CREAT, 0777), 3);
	VAL(close(fd), 0);
	VAL(mode_of("m1"), 0750);
	VAL(mkdir("d1", 0777), 0);
	VAL(mode_of("d1"), 0750);
	VAL(umask(0), 027);
	fd = VAL(open("m2", O_WRONLY | O_CREAT, 0777), 3);
	VAL(close(fd), 0);
	VAL(mode_of("m2"), 0777);
	VAL(mkdir("d2", 01777), 0);
	VAL(mode_of("d2"), 01777);
	VAL(umask(0777), 0);
	fd = VAL(open("m3", O_WRONLY | O_CREAT, 0666), 3);
	VAL(mode_of("m3"), 0);
	VAL(write(fd, "x", 1), 1); /* the fd was opened for writing all the same */
	VAL(close(fd), 0);
	VAL(umask(0177777), 0777); /* only 0777 is kept */
	VAL(umask(022), 0777);

	/* An existing file keeps its mode; chmod and fchmod are not masked. */
	fd = VAL(open("m1", O_WRONLY | O_CREAT, 0600), 3);
	VAL(mode_of("m1"), 0750);
	VAL(fchmod(fd, 04777), 0);
	VAL(mode_of("m1"), 04777);
	VAL(close(fd), 0);
	VAL(chmod("m1", 0640), 0);
	VAL(mode_of("m1"), 0640);
	VAL(chmod("d1", 0700), 0);
	VAL(mode_of("d1"), 0700);
	ERR(chmod("missing", 0644), ENOENT);
	VAL(symlink("m1", "ml"), 0);
	VAL(chmod("ml", 0604), 0); /* through the link */
	VAL(mode_of("m1"), 0604);
	return contract_end();
}
