/* A shared writable mapping of a regular file. */
#include "prog.h"

int main(void)
{
	size_t page = page_size();
	int fd = temp_file(page);
	char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	p[0] = 'y';
	munmap(p, page);
	close(fd);
	printf("done\n");
	return 0;
}
