/* A private read-only mapping of a regular file. */
#include "prog.h"

int main(void)
{
	size_t page = page_size();
	int fd = temp_file(page);
	char *p = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	printf("read %c\n", p[0]);
	munmap(p, page);
	close(fd);
	printf("done\n");
	return 0;
}
