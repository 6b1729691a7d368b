/* mremap with MREMAP_FIXED onto another of the program's mappings. */
#include "prog.h"

int main(void)
{
	size_t len = 2 * page_size();
	char *p = map_anon(len);
	char *q = map_anon(len);
	void *r = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, q);
	if (r == MAP_FAILED)
		die("mremap");
	munmap(r, len);
	printf("done\n");
	return 0;
}
