/*
 * pid 1's argument and environment vectors from the kernel command line,
 * as Linux builds them (init/main.c: unknown_bootoption, set_init_arg):
 *   - the kernel's own words are consumed (console=, quiet, init=, ...);
 *   - a word with a dot before any '=' is a module parameter: ignored;
 *   - another word with '=' goes to the environment (a later one with the
 *     same name replaces it), one without to argv;
 *   - every word after "--" goes to argv, '=' or not;
 *   - the environment starts as HOME=/ TERM=linux; at most 32 of each
 *     beyond those (Linux's CONFIG_INIT_ENV_ARG_LIMIT), else an error
 *     (Linux: "Too many boot env vars at `%s'").
 * argv[0] is not included: it is the path of the init that runs.
 * Pure: tested on the host (test/unit/root/test_initargs.c).
 */
#ifndef ROOT_INITARGS_H
#define ROOT_INITARGS_H

#include <stddef.h>

#define INIT_MAX_ARGS 32
#define INIT_MAX_ENVS 32
#define INIT_STRINGS_MAX 4096

struct init_args {
	unsigned argc, envc; /* argv excludes argv[0] */
	const char *argv[INIT_MAX_ARGS + 1];
	const char *envp[INIT_MAX_ENVS + 3];
	char rdinit[256], init[256]; /* "" when not given */
	const char *error;	     /* NULL, or why the line cannot be used */
	const char *error_word;
	size_t used;
	char strings[INIT_STRINGS_MAX];
};

/* Fills *a from cmdline. Returns 0, or -1 with a->error set. */
int init_args_build(const char *cmdline, struct init_args *a);

#endif
