/* munmap of memory the program never mapped: a heap block (heap), a page
 * of the main thread's stack (stack) or of libc's code (lib). */
#include "prog.h"

static NOINLINE void unmap_heap(size_t page)
{
	/* Below the mmap threshold: the block comes from the brk heap. */
	char *p = malloc(4 * page);
	if (!p)
		die("malloc");
	char *a = (char *)(((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1));
	printf("munmap %p\n", (void *)a);
	fflush(stdout);
	munmap(a, page);
	free(p);
}

static NOINLINE void unmap_stack(size_t page)
{
	volatile char buf[3 * 4096 * 4];
	buf[0] = 1;
	char *a = (char *)(((uintptr_t)buf + page - 1) & ~(uintptr_t)(page - 1));
	printf("munmap %p\n", (void *)a);
	fflush(stdout);
	munmap(a, page);
	buf[1] = 2;
}

static NOINLINE void unmap_lib(size_t page)
{
	char *a = (char *)((uintptr_t)(void *)&printf & ~(uintptr_t)(page - 1));
	printf("munmap %p\n", (void *)a);
	fflush(stdout);
	munmap(a, page);
}

int main(int argc, char **argv)
{
	if (mode_is(argc, argv, "lib"))
		unmap_lib(page_size());
	else if (mode_is(argc, argv, "stack"))
		unmap_stack(page_size());
	else
		unmap_heap(page_size());
	printf("done\n");
	return 0;
}
