/* Installs its own SIGSEGV handler after start-up. A fault at an address
 * the program never mapped must reach that handler; a use after unmap must
 * still be reported. */
#include "prog.h"

#include <setjmp.h>
#include <signal.h>

static sigjmp_buf back;
static volatile sig_atomic_t handled;

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	handled = info->si_addr == (void *)64;
	siglongjmp(back, 1);
}

static NOINLINE int read_byte(volatile char *p)
{
	return *p;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) != 0)
		die("sigaction");
	if (sigsetjmp(back, 1) == 0)
		read_byte((volatile char *)64);
	printf("%s\n", handled ? "handled" : "not handled");
	fflush(stdout);

	size_t page = page_size();
	char *p = map_anon(page);
	p[0] = 1;
	munmap(p, page);
	if (sigsetjmp(back, 1) == 0)
		read_byte(p);
	printf("own handler saw the use after unmap\n");
	return 0;
}
