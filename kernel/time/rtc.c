/*
 * Reading the CMOS RTC (ports 0x70/0x71). The chip updates its registers
 * once a second, during which they may be inconsistent: wait while
 * status A's update-in-progress bit is set, read every register, and
 * take the values once two reads in a row agree (as Linux's
 * mc146818_get_time does). NMIs stay disabled (bit 7 of the index).
 */
#include "kernel/rtc.h"

#include "arch/io.h"
#include "kernel/time.h"
#include "common/string.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define NMI_OFF 0x80
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_CENTURY 0x32 /* where PCs (and QEMU) keep it; ACPI's FADT may say otherwise */
#define A_UIP 0x80
#define UIP_WAIT_NS 10000000ull /* an update takes under 2 ms */
#define READ_TRIES 8

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static int read_regs(struct rtc_regs *r)
{
	uint64_t deadline = clock_monotonic_ns() + UIP_WAIT_NS;

	while (cmos_read(REG_A) & A_UIP)
		if (clock_monotonic_ns() > deadline)
			return -1;
	r->sec = cmos_read(0x00);
	r->min = cmos_read(0x02);
	r->hour = cmos_read(0x04);
	r->day = cmos_read(0x07);
	r->mon = cmos_read(0x08);
	r->year = cmos_read(0x09);
	r->century = cmos_read(REG_CENTURY);
	r->status_b = cmos_read(REG_B);
	return 0;
}

int rtc_read_unix(uint64_t *secs)
{
	struct rtc_regs a, b;

	if (read_regs(&a))
		return -1;
	for (int i = 0; i < READ_TRIES; i++) {
		if (read_regs(&b))
			return -1;
		if (!memcmp(&a, &b, sizeof(a)))
			return rtc_to_unix(&a, secs);
		a = b;
	}
	return -1;
}
