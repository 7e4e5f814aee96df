/*
 * pid 1's argv and envp from the command line, checked against what
 * Linux's init/main.c gives for the same lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "initargs.h"

static struct init_args a;

static void expect_vec(const char *const *got, unsigned n, const char *const *want)
{
	unsigned i;
	for (i = 0; want[i]; i++) {
		assert_true(i < n);
		assert_string_equal(got[i], want[i]);
	}
	assert_int_equal(i, n);
	assert_null(got[n]);
}

static void test_kernel_words_consumed(void **state)
{
	(void)state;
	assert_int_equal(init_args_build("console=ttyS0 quiet panic=-1 loglevel=3 mitigations=off "
					 "rdinit=/bin/sh init=/sbin/init selftest=all",
					 &a),
			 0);
	expect_vec(a.argv, a.argc, (const char *[]){ NULL });
	expect_vec(a.envp, a.envc, (const char *[]){ "HOME=/", "TERM=linux", NULL });
	assert_string_equal(a.rdinit, "/bin/sh");
	assert_string_equal(a.init, "/sbin/init");
}

static void test_unknown_words(void **state)
{
	(void)state;
	/* Module parameters (a dot before '=') are dropped; words with '='
	 * are environment, others argv; after "--" everything is argv. */
	assert_int_equal(init_args_build("single foo=bar tern.root=x usbcore.autosuspend=1 "
					 "BOOT_IMAGE=/vmlinuz -- a b=c -- d",
					 &a),
			 0);
	expect_vec(a.argv, a.argc, (const char *[]){ "single", "a", "b=c", "--", "d", NULL });
	expect_vec(
		a.envp, a.envc,
		(const char *[]){ "HOME=/", "TERM=linux", "foo=bar", "BOOT_IMAGE=/vmlinuz", NULL });
	assert_string_equal(a.rdinit, "");
}

static void test_env_replaced_and_quotes(void **state)
{
	(void)state;
	assert_int_equal(
		init_args_build("x=1 TERM=vt100 msg=\"hello world\" x=2 \"quoted arg\"", &a), 0);
	expect_vec(a.envp, a.envc,
		   (const char *[]){ "HOME=/", "TERM=vt100", "x=2", "msg=hello world", NULL });
	expect_vec(a.argv, a.argc, (const char *[]){ "quoted arg", NULL });
}

static void test_too_many(void **state)
{
	char line[1024] = "";
	(void)state;
	for (int i = 0; i < INIT_MAX_ARGS; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "w%d ", i);
	assert_int_equal(init_args_build(line, &a), 0);
	assert_int_equal(a.argc, INIT_MAX_ARGS);
	strcat(line, "one_more");
	assert_int_equal(init_args_build(line, &a), -1);
	assert_string_equal(a.error, "Too many boot init vars at");
	assert_string_equal(a.error_word, "one_more");

	line[0] = 0;
	for (int i = 0; i < INIT_MAX_ENVS; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "e%d=1 ", i);
	assert_int_equal(init_args_build(line, &a), 0);
	assert_int_equal(a.envc, INIT_MAX_ENVS + 2);
	strcat(line, "last=1");
	assert_int_equal(init_args_build(line, &a), -1);
	assert_string_equal(a.error, "Too many boot env vars at");
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(init_args_build("", &a), 0);
	assert_int_equal(a.argc, 0);
	assert_int_equal(a.envc, 2);
	assert_int_equal(init_args_build("--", &a), 0);
	assert_int_equal(a.argc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_words_consumed),
		cmocka_unit_test(test_unknown_words),
		cmocka_unit_test(test_env_replaced_and_quotes),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
