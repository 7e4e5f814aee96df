/*
 * The kernel command line, read as Linux reads it: words separated by
 * white space, a word in double quotes may hold spaces ("a b",
 * key="a b"), each word is key or key=value (split at the first '='),
 * a later word overrides an earlier one with the same key, and "--" ends
 * the kernel's options (what follows is for init). Unknown words are
 * ignored by the kernel; the root task gets the whole line.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/cmdline.h"

/* Console log levels, Linux's numbers: a message is shown when its level
 * is below the console level. */
#define CONSOLE_LOGLEVEL_DEFAULT 7 /* all but debug */
#define CONSOLE_LOGLEVEL_QUIET 4   /* errors and worse: `quiet` */
#define CONSOLE_LOGLEVEL_DEBUG 10  /* everything: `debug` */

enum mitigations { MITIGATIONS_AUTO, MITIGATIONS_OFF, MITIGATIONS_AUTO_NOSMT };

/* The Linux words the kernel itself acts on (see README, "Command line"). */
struct kernel_params {
	int console_loglevel; /* quiet, debug, loglevel=N */
	int console_serial;   /* console=ttyS<N>: N (0..3); -1 when not given */
	int panic_timeout;    /* panic=N: 0 halt, N > 0 reset after N s, < 0 at once */
	enum mitigations mitigations;
	bool exit; /* exit: stop the machine after the boot checks */
	/* init=PATH and rdinit=PATH, pointing into the command line. */
	const char *init, *rdinit;
	size_t init_len, rdinit_len;
};

/* Parse the kernel words of `cmdline`; words it does not know are left
 * alone, bad values ignored (the default stays). Pure. */
void kernel_params_parse(const char *cmdline, struct kernel_params *p);

/* The boot command line, once set (and parsed) by kmain. */
void cmdline_set(const char *cmdline);
const char *cmdline_get(void);
const struct kernel_params *kernel_params(void);
bool cmdline_option(const char *key, const char **val, size_t *val_len);

#endif
