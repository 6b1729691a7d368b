/* madvise over a range that runs past the end of a mapping (beyond), or
 * mprotect of a mapping that was unmapped (dead). */
#include "prog.h"

int main(int argc, char **argv)
{
	size_t page = page_size();
	char *p = map_anon(2 * page);
	p[0] = 1;
	int r;
	if (mode_is(argc, argv, "dead")) {
		if (munmap(p, 2 * page) != 0)
			die("munmap");
		r = mprotect(p, page, PROT_READ | PROT_WRITE);
	} else {
		r = madvise(p, 3 * page, MADV_WILLNEED);
	}
	printf("returned %d\n", r);
	printf("done\n");
	return 0;
}
