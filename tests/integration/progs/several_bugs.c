/* Three misuses in a row: partial-unmap, double-unmap, map-flags. With
 * halt_on_error=0 each is reported and the program carries on. */
#include "prog.h"

int main(void)
{
	size_t page = page_size();
	char *p = map_anon(2 * page);
	munmap(p, page);
	p[page] = 1;
	printf("after partial\n");

	char *q = map_anon(page);
	munmap(q, page);
	munmap(q, page);
	printf("after double\n");

	char *r = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		die("mmap");
	r[0] = 1;
	munmap(r, page);
	munmap(p + page, page);
	printf("finished\n");
	return 0;
}
