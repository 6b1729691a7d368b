/* An anonymous mapping with a non-zero offset. */
#include "prog.h"

int main(void)
{
	size_t page = page_size();
	char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, (off_t)page);
	if (p == MAP_FAILED)
		die("mmap");
	munmap(p, page);
	printf("done\n");
	return 0;
}
