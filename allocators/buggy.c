#include "buggy.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static NOINLINE char *buggy_map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int buggy_overrun(void)
{
	size_t page = page_size();
	/* The kernel places mappings top-down, so the second one usually lands
	 * just below the first: the extra page is then the neighbour's. */
	char *neighbour = buggy_map(page);
	char *p = buggy_map(2 * page);
	if (!neighbour || !p)
		return -1;
	memset(p, 1, 2 * page);
	int r = munmap(p, 3 * page);
	return r;
}

int buggy_double_unmap(void)
{
	size_t page = page_size();
	char *p = buggy_map(page);
	if (!p)
		return -1;
	p[0] = 1;
	if (munmap(p, page) != 0)
		return -1;
	return munmap(p, page);
}

int buggy_use_after_unmap(void)
{
	size_t page = page_size();
	volatile char *p = (volatile char *)buggy_map(page);
	if (!p)
		return -1;
	p[0] = 1;
	if (munmap((void *)p, page) != 0) /* BUGGY-UNMAP */
		return -1;
	p[1] = 2; /* BUGGY-USE */
	return 0;
}

int buggy_free_mapping(void)
{
	char *p = buggy_map(page_size());
	if (!p)
		return -1;
	p[0] = 1;
	free(p);
	return 0;
}

int buggy_clean(void)
{
	size_t page = page_size();
	char *p = buggy_map(4 * page);
	if (!p)
		return -1;
	memset(p, 1, 4 * page);
	void *q = malloc(100);
	free(q);
	return munmap(p, 4 * page);
}
