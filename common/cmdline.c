/*
 * The kernel command line, with Linux's reading of it (its next_arg() and
 * parse_args() semantics, reimplemented): white space separates words, a
 * double quote toggles a region in which spaces do not; a value that
 * starts with a quote loses it and the word's closing quote, as does a
 * word that starts with one. "--" ends the kernel's words. Shared by the
 * kernel (its own words, kernel/lib/cmdline.c) and the root task (init's
 * argv and envp); pure, so it is tested on the host
 * (test/unit/lib/test_cmdline.c).
 */
#include "common/cmdline.h"

#include "common/string.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static const char *skip_spaces(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

bool cmdline_word_is(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* Split the word at p into w; returns the end of the word (a space or NUL). */
static const char *word_split(const char *p, struct cmdline_word *w)
{
	bool quoted = *p == '"';
	const char *body = quoted ? p + 1 : p;
	const char *eq = NULL, *end = body;
	bool in_quote = quoted;

	for (; *end && (in_quote || !is_space(*end)); end++) {
		if (!eq && *end == '=')
			eq = end;
		if (*end == '"')
			in_quote = !in_quote;
	}
	const char *vend = end;
	bool stripped = false;
	w->has_val = eq != NULL;
	w->val = NULL;
	w->val_len = 0;
	if (eq) {
		const char *val = eq + 1;
		if (val < vend && *val == '"') {
			val++;
			if (vend > val && vend[-1] == '"') {
				vend--;
				stripped = true;
			}
		}
		w->val = val;
		w->val_len = (size_t)(vend - val);
	}
	if (quoted && !stripped && vend > body && vend[-1] == '"') {
		vend--;
		if (eq && w->val_len > 0)
			w->val_len--;
	}
	w->key = body;
	w->key_len = (size_t)((eq ? eq : vend) - body);
	return end;
}

bool cmdline_next(const char **pos, struct cmdline_word *w)
{
	const char *p = skip_spaces(*pos);

	if (!*p) {
		*pos = p;
		return false;
	}
	p = word_split(p, w);
	*pos = skip_spaces(p);
	return !(!w->has_val && cmdline_word_is(w->key, w->key_len, "--"));
}

const char *cmdline_init_args(const char *cmdline)
{
	struct cmdline_word w;
	const char *p = cmdline;

	for (;;) {
		p = skip_spaces(p);
		if (!*p)
			return NULL;
		if (!cmdline_next(&p, &w))
			return p; /* just after "--" */
	}
}

bool cmdline_find(const char *cmdline, const char *key, const char **val, size_t *val_len)
{
	size_t klen = strlen(key);
	struct cmdline_word w;
	bool found = false;

	for (const char *p = cmdline; cmdline_next(&p, &w);) {
		if (w.key_len != klen || __builtin_memcmp(w.key, key, klen) != 0)
			continue;
		found = true;
		if (val) {
			*val = w.has_val ? w.val : w.key + w.key_len;
			*val_len = w.val_len;
		}
	}
	return found;
}

bool cmdline_list_has(const char *val, size_t val_len, const char *item)
{
	size_t ilen = strlen(item);
	size_t i = 0;

	while (i < val_len) {
		size_t j = i;
		while (j < val_len && val[j] != ',')
			j++;
		if (j - i == ilen && __builtin_memcmp(val + i, item, ilen) == 0)
			return true;
		i = j + 1;
	}
	return false;
}
