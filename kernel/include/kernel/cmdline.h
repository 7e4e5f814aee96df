/* The kernel command line: space-separated key or key=value words. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Find `key` in `cmdline`. Returns true if present; *val and *val_len give the
 * value after '=' (empty for a bare key). Pure: host-tested.
 */
bool cmdline_find(const char *cmdline, const char *key, const char **val, size_t *val_len);
/* Is `item` one of the comma-separated words of the value? */
bool cmdline_list_has(const char *val, size_t val_len, const char *item);

/* The boot command line, once set by kmain. */
void cmdline_set(const char *cmdline);
const char *cmdline_get(void);
bool cmdline_option(const char *key, const char **val, size_t *val_len);

#endif
