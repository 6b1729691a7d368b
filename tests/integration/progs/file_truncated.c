/* A file shrinks under its mapping; touching the lost page raises SIGBUS. */
#include "prog.h"

static NOINLINE int touch(volatile char *p)
{
	return p[0];
}

int main(void)
{
	size_t len = 2 * page_size();
	int fd = temp_file(len);
	char *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (ftruncate(fd, 0) != 0)
		die("ftruncate");
	printf("truncated\n");
	fflush(stdout);
	printf("read %d\n", touch(p + page_size()));
	printf("done\n");
	return 0;
}
