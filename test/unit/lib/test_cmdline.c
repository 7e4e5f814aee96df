/*
 * The command line as Linux reads it: words and key=value, double quotes
 * (a whole word or a value) holding spaces and stripped, "--" ending the
 * kernel's words, the last of repeated keys winning, empty values, and the
 * Linux words the kernel acts on (quiet, debug, loglevel=, panic=,
 * console=, mitigations=, init=, rdinit=) with bad values ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <kernel/cmdline.h>

/* The value of key as a NUL-terminated string ("<absent>" if not found). */
static const char *value(const char *cmdline, const char *key)
{
	static char buf[128];
	const char *v;
	size_t n;

	if (!cmdline_find(cmdline, key, &v, &n))
		return "<absent>";
	assert_true(n < sizeof(buf));
	memcpy(buf, v, n);
	buf[n] = 0;
	return buf;
}

static void words_and_values(void **state)
{
	(void)state;
	const char *c = "  init=bin/root  exit\tselftest=alloc,timer\nx=a=b  ";
	assert_string_equal(value(c, "init"), "bin/root");
	assert_string_equal(value(c, "exit"), "");
	assert_string_equal(value(c, "selftest"), "alloc,timer");
	assert_string_equal(value(c, "x"), "a=b"); /* split at the first '=' */
	assert_string_equal(value(c, "in"), "<absent>");
	assert_string_equal(value(c, "bin/root"), "<absent>");
	assert_string_equal(value("", "init"), "<absent>");
	assert_string_equal(value("   ", "init"), "<absent>");
}

static void quotes_as_linux(void **state)
{
	(void)state;
	/* A quoted value keeps its spaces and loses its quotes. */
	assert_string_equal(value("a=\"b c\" d", "a"), "b c");
	assert_string_equal(value("a=\"b c\" d", "d"), "");
	/* A whole quoted word: the key before '=', quotes gone. */
	assert_string_equal(value("\"k=v w\" z", "k"), "v w");
	assert_string_equal(value("\"k=v w\" z", "z"), "");
	/* A quoted bare word with a space is one word. */
	assert_string_equal(value("\"a b\" c", "a b"), "");
	assert_string_equal(value("\"a b\" c", "a"), "<absent>");
	/* Quotes inside a value stay; spaces within them do not split. */
	assert_string_equal(value("a=x\"y z\"w q", "a"), "x\"y z\"w");
	assert_string_equal(value("a=x\"y z\"w q", "q"), "");
	/* An unterminated quote runs to the end of the line. */
	assert_string_equal(value("a=\"b c", "a"), "b c");
	assert_string_equal(value("a=\"", "a"), "");
	assert_string_equal(value("\"a=\"", "a"), "");
}

static void dashes_end_kernel_words(void **state)
{
	(void)state;
	const char *c = "quiet init=bin/a -- init=bin/b exit";
	assert_string_equal(value(c, "init"), "bin/a");
	assert_string_equal(value(c, "exit"), "<absent>");
	assert_string_equal(cmdline_init_args(c), "init=bin/b exit");
	assert_null(cmdline_init_args("quiet init=bin/a"));
	assert_string_equal(cmdline_init_args("quiet --"), "");
	assert_string_equal(cmdline_init_args("-- a"), "a");
	/* "--x" and "--=1" are words, not the end. */
	assert_null(cmdline_init_args("--x --=1"));
	assert_string_equal(value("--x --=1", "--"), "1");

	const char *p = c;
	struct cmdline_word w;
	int n = 0;
	while (cmdline_next(&p, &w))
		n++;
	assert_int_equal(n, 2);
	assert_string_equal(p, "init=bin/b exit");
}

static void last_wins_and_empty(void **state)
{
	(void)state;
	assert_string_equal(value("init=bin/a init=bin/b", "init"), "bin/b");
	assert_string_equal(value("init=bin/a init=", "init"), "");
	assert_string_equal(value("init= init=bin/a", "init"), "bin/a");
	assert_string_equal(value("init=bin/a init", "init"), "");
	assert_string_equal(value("=x", ""), "x"); /* an empty key is a word too */
}

static void list_items(void **state)
{
	(void)state;
	const char *v = "alloc,timer,,clock";
	size_t n = strlen(v);
	assert_true(cmdline_list_has(v, n, "alloc"));
	assert_true(cmdline_list_has(v, n, "clock"));
	assert_false(cmdline_list_has(v, n, "time"));
	assert_false(cmdline_list_has(v, n, "alloc,timer"));
	assert_false(cmdline_list_has("", 0, "alloc"));
}

static void kernel_words(void **state)
{
	(void)state;
	struct kernel_params p;

	kernel_params_parse("", &p);
	assert_int_equal(p.console_loglevel, CONSOLE_LOGLEVEL_DEFAULT);
	assert_int_equal(p.panic_timeout, 0);
	assert_int_equal(p.console_serial, -1);
	assert_int_equal(p.mitigations, MITIGATIONS_AUTO);
	assert_false(p.exit);
	assert_null(p.init);
	assert_null(p.rdinit);

	kernel_params_parse("console=ttyS0,115200n8 quiet panic=-1 mitigations=off "
			    "rdinit=/sbin/init init=bin/guest exit nosuch=1 nosuch",
			    &p);
	assert_int_equal(p.console_serial, 0);
	assert_int_equal(p.console_loglevel, CONSOLE_LOGLEVEL_QUIET);
	assert_int_equal(p.panic_timeout, -1);
	assert_int_equal(p.mitigations, MITIGATIONS_OFF);
	assert_true(p.exit);
	assert_int_equal(p.init_len, strlen("bin/guest"));
	assert_memory_equal(p.init, "bin/guest", p.init_len);
	assert_int_equal(p.rdinit_len, strlen("/sbin/init"));
	assert_memory_equal(p.rdinit, "/sbin/init", p.rdinit_len);

	/* In order, the last word wins: quiet then loglevel, and back. */
	kernel_params_parse("quiet loglevel=8", &p);
	assert_int_equal(p.console_loglevel, 8);
	kernel_params_parse("loglevel=8 quiet", &p);
	assert_int_equal(p.console_loglevel, CONSOLE_LOGLEVEL_QUIET);
	kernel_params_parse("debug", &p);
	assert_int_equal(p.console_loglevel, CONSOLE_LOGLEVEL_DEBUG);
	kernel_params_parse("panic=5 panic=30 console=ttyS0 console=ttyS1", &p);
	assert_int_equal(p.panic_timeout, 30);
	assert_int_equal(p.console_serial, 1);
	kernel_params_parse("mitigations=auto,nosmt", &p);
	assert_int_equal(p.mitigations, MITIGATIONS_AUTO_NOSMT);

	/* Bad or empty values leave the default (Linux ignores them). */
	kernel_params_parse("loglevel= loglevel=x loglevel=3x panic=- panic= panic=99999999999 "
			    "console=tty0 console=ttyS9 console= mitigations=maybe",
			    &p);
	assert_int_equal(p.console_loglevel, CONSOLE_LOGLEVEL_DEFAULT);
	assert_int_equal(p.panic_timeout, 0);
	assert_int_equal(p.console_serial, -1);
	assert_int_equal(p.mitigations, MITIGATIONS_AUTO);

	/* Words after "--" are init's, not the kernel's. */
	kernel_params_parse("loglevel=1 -- quiet panic=3", &p);
	assert_int_equal(p.console_loglevel, 1);
	assert_int_equal(p.panic_timeout, 0);
	/* A quoted value. */
	kernel_params_parse("init=\"bin/a b\"", &p);
	assert_int_equal(p.init_len, 7);
	assert_memory_equal(p.init, "bin/a b", 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_and_values),
		cmocka_unit_test(quotes_as_linux),
		cmocka_unit_test(dashes_end_kernel_words),
		cmocka_unit_test(last_wins_and_empty),
		cmocka_unit_test(list_items),
		cmocka_unit_test(kernel_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
