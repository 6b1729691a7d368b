/* An anonymous mapping with MAP_NORESERVE. */
#include "prog.h"

int main(void)
{
	size_t len = 16 * page_size();
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	p[0] = 1;
	munmap(p, len);
	printf("done\n");
	return 0;
}
