/* Everything of libsys in one include, for programs. */
#ifndef SYS_TERN_H
#define SYS_TERN_H

#include "common/elf.h"
#include "common/string.h"
#include "sys/errors.h"
#include "sys/invoke.h"
#include "sys/ipc.h"
#include "sys/malloc.h"
#include "sys/printf.h"
#include "sys/runtime.h"
#include "sys/spawn.h"
#include "sys/syscalls.h"

#endif
