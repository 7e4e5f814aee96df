/* File mappings: private copies, shared writes reaching the file and the
 * file's writes reaching the mapping, offsets, the tail of the last page,
 * and the access checks. */
#include "contract.h"
#include <sys/mman.h>

#define PG 4096

int main(void)
{
	static char data[2 * PG], buf[2 * PG];
	contract_begin("mm_mmap_file");

	for (int i = 0; i < 2 * PG; i++)
		data[i] = (char)('a' + i % 26 + i / PG);
	put_file("mf", data, sizeof(data), 0644);
	int fd = VAL(open("mf", O_RDWR), 3);

	char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	TRUE(p != MAP_FAILED && memcmp(p, data, 2 * PG) == 0);
	char *o = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	TRUE(o != MAP_FAILED && memcmp(o, data + PG, PG) == 0);
	VAL(munmap(o, PG), 0);

	/* A private writable mapping: the file does not change. */
	char *w = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	TRUE(w != MAP_FAILED);
	w[0] = 'Z';
	VAL(pread(fd, buf, 1, 0), 1);
	TRUE(buf[0] == 'a' && p[0] == 'a');
	VAL(munmap(w, 2 * PG), 0);

	/* A shared mapping: stores reach the file, writes reach the mapping. */
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TRUE(s != MAP_FAILED);
	s[5] = 'S';
	s[PG + 5] = 'T';
	VAL(pread(fd, buf, 2 * PG, 0), 2 * PG);
	TRUE(buf[5] == 'S' && buf[PG + 5] == 'T');
	VAL(pwrite(fd, "W", 1, 7), 1);
	TRUE(s[7] == 'W');
	VAL(msync(s, 2 * PG, MS_SYNC), 0);
	VAL(munmap(s, 2 * PG), 0);
	VAL(pread(fd, buf, 8, 0), 8);
	TRUE(memcmp(buf, "abcdeSgW", 8) == 0);
	VAL(munmap(p, 2 * PG), 0);

	/* A file of 5000 bytes: the rest of its last page reads as zeros. */
	VAL(ftruncate(fd, 5000), 0);
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	TRUE(p != MAP_FAILED);
	int zero = 1;
	for (int i = 5000; i < 2 * PG; i++)
		zero &= p[i] == 0;
	TRUE(zero && p[4999] == data[4999]);
	VAL(munmap(p, 2 * PG), 0);
	VAL(close(fd), 0);

	/* Access modes: a read-only fd maps shared only for reading. */
	fd = VAL(open("hello.txt", O_RDONLY), 3);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	TRUE(p != MAP_FAILED && memcmp(p, "hello, fixture\n", 15) == 0);
	VAL(munmap(p, PG), 0);
	ERR((long)mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	TRUE(p != MAP_FAILED);
	p[0] = 'J';
	VAL(munmap(p, PG), 0);
	VAL(close(fd), 0);
	fd = VAL(open("mf", O_WRONLY), 3);
	ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0), EACCES);
	VAL(close(fd), 0);
	return contract_end();
}
