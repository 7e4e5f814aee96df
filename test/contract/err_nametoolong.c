/* ENAMETOOLONG: a component over 255 bytes, a path of PATH_MAX (4096)
 * bytes or more; the lengths just under both work. */
#include "contract.h"

int main(void)
{
	static char name[300], path[5000];
	struct stat st;
	contract_begin("err_nametoolong");

	memset(name, 'n', 255);
	name[255] = 0;
	int fd = VAL(open(name, O_WRONLY | O_CREAT, 0644), 3);
	VAL(close(fd), 0);
	VAL(stat(name, &st), 0);
	VAL(unlink(name), 0);
	VAL(mkdir(name, 0755), 0);
	VAL(rmdir(name), 0);
	name[255] = 'n';
	name[256] = 0;
	ERR(open(name, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	ERR(open(name, O_RDONLY), ENAMETOOLONG);
	ERR(stat(name, &st), ENAMETOOLONG);
	ERR(mkdir(name, 0755), ENAMETOOLONG);
	ERR(symlink("x", name), ENAMETOOLONG);
	ERR(rename("hello.txt", name), ENAMETOOLONG);
	ERR(access(name, F_OK), ENAMETOOLONG);
	snprintf(path, sizeof(path), "dir/%s/x", name);
	ERR(stat(path, &st), ENAMETOOLONG);

	/* "./" 2043 times then "hello.txt": 4095 bytes, found. */
	char *p = path;
	for (int i = 0; i < 2043; i++, p += 2)
		memcpy(p, "./", 2);
	strcpy(p, "hello.txt");
	VAL(strlen(path), 4095);
	VAL(stat(path, &st), 0);
	VAL(st.st_size, 15);
	/* One more slash: 4096 bytes, too long. */
	strcpy(p, "/hello.txt");
	VAL(strlen(path), 4096);
	ERR(stat(path, &st), ENAMETOOLONG);
	ERR(open(path, O_RDONLY), ENAMETOOLONG);
	ERR(symlink(path, "sl"), ENAMETOOLONG);
	ERR(chdir(path), ENAMETOOLONG);
	memset(path, 'a', 4999);
	path[4999] = 0;
	ERR(access(path, F_OK), ENAMETOOLONG);
	return contract_end();
}
