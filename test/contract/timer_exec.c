/* What execve keeps of the timers (Linux): ITIMER_REAL and alarm go on
 * in the new image (the same deadline, the interval too), POSIX timers
 * are gone but the next id goes on. The program execs itself ("./init after"), as signal_exec;
 * the timer is 100 s away, disarmed before it could fire. */
#include "contract.h"
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct itimerval v;
	contract_begin("timer_exec");
	if (argc == 2 && strcmp(argv[1], "after") == 0) {
		OK(getitimer(ITIMER_REAL, &v));
		TRUE(v.it_value.tv_sec >= 95 && v.it_value.tv_sec <= 100);
		TRUE(v.it_interval.tv_sec == 7 && v.it_interval.tv_usec == 0);
		struct itimerspec cur;
		ERR(syscall(SYS_timer_gettime, 0, &cur), EINVAL); /* POSIX timers gone */
		int id = -1;
		OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id));
		VAL(id, 2); /* the next id is kept (Linux's signal struct) */
		OK(syscall(SYS_timer_delete, id));
		long left = alarm(0);
		TRUE(left >= 95 && left <= 100);
		return contract_end();
	}
	int id = -1;
	OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id));
	OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id));
	VAL(id, 1);
	struct itimerspec its = { { 0, 0 }, { 50, 0 } };
	OK(syscall(SYS_timer_settime, id, 0, &its, NULL));
	v = (struct itimerval){ { 7, 0 }, { 100, 0 } };
	OK(setitimer(ITIMER_REAL, &v, NULL));
	char *args[] = { "./init", "after", NULL };
	char *env[] = { NULL };
	printf("exec\n");
	execve("./init", args, env);
	contract_fail(__LINE__, "execve: %s", errno_name(errno));
	return contract_end();
}
