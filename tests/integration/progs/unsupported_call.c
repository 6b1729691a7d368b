/* A call outside Miri's model of mmap: mlock, msync or sbrk. */
#include "prog.h"

int main(int argc, char **argv)
{
	size_t page = page_size();
	char *p = map_anon(page);
	p[0] = 1;
	int r = 0;
	if (mode_is(argc, argv, "mlock"))
		r = mlock(p, page);
	else if (mode_is(argc, argv, "msync"))
		r = msync(p, page, MS_SYNC);
	else if (mode_is(argc, argv, "sbrk"))
		r = sbrk(0) == (void *)-1 ? -1 : 0;
	else
		return 2;
	printf("returned %d\n", r);
	munmap(p, page);
	printf("done\n");
	return 0;
}
