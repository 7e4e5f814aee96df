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

/* One word: key[key_len], and val[val_len] when has_val (after '='). The
 * quotes Linux strips are not part of key or val. */
struct cmdline_word {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
	bool has_val;
};

/*
 * The next kernel word at *pos, which advances. False at the end of the
 * line or at "--" (then *pos points at init's words after it). Pure.
 */
bool cmdline_next(const char **pos, struct cmdline_word *w);
/* The words after "--", or NULL when there is no "--". Pure. */
const char *cmdline_init_args(const char *cmdline);

/*
 * Find `key` among the kernel words of `cmdline` (before "--"); the last
 * occurrence wins. *val and *val_len give its value (empty for a bare key
 * or "key="). Pure: host-tested.
 */
bool cmdline_find(const char *cmdline, const char *key, const char **val, size_t *val_len);
/* Is `item` one of the comma-separated words of the value? */
bool cmdline_list_has(const char *val, size_t val_len, const char *item);

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
