/* nanosleep and clock_nanosleep sleep at least as long as asked (and not
 * absurdly longer); an absolute time in the past returns at once. */
#include "contract.h"
#include <time.h>

static int64_t now_ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(void)
{
	struct timespec rem = { 77, 77 };
	contract_begin("time_nanosleep");

	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	VAL(nanosleep(&(struct timespec){ 0, 20000000 }, &rem), 0);
	int64_t d = now_ns(CLOCK_MONOTONIC) - t0;
	TRUE(d >= 20000000 && d < 5000000000);
	TRUE(rem.tv_sec == 77 && rem.tv_nsec == 77); /* untouched on success */
	t0 = now_ns(CLOCK_MONOTONIC);
	VAL(nanosleep(&(struct timespec){ 0, 0 }, NULL), 0);
	VAL(nanosleep(&(struct timespec){ 0, 1 }, NULL), 0);
	VAL(nanosleep(&(struct timespec){ 0, 999999999 }, NULL), 0);
	d = now_ns(CLOCK_MONOTONIC) - t0;
	TRUE(d >= 999999999 && d < 10000000000);

	/* clock_nanosleep returns the error itself, not -1. */
	t0 = now_ns(CLOCK_MONOTONIC);
	VAL(clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){ 0, 15000000 }, NULL), 0);
	d = now_ns(CLOCK_MONOTONIC) - t0;
	TRUE(d >= 15000000 && d < 5000000000);
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	VAL(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
	TRUE(now_ns(CLOCK_MONOTONIC) >= (int64_t)abs.tv_sec * 1000000000 + abs.tv_nsec);
	/* In the past: at once. */
	t0 = now_ns(CLOCK_MONOTONIC);
	VAL(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &(struct timespec){ 0, 0 }, NULL), 0);
	VAL(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &(struct timespec){ 1, 0 }, NULL), 0);
	TRUE(now_ns(CLOCK_MONOTONIC) - t0 < 1000000000);
	VAL(clock_nanosleep(CLOCK_REALTIME, 0, &(struct timespec){ 0, 1000000 }, NULL), 0);
	VAL(clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){ 0, 1000000000 }, NULL), EINVAL);
	VAL(clock_nanosleep(12345, 0, &(struct timespec){ 0, 1 }, NULL), EINVAL);
	ERR(nanosleep(&(struct timespec){ 0, 1000000000 }, NULL), EINVAL);
	ERR(nanosleep(&(struct timespec){ -1, 0 }, NULL), EINVAL);
	return contract_end();
}
