/* ELOOP: link cycles, and Linux's limit of 40 links in one lookup. */
#include "contract.h"

int main(void)
{
	char a[16], b[16];
	struct stat st;
	contract_begin("err_eloop");

	VAL(symlink("b", "a"), 0);
	VAL(symlink("a", "b"), 0);
	VAL(symlink("self", "self"), 0);
	ERR(open("a", O_RDONLY), ELOOP);
	ERR(stat("b", &st), ELOOP);
	ERR(stat("self", &st), ELOOP);
	ERR(open("self", O_WRONLY | O_CREAT, 0644), ELOOP);
	ERR(access("a/x", F_OK), ELOOP);
	ERR(chdir("self"), ELOOP);
	VAL(lstat("a", &st), 0); /* not followed */
	TRUE(S_ISLNK(st.st_mode));
	ERR(open("hello.txt/../a", O_RDONLY), ENOTDIR);

	/* c0 -> hello.txt, c<i> -> c<i-1>: opening c<n-1> follows n links. */
	VAL(symlink("hello.txt", "c0"), 0);
	int made = 0;
	for (int i = 1; i < 41; i++) {
		snprintf(a, sizeof(a), "c%d", i);
		snprintf(b, sizeof(b), "c%d", i - 1);
		made += symlink(b, a) == 0;
	}
	VAL(made, 40);
	VAL(stat("c39", &st), 0); /* 40 links */
	VAL(st.st_size, 15);
	ERR(stat("c40", &st), ELOOP); /* 41 */
	ERR(open("c40", O_RDONLY), ELOOP);
	VAL(lstat("c40", &st), 0);
	/* The count is per lookup: links to directories in the middle count too. */
	VAL(symlink(".", "dot"), 0);
	VAL(stat("dot/dot/dot/dot/hello.txt", &st), 0);
	ERR(open("a", O_RDONLY | O_NOFOLLOW), ELOOP);
	return contract_end();
}
