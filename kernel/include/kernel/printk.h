/*
 * Kernel log output on the console. Every kernel line starts with
 * KLOG_PREFIX, so a harness can tell it from programs' output (which goes
 * through console_write unprefixed). A message may start with a level
 * (KERN_ERR "..."), Linux's numbers; it is shown when its level is below
 * the console log level (loglevel=N, quiet, debug). A message without one
 * continues an unfinished kernel line, else it has LOGLEVEL_DEFAULT.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stdbool.h>

#include "common/compiler.h"

#define KLOG_PREFIX "[tern] "

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0" /* panics */
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"	  /* something failed */
#define KERN_WARNING KERN_SOH "4" /* something is off, the boot goes on */
#define KERN_NOTICE KERN_SOH "5"  /* the banner line */
#define KERN_INFO KERN_SOH "6"	  /* boot details, phase timings */
#define KERN_DEBUG KERN_SOH "7"
#define LOGLEVEL_DEFAULT 4 /* a message without a level: a warning, as in Linux */

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
/* Programs' output (DEBUG_PUTS): never prefixed; a kernel line left
 * unfinished is ended first. Each "\n" goes out as "\r\n" unless raw
 * (TERN_DEBUG_PUTS_RAW: the console driver's output, already processed
 * as its termios says). */
void console_write(const char *s, unsigned long n, bool raw);
/* The same, on a line of its own: a newline first when anyone left the
 * line unfinished (DEBUG_PUTS's TERN_DEBUG_PUTS_LINE). */
void console_write_line(const char *s, unsigned long n);
/* Is a message of this level shown on the console? */
int printk_level_shown(int level);

#endif
