/* Unmaps a mapping, maps another of the same size and stores through the
 * stale pointer. Without a quarantine the kernel usually hands the same
 * address back and the store lands silently in the new mapping. */
#include "prog.h"

int main(void)
{
	size_t len = 16 * page_size();
	char *a = map_anon(len);
	memset(a, 1, len);
	if (munmap(a, len) != 0)
		die("munmap");
	char *b = map_anon(len);
	printf("%s\n", a == b ? "reused" : "fresh");
	fflush(stdout);
	((volatile char *)a)[0] = 2;
	printf("stored\n");
	munmap(b, len);
	printf("done\n");
	return 0;
}
