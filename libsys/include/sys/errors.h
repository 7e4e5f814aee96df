/* Text for the kernel's error codes. */
#ifndef SYS_ERRORS_H
#define SYS_ERRORS_H

/* The text of an enum tern_error; "unknown error" for anything else. */
const char *tern_strerror(int err);

#endif
