/* An anonymous mapping that is not read/write. */
#include "prog.h"

int main(void)
{
	size_t page = page_size();
	char *p = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	munmap(p, page);
	printf("done\n");
	return 0;
}
