/*
 * The CMOS real-time clock: read once at boot for CLOCK_REALTIME.
 * rtc_to_unix is pure (host-tested): it turns the registers as read, in
 * BCD or binary and 12- or 24-hour form as status register B says, into
 * seconds since the Unix epoch.
 */
#ifndef KERNEL_RTC_H
#define KERNEL_RTC_H

#include <stdint.h>

#define RTC_B_24H (1u << 1)    /* hours 0..23, else 1..12 with bit 7 = PM */
#define RTC_B_BINARY (1u << 2) /* binary, else BCD */

struct rtc_regs {
	uint8_t sec, min, hour, day, mon, year;
	uint8_t century; /* 0 when the machine has no century register */
	uint8_t status_b;
};

/* 0 and *secs, or -1 when a field is out of range (a broken or unset
 * clock). A two-digit year without a plausible century (19..99) is 19yy
 * from 70, else 20yy. */
int rtc_to_unix(const struct rtc_regs *r, uint64_t *secs);

/* Days from 1970-01-01 to the civil date (proleptic Gregorian). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

/* Read the RTC (kernel/time/rtc.c): 0 and the time, or -1. */
int rtc_read_unix(uint64_t *secs);

#endif
