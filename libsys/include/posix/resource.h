/*
 * Linux's resource ABI on x86-64 (include/uapi/asm-generic/resource.h,
 * linux/resource.h, linux/times.h): the RLIMIT_* numbers, struct rlimit
 * (getrlimit, setrlimit, prlimit64 alike: two 64-bit words), struct
 * rusage, struct tms and the priority selectors, as a Linux program
 * passes and reads them.
 */
#ifndef POSIX_RESOURCE_H
#define POSIX_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "posix/time.h"

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0ull)

struct posix_rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};
_Static_assert(sizeof(struct posix_rlimit) == 16, "struct rlimit is Linux's");

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct posix_rusage {
	struct posix_timeval ru_utime; /* user time */
	struct posix_timeval ru_stime; /* system time */
	int64_t ru_maxrss;	       /* KiB */
	int64_t ru_ixrss;
	int64_t ru_idrss;
	int64_t ru_isrss;
	int64_t ru_minflt;
	int64_t ru_majflt;
	int64_t ru_nswap;
	int64_t ru_inblock;
	int64_t ru_oublock;
	int64_t ru_msgsnd;
	int64_t ru_msgrcv;
	int64_t ru_nsignals;
	int64_t ru_nvcsw;
	int64_t ru_nivcsw;
};
_Static_assert(sizeof(struct posix_rusage) == 144, "struct rusage is Linux's");
_Static_assert(offsetof(struct posix_rusage, ru_maxrss) == 32, "struct rusage is Linux's");

/* times(2): clock ticks of USER_HZ (AT_CLKTCK, 100 on x86-64). */
#define POSIX_USER_HZ 100
struct posix_tms {
	int64_t tms_utime;
	int64_t tms_stime;
	int64_t tms_cutime;
	int64_t tms_cstime;
};
_Static_assert(sizeof(struct posix_tms) == 32, "struct tms is Linux's");

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

#endif
