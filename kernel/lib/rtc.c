/*
 * RTC register decoding (kernel/rtc.h): BCD or binary, 12- or 24-hour,
 * and the civil date to days since the epoch without tables.
 */
#include "kernel/rtc.h"

#include <stdbool.h>

static bool bcd_ok(uint8_t v)
{
	return (v & 0x0f) <= 9 && (v >> 4) <= 9;
}

static unsigned from_bcd(uint8_t v)
{
	return (v >> 4) * 10u + (v & 0x0f);
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Years start in March, so the leap day is the last of its year. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;				       /* 0..399 */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	       /* 0..146096 */
	return era * 146097 + doe - 719468;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int rtc_to_unix(const struct rtc_regs *r, uint64_t *secs)
{
	bool binary = r->status_b & RTC_B_BINARY;
	uint8_t raw[6] = { r->sec, r->min, (uint8_t)(r->hour & 0x7f), r->day, r->mon, r->year };
	unsigned v[6];
	bool pm = !(r->status_b & RTC_B_24H) && (r->hour & 0x80);

	for (int i = 0; i < 6; i++) {
		if (!binary && !bcd_ok(raw[i]))
			return -1;
		v[i] = binary ? raw[i] : from_bcd(raw[i]);
	}
	unsigned sec = v[0], min = v[1], hour = v[2], day = v[3], mon = v[4], year = v[5];
	if (!(r->status_b & RTC_B_24H)) {
		if (hour < 1 || hour > 12)
			return -1;
		hour = hour % 12 + (pm ? 12 : 0);
	}
	if (year > 99)
		return -1;
	unsigned c = binary ? r->century : bcd_ok(r->century) ? from_bcd(r->century) : 0;
	if (c >= 19 && c <= 99)
		year += c * 100;
	else /* none, or not a century: the register is not standard */
		year += year >= 70 ? 1900 : 2000;
	if (sec > 59 || min > 59 || hour > 23 || mon < 1 || mon > 12 || day < 1 ||
	    day > month_days(year, mon) || year < 1970)
		return -1;
	int64_t days = days_from_civil(year, mon, day);
	*secs = (uint64_t)days * 86400 + hour * 3600u + min * 60u + sec;
	return 0;
}
