/*
 * libposix's lines in the system log (the kernel's log, prefixed like
 * its own lines, never the program's stdout or stderr).
 */
#ifndef LIBPOSIX_LOG_H
#define LIBPOSIX_LOG_H

__attribute__((format(printf, 1, 2))) void posix_log(const char *fmt, ...);

#endif
