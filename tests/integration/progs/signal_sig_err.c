/* signal(SIGSEGV, SIG_ERR) is refused with EINVAL, as glibc refuses it,
 * and leaves the earlier handler in place. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>

static void on_segv(int sig)
{
	(void)sig;
}

int main(void)
{
	signal(SIGSEGV, on_segv);
	errno = 0;
	int refused = signal(SIGSEGV, SIG_ERR) == SIG_ERR && errno == EINVAL;
	int kept = signal(SIGSEGV, SIG_DFL) == on_segv;
	printf("refused=%d kept=%d\n", refused, kept);
	return 0;
}
