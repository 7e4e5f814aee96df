/*
 * The console shared by the kernel and programs: a kernel line that comes
 * while a program's line is unfinished starts a line of its own (with the
 * "[tern] " prefix), and the program's text goes on on the next line,
 * unprefixed. The kernel's line here is the one it logs for an unknown
 * native call; ctest checks the three lines in order
 * (test/guest/CMakeLists.txt).
 */
#include <string.h>

#include "guest.h"

#define UNKNOWN_CALL 200

static int kernel_line_between(void)
{
	static const char before[] = "CONSOLE program text before";
	static const char after[] = "CONSOLE program text after\n";
	struct tern_sysregs r = { 0 };

	CHECK_EQ(tern_debug_puts(before, strlen(before)), TERN_EOK);
	CHECK_EQ(tern_syscall(UNKNOWN_CALL, &r), TERN_ENO_SUCH_CALL);
	CHECK_EQ(tern_debug_puts(after, strlen(after)), TERN_EOK);
	return 0;
}

static const struct guest_case cases[] = {
	{ "kernel_line_between", kernel_line_between },
};

int main(void)
{
	guest_run("console", cases, sizeof(cases) / sizeof(cases[0]));
}
