/*
 * RTC decoding: known dates in BCD and binary, 12-hour mode (12 AM is
 * hour 0, 12 PM is 12), the century register or the two-digit rule,
 * leap days, and registers out of range refused; days_from_civil
 * against a day-by-day count from the epoch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <kernel/rtc.h>

static uint64_t conv(struct rtc_regs r)
{
	uint64_t s = 0;

	assert_int_equal(rtc_to_unix(&r, &s), 0);
	return s;
}

static void known_dates(void **state)
{
	(void)state;
	/* 2024-02-29 13:45:07 UTC = 1709214307, BCD 24-hour with century. */
	struct rtc_regs bcd = { 0x07, 0x45, 0x13, 0x29, 0x02, 0x24, 0x20, RTC_B_24H };
	assert_int_equal(conv(bcd), 1709214307ull);
	struct rtc_regs bin = { 7, 45, 13, 29, 2, 24, 20, RTC_B_24H | RTC_B_BINARY };
	assert_int_equal(conv(bin), 1709214307ull);
	/* Without a century register: 24 is 2024, 99 is 1999. */
	bcd.century = 0;
	assert_int_equal(conv(bcd), 1709214307ull);
	struct rtc_regs y99 = { 0x59, 0x59, 0x23, 0x31, 0x12, 0x99, 0, RTC_B_24H };
	assert_int_equal(conv(y99), 946684799ull); /* 1999-12-31 23:59:59 */
	/* A garbage century register falls back to the two-digit rule. */
	bcd.century = 0xff;
	assert_int_equal(conv(bcd), 1709214307ull);
	struct rtc_regs epoch = { 0, 0, 0, 1, 1, 70, 0x19, RTC_B_24H | RTC_B_BINARY };
	epoch.century = 19;
	assert_int_equal(conv(epoch), 0);
}

static void twelve_hour(void **state)
{
	(void)state;
	/* 12-hour BCD: 12 AM = 00h, 12 PM = 12h, 1 PM = 13h. */
	struct rtc_regs r = { 0, 0, 0x12, 0x01, 0x01, 0x25, 0x20, 0 };
	uint64_t midnight = conv(r);
	assert_int_equal(midnight, 1735689600ull); /* 2025-01-01 00:00:00 */
	r.hour = 0x80 | 0x12;
	assert_int_equal(conv(r), midnight + 12 * 3600);
	r.hour = 0x80 | 0x01;
	assert_int_equal(conv(r), midnight + 13 * 3600);
	r.hour = 0x11;
	assert_int_equal(conv(r), midnight + 11 * 3600);
}

static void refused(void **state)
{
	(void)state;
	uint64_t s;
	const struct rtc_regs bad[] = {
		{ 0x60, 0, 0, 1, 1, 0x24, 0x20, RTC_B_24H },	      /* second 60 */
		{ 0x0a, 0, 0, 1, 1, 0x24, 0x20, RTC_B_24H },	      /* not BCD */
		{ 0, 0, 0x24, 1, 1, 0x24, 0x20, RTC_B_24H },	      /* hour 24 */
		{ 0, 0, 0, 0x30, 0x02, 0x24, 0x20, RTC_B_24H },	      /* Feb 30 */
		{ 0, 0, 0, 0x29, 0x02, 0x23, 0x20, RTC_B_24H },	      /* 2023 not leap */
		{ 0, 0, 0, 1, 0x13, 0x24, 0x20, RTC_B_24H },	      /* month 13 */
		{ 0, 0, 0, 0, 1, 0x24, 0x20, RTC_B_24H },	      /* day 0 */
		{ 0, 0, 0x00, 1, 1, 0x24, 0x20, 0 },		      /* 12h hour 0 */
		{ 0, 0, 0, 1, 1, 100, 20, RTC_B_24H | RTC_B_BINARY }, /* year 100 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rtc_to_unix(&bad[i], &s), -1);
}

static void civil_days_count(void **state)
{
	(void)state;
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t n = 0;

	for (int64_t y = 1970; y < 2400; y++)
		for (unsigned m = 1; m <= 12; m++) {
			unsigned len = mdays[m - 1];
			if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
				len = 29;
			for (unsigned d = 1; d <= len; d++)
				assert_int_equal(days_from_civil(y, m, d), n++);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_dates),
		cmocka_unit_test(twelve_hour),
		cmocka_unit_test(refused),
		cmocka_unit_test(civil_days_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
