/* A fault that is not mapsan's at an address the table remembers as
 * unmapped: the program unmaps a page (no quarantine), then maps PROT_NONE
 * memory there by a path the runtime cannot see (a raw system call, as
 * libc maps thread stacks and their guard pages), installs its own SIGSEGV
 * handler and touches that memory. The handler must get the fault, with no
 * report: the memory is the program's, mapped and merely protected. */
#include "prog.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/syscall.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static sigjmp_buf back;
static volatile sig_atomic_t handled;

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	handled = info->si_code == SEGV_ACCERR;
	siglongjmp(back, 1);
}

static NOINLINE int read_byte(volatile char *p)
{
	return *p;
}

int main(void)
{
	size_t page = page_size(), len = 256 * page;
	/* The lowest page of a large hole: the kernel hands out the top of a
	 * hole first, so the runtime's own small mappings land elsewhere. */
	char *p = map_anon(len);
	if (munmap(p, len) != 0)
		die("munmap");
	long r = syscall(SYS_mmap, p, page, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (r != (long)p) {
		printf("address taken meanwhile\ndone\n");
		return 0;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &sa, NULL) != 0)
		die("sigaction");
	if (sigsetjmp(back, 1) == 0)
		read_byte(p);
	printf("%s\ndone\n", handled ? "handled" : "not handled");
	return 0;
}
