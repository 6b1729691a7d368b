/* madvise(MADV_DONTNEED), the way allocators purge pages. */
#include "prog.h"

int main(void)
{
	size_t len = 4 * page_size();
	char *p = map_anon(len);
	memset(p, 1, len);
	if (madvise(p, len, MADV_DONTNEED) != 0)
		die("madvise");
	printf("after purge %d\n", p[0]);
	munmap(p, len);
	printf("done\n");
	return 0;
}
