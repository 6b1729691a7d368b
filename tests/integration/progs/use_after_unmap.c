/* A load from a mapping after munmap. */
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

static NOINLINE int read_byte(volatile char *p)
{
	return p[0];
}

int main(void)
{
	size_t page = page_size();
	char *p = make_mapping(4 * page);
	memset(p, 7, 4 * page);
	drop_mapping(p, 4 * page);
	printf("read %d\n", read_byte(p + page));
	printf("done\n");
	return 0;
}
