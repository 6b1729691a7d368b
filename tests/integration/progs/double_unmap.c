/* munmap of a mapping that is already gone. */
#include "prog.h"

static NOINLINE char *make_mapping(size_t len)
{
	return map_anon(len);
}

static NOINLINE void drop_mapping(char *p, size_t len)
{
	if (munmap(p, len) != 0)
		die("munmap");
}

int main(void)
{
	size_t page = page_size();
	char *p = make_mapping(page);
	p[0] = 1;
	drop_mapping(p, page);
	int r = munmap(p, page);
	printf("second munmap returned %d\n", r);
	printf("done\n");
	return 0;
}
