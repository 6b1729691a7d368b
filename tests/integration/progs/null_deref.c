/* A plain crash that has nothing to do with mappings: it must end the
 * program with SIGSEGV, as it would without the runtime. */
#include "prog.h"

static NOINLINE int load(volatile int *p)
{
	return *p;
}

/* Through a variable, so the compiler cannot see the address is bogus. */
static volatile uintptr_t bogus = 16;

int main(void)
{
	char *p = map_anon(page_size());
	p[0] = 1;
	munmap(p, page_size());
	printf("about to crash\n");
	fflush(stdout);
	printf("%d\n", load((volatile int *)bogus));
	return 0;
}
