/* A read-only private mapping of a memfd sealed against shrinking, growing
 * and writing. */
#include "prog.h"

#include <fcntl.h>

int main(void)
{
	size_t page = page_size();
	int fd = memfd_create("mapsan-sealed", MFD_ALLOW_SEALING);
	if (fd < 0)
		die("memfd_create");
	char buf[4096];
	memset(buf, 's', sizeof buf);
	for (size_t done = 0; done < page; done += sizeof buf)
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
			die("write");
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0)
		die("F_ADD_SEALS");
	char *p = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	printf("read %c\n", p[0]);
	munmap(p, page);
	close(fd);
	printf("done\n");
	return 0;
}
