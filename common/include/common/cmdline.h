/*
 * A Linux command line's words (common/cmdline.c): words separated by
 * white space, a word in double quotes may hold spaces ("a b",
 * key="a b"), each word is key or key=value (split at the first '='),
 * and "--" ends the kernel's words (what follows is for init).
 */
#ifndef COMMON_CMDLINE_H
#define COMMON_CMDLINE_H

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

/* Is s[0..n) exactly the string lit? */
bool cmdline_word_is(const char *s, size_t n, const char *lit);

#endif
