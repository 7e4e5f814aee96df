/*
 * pid 1's argv and envp from the command line, Linux's way (initargs.h).
 */
#include "initargs.h"

#include "common/cmdline.h"
#include "common/string.h"

/* The words the kernel (Linux's and ours) acts on, never passed to init. */
static const char *const kernel_words[] = {
	"console",     "quiet",	       "debug",		  "loglevel",
	"panic",       "init",	       "rdinit",	  "mitigations",
	"root",	       "rootfstype",   "rootwait",	  "rootdelay",
	"ro",	       "rw",	       "earlyprintk",	  "earlycon",
	"nokaslr",     "noapic",       "nolapic",	  "acpi",
	"apic",	       "nosmp",	       "maxcpus",	  "nr_cpus",
	"mem",	       "memmap",       "ignore_loglevel", "initcall_debug",
	"selinux",     "noinitrd",     "selftest",	  "exit",
	"faultaround", "irqoff_stats",
};

static int is_kernel_word(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof(kernel_words) / sizeof(kernel_words[0]); i++)
		if (cmdline_word_is(k, n, kernel_words[i]))
			return 1;
	return 0;
}

/* Stores key[=val] as one string; NULL when the buffer is full. */
static const char *store(struct init_args *a, const struct cmdline_word *w, int with_val)
{
	size_t n = w->key_len + (with_val ? 1 + w->val_len : 0);
	if (a->used + n + 1 > sizeof(a->strings))
		return NULL;
	char *s = a->strings + a->used;
	memcpy(s, w->key, w->key_len);
	if (with_val) {
		s[w->key_len] = '=';
		memcpy(s + w->key_len + 1, w->val, w->val_len);
	}
	s[n] = 0;
	a->used += n + 1;
	return s;
}

static int fail(struct init_args *a, const char *why, const char *word)
{
	a->error = why;
	a->error_word = word;
	return -1;
}

static int add_arg(struct init_args *a, const struct cmdline_word *w)
{
	const char *s = store(a, w, w->has_val);
	if (!s)
		return fail(a, "the init arguments do not fit", NULL);
	if (a->argc == INIT_MAX_ARGS)
		return fail(a, "Too many boot init vars at", s);
	a->argv[a->argc++] = s;
	a->argv[a->argc] = NULL;
	return 0;
}

static int add_env(struct init_args *a, const struct cmdline_word *w)
{
	const char *s = store(a, w, 1);
	if (!s)
		return fail(a, "the init environment does not fit", NULL);
	for (unsigned i = 0; i < a->envc; i++)
		if (strncmp(a->envp[i], s, w->key_len + 1) == 0) {
			a->envp[i] = s; /* the same name again: replaced */
			return 0;
		}
	if (a->envc == INIT_MAX_ENVS + 2)
		return fail(a, "Too many boot env vars at", s);
	a->envp[a->envc++] = s;
	a->envp[a->envc] = NULL;
	return 0;
}

static int has_dot(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.')
			return 1;
	return 0;
}

static void copy_value(char *dst, size_t size, const struct cmdline_word *w)
{
	size_t n = w->val_len < size - 1 ? w->val_len : size - 1;
	memcpy(dst, w->val, n);
	dst[n] = 0;
}

int init_args_build(const char *cmdline, struct init_args *a)
{
	const char *pos = cmdline;
	struct cmdline_word w;

	memset(a, 0, sizeof(*a));
	a->envp[a->envc++] = "HOME=/";
	a->envp[a->envc++] = "TERM=linux";
	while (cmdline_next(&pos, &w)) {
		if (cmdline_word_is(w.key, w.key_len, "rdinit") && w.has_val)
			copy_value(a->rdinit, sizeof(a->rdinit), &w);
		else if (cmdline_word_is(w.key, w.key_len, "init") && w.has_val)
			copy_value(a->init, sizeof(a->init), &w);
		if (w.key_len == 0 || is_kernel_word(w.key, w.key_len))
			continue;
		if (has_dot(w.key, w.key_len))
			continue; /* a module parameter */
		if ((w.has_val ? add_env(a, &w) : add_arg(a, &w)) != 0)
			return -1;
	}
	const char *rest = cmdline_init_args(cmdline);
	/* After "--" every word is init's ("--" again included), split as the
	 * kernel splits words. */
	while (rest) {
		while (*rest == ' ' || *rest == '\t' || *rest == '\n')
			rest++;
		if (!*rest)
			break;
		cmdline_next(&rest, &w); /* false only for "--", still a word */
		if (add_arg(a, &w) != 0)
			return -1;
	}
	return 0;
}
