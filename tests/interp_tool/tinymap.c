/* A tiny library for `mapsan-interp run`: the trim of a jemalloc-style
 * chunk allocator, reduced to the one call that Miri rejects. */
#include <stddef.h>
#include <sys/mman.h>

void *tiny_trim(size_t len)
{
	char *p = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Gives back the second half: a partial unmap. */
	munmap(p + len, len);
	return p;
}

int tiny_release(void *p, size_t len)
{
	return munmap(p, len);
}
