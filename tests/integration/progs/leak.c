/* A mapping still live at exit. */
#include "prog.h"

static NOINLINE char *leaky_map(size_t len)
{
	return map_anon(len);
}

int main(void)
{
	char *p = leaky_map(3 * page_size());
	p[0] = 1;
	printf("done\n");
	return 0;
}
