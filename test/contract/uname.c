/* uname: the fields that hold on every Linux x86-64 (sysname, machine,
 * a release that starts with a digit), each NUL-terminated in 65 bytes. */
#include "contract.h"
#include <ctype.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	contract_begin("uname");

	VAL(sizeof(struct utsname), 390);
	memset(&u, 0xff, sizeof(u));
	VAL(syscall(SYS_uname, &u), 0);
	const char *f[] = { u.sysname, u.nodename, u.release, u.version, u.machine, u.domainname };
	int terminated = 1;
	for (int i = 0; i < 6; i++)
		terminated &= memchr(f[i], 0, 65) != NULL;
	TRUE(terminated);
	printf("sysname %s\n", u.sysname);
	printf("machine %s\n", u.machine);
	TRUE(strcmp(u.sysname, "Linux") == 0);
	TRUE(strcmp(u.machine, "x86_64") == 0);
	TRUE(isdigit((unsigned char)u.release[0]) && strchr(u.release, '.') != NULL);
	TRUE(u.version[0] == '#');
	TRUE(u.nodename[0] != 0);
	VAL(uname(&u), 0);
	TRUE(strcmp(u.sysname, "Linux") == 0);
	return contract_end();
}
