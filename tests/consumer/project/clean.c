/* Maps and frees whole mappings, as Miri allows. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	int n = argc > 1 ? atoi(argv[1]) : 1;
	const char *preload = getenv("LD_PRELOAD");

	for (int i = 1; i <= n; i++) {
		char *p = mmap(NULL, (size_t)(i * page), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		p[0] = 1;
		if (munmap(p, (size_t)(i * page)) != 0)
			return 1;
	}
	printf("LD_PRELOAD=%s\n", preload ? preload : "");
	return 0;
}
