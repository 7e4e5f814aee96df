/* Command-line word lookup; pure so it can be tested on the host. */
#include "kernel/cmdline.h"

static const char *boot_cmdline = "";

static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ')
		n++;
	return n;
}

bool cmdline_find(const char *cmdline, const char *key, const char **val, size_t *val_len)
{
	size_t klen = 0;

	while (key[klen])
		klen++;
	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		size_t n = word_len(p);
		if (n >= klen && __builtin_memcmp(p, key, klen) == 0 &&
		    (n == klen || p[klen] == '=')) {
			if (val) {
				*val = n == klen ? p + n : p + klen + 1;
				*val_len = n == klen ? 0 : n - klen - 1;
			}
			return true;
		}
		p += n;
	}
	return false;
}

bool cmdline_list_has(const char *val, size_t val_len, const char *item)
{
	size_t ilen = 0;

	while (item[ilen])
		ilen++;
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

void cmdline_set(const char *cmdline)
{
	boot_cmdline = cmdline;
}

const char *cmdline_get(void)
{
	return boot_cmdline;
}

bool cmdline_option(const char *key, const char **val, size_t *val_len)
{
	return cmdline_find(boot_cmdline, key, val, val_len);
}
