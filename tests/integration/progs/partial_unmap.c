/* munmap of the first page of a two-page mapping. */
#include "prog.h"

int main(void)
{
	size_t page = page_size();
	char *p = map_anon(2 * page);
	p[0] = 1;
	if (munmap(p, page) != 0)
		die("munmap");
	p[page] = 2;
	printf("done\n");
	return 0;
}
