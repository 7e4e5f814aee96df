/*
 * The Linux words the kernel acts on (kernel_params) and the boot command
 * line; the reading of words is common/cmdline.c.
 */
#include "kernel/cmdline.h"

#include "common/string.h"

static const char *boot_cmdline = "";
static struct kernel_params boot_params = {
	.console_loglevel = CONSOLE_LOGLEVEL_DEFAULT,
	.console_serial = -1,
};

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
	if (cmdline_word_is(w->val, w->val_len, "off"))
		p->mitigations = MITIGATIONS_OFF;
	else if (cmdline_word_is(w->val, w->val_len, "auto"))
		p->mitigations = MITIGATIONS_AUTO;
	else if (cmdline_word_is(w->val, w->val_len, "auto,nosmt"))
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
		if (cmdline_word_is(k, kl, "quiet"))
			p->console_loglevel = CONSOLE_LOGLEVEL_QUIET;
		else if (cmdline_word_is(k, kl, "debug"))
			p->console_loglevel = CONSOLE_LOGLEVEL_DEBUG;
		else if (cmdline_word_is(k, kl, "loglevel") && parse_int(w.val, w.val_len, &n))
			p->console_loglevel = n;
		else if (cmdline_word_is(k, kl, "panic") && parse_int(w.val, w.val_len, &n))
			p->panic_timeout = n;
		else if (cmdline_word_is(k, kl, "console") && w.has_val)
			parse_console(&w, p);
		else if (cmdline_word_is(k, kl, "mitigations") && w.has_val)
			parse_mitigations(&w, p);
		else if (cmdline_word_is(k, kl, "exit"))
			p->exit = true;
		else if (cmdline_word_is(k, kl, "init") && w.has_val) {
			p->init = w.val;
			p->init_len = w.val_len;
		} else if (cmdline_word_is(k, kl, "rdinit") && w.has_val) {
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
