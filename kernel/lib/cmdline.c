/*
 * The kernel command line, with Linux's reading of it (its next_arg() and
 * parse_args() semantics, reimplemented): white space separates words, a
 * double quote toggles a region in which spaces do not; a value that
 * starts with a quote loses it and the word's closing quote, as does a
 * word that starts with one. "--" ends the kernel's words. Pure, so it is
 * tested on the host (test/unit/lib/test_cmdline.c).
 */
#include "kernel/cmdline.h"

#include "common/string.h"

static const char *boot_cmdline = "";
static struct kernel_params boot_params = {
	.console_loglevel = CONSOLE_LOGLEVEL_DEFAULT,
	.console_serial = -1,
};

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

static bool word_is(const char *s, size_t n, const char *lit)
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
	return !(!w->has_val && word_is(w->key, w->key_len, "--"));
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

/* A decimal integer with an optional sign, all of the value; false if not. */
static bool parse_int(const char *s, size_t n, int *out)
{
	size_t i = 0;
	bool neg = false;
	long v = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > 0x7fffffffl)
			return false;
	}
	*out = neg ? (int)-v : (int)v;
	return true;
}

/* console=ttyS<N>[,options]: the serial port; other consoles (tty0,
 * hvc0, ...) do not exist here and are ignored. */
static void parse_console(const struct cmdline_word *w, struct kernel_params *p)
{
	size_t n = 0;

	while (n < w->val_len && w->val[n] != ',')
		n++;
	if (n == 5 && __builtin_memcmp(w->val, "ttyS", 4) == 0 && w->val[4] >= '0' &&
	    w->val[4] <= '3')
		p->console_serial = w->val[4] - '0';
}

static void parse_mitigations(const struct cmdline_word *w, struct kernel_params *p)
{
	if (word_is(w->val, w->val_len, "off"))
		p->mitigations = MITIGATIONS_OFF;
	else if (word_is(w->val, w->val_len, "auto"))
		p->mitigations = MITIGATIONS_AUTO;
	else if (word_is(w->val, w->val_len, "auto,nosmt"))
		p->mitigations = MITIGATIONS_AUTO_NOSMT;
}

void kernel_params_parse(const char *cmdline, struct kernel_params *p)
{
	struct cmdline_word w;
	int n;

	*p = (struct kernel_params){ .console_loglevel = CONSOLE_LOGLEVEL_DEFAULT,
				     .console_serial = -1 };
	for (const char *pos = cmdline; cmdline_next(&pos, &w);) {
		const char *k = w.key;
		size_t kl = w.key_len;
		if (word_is(k, kl, "quiet"))
			p->console_loglevel = CONSOLE_LOGLEVEL_QUIET;
		else if (word_is(k, kl, "debug"))
			p->console_loglevel = CONSOLE_LOGLEVEL_DEBUG;
		else if (word_is(k, kl, "loglevel") && parse_int(w.val, w.val_len, &n))
			p->console_loglevel = n;
		else if (word_is(k, kl, "panic") && parse_int(w.val, w.val_len, &n))
			p->panic_timeout = n;
		else if (word_is(k, kl, "console") && w.has_val)
			parse_console(&w, p);
		else if (word_is(k, kl, "mitigations") && w.has_val)
			parse_mitigations(&w, p);
		else if (word_is(k, kl, "exit"))
			p->exit = true;
		else if (word_is(k, kl, "init") && w.has_val) {
			p->init = w.val;
			p->init_len = w.val_len;
		} else if (word_is(k, kl, "rdinit") && w.has_val) {
			p->rdinit = w.val;
			p->rdinit_len = w.val_len;
		}
	}
}

void cmdline_set(const char *cmdline)
{
	boot_cmdline = cmdline;
	kernel_params_parse(cmdline, &boot_params);
}

const char *cmdline_get(void)
{
	return boot_cmdline;
}

const struct kernel_params *kernel_params(void)
{
	return &boot_params;
}

bool cmdline_option(const char *key, const char **val, size_t *val_len)
{
	return cmdline_find(boot_cmdline, key, val, val_len);
}
