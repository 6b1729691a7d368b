/* MAP_FIXED over the program's own mapping (a commit, allocator style). */
#include "prog.h"

int main(void)
{
	size_t page = page_size();
	char *p = map_anon(2 * page);
	void *q = mmap(p, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (q == MAP_FAILED)
		die("mmap");
	p[0] = 1;
	munmap(p, 2 * page);
	printf("done\n");
	return 0;
}
