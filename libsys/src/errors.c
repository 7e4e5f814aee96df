/* Text for the kernel's error codes (tern/errors.h). */
#include "sys/errors.h"

#include "tern/errors.h"

const char *tern_strerror(int err)
{
	switch (err) {
#define TERN_ERROR_CASE(name, num, text) \
	case num:                        \
		return text;
		TERN_ERRORS(TERN_ERROR_CASE)
#undef TERN_ERROR_CASE
	}
	return "unknown error";
}
