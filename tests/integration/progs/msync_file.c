/* msync_file [nosync]: writes through a shared writable file mapping, then
 * unmaps it, after msync or (nosync) without: write-back errors would then
 * go unseen. */
#include "prog.h"

int main(int argc, char **argv)
{
	size_t page = page_size();
	int fd = temp_file(page);
	char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	p[0] = 'y';
	if (!mode_is(argc, argv, "nosync"))
		printf("msync returned %d\n", msync(p, page, MS_SYNC));
	munmap(p, page);
	close(fd);
	printf("done\n");
	return 0;
}
