/* A file mapping that reaches past the end of a 100-byte file. */
#include "prog.h"

int main(void)
{
	size_t len = 2 * page_size();
	int fd = temp_file(100);
	char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	printf("read %c\n", p[0]);
	munmap(p, len);
	close(fd);
	printf("done\n");
	return 0;
}
