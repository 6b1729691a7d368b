/* MAP_FIXED over memory that belongs to someone else: a heap page (heap) or
 * a page of libc's code (lib). */
#include "prog.h"

int main(int argc, char **argv)
{
	size_t page = page_size();
	uintptr_t target;
	if (mode_is(argc, argv, "lib")) {
		target = (uintptr_t)(void *)&printf;
	} else {
		char *h = malloc(4 * page);
		if (!h)
			die("malloc");
		h[0] = 1;
		target = (uintptr_t)h + page;
	}
	target &= ~(uintptr_t)(page - 1);
	void *p = mmap((void *)target, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("mmap returned %p\n", p);
	printf("done\n");
	return 0;
}
