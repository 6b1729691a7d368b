/* free() of a block that came from mmap. */
#include "prog.h"

int main(void)
{
	char *p = map_anon(page_size());
	p[0] = 1;
	free(p);
	printf("done\n");
	return 0;
}
