/*
 * Error codes of native calls, shared by kernel and user space. One list,
 * expanded into the enum and into the name table, so they cannot drift.
 * Freestanding: no libc includes.
 *
 * INTERRUPTED is also the result a server gives (as the reply's label) to
 * a call it ends early because an upcall reached the waiting caller
 * (tern/personality.h); libposix turns it into EINTR or a restart.
 */
#ifndef TERN_ERRORS_H
#define TERN_ERRORS_H

#define TERN_ERRORS(X)                                              \
	X(OK, 0, "success")                                         \
	X(INVALID_ARGUMENT, 1, "invalid argument")                  \
	X(INVALID_CAPABILITY, 2, "invalid capability")              \
	X(ILLEGAL_OPERATION, 3, "illegal operation")                \
	X(RANGE_ERROR, 4, "argument out of range")                  \
	X(ALIGNMENT_ERROR, 5, "misaligned argument")                \
	X(FAILED_LOOKUP, 6, "capability lookup failed")             \
	X(TRUNCATED_MESSAGE, 7, "message truncated")                \
	X(DELETE_FIRST, 8, "destination slot is occupied")          \
	X(REVOKE_FIRST, 9, "object still has derived capabilities") \
	X(NOT_ENOUGH_MEMORY, 10, "quota exhausted")                 \
	X(INSUFFICIENT_RIGHTS, 11, "capability lacks the right")    \
	X(WOULD_BLOCK, 12, "operation would block")                 \
	X(INTERRUPTED, 13, "interrupted by an upcall")              \
	X(BAD_ADDRESS, 14, "bad user address")                      \
	X(NO_SUCH_CALL, 15, "unknown system call or invocation")

enum tern_error {
#define TERN_ERROR_ENUM(name, num, text) TERN_E##name = num,
	TERN_ERRORS(TERN_ERROR_ENUM)
#undef TERN_ERROR_ENUM
		TERN_E_COUNT
};

#endif
