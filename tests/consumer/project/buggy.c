/* Frees the tail of a mapping: undefined behavior under Miri's rules. */
#include <sys/mman.h>
#include <unistd.h>

static char *map_two_pages(long page)
{
	return mmap(NULL, (size_t)(2 * page), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = map_two_pages(page);

	if (p == MAP_FAILED)
		return 1;
	if (munmap(p + page, (size_t)page) != 0)
		return 1;
	return munmap(p, (size_t)page) != 0;
}
