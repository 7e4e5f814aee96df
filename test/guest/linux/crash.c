/*
 * posix.crash's /init (static musl): dies of SIGSEGV (a NULL store); proc
 * reports the signal as init's end and the machine exits with failure.
 */
int main(void)
{
	*(volatile int *)0 = 1;
	return 0;
}
