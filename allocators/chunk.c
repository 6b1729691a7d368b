#include "chunk.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

/* Where a Miri-clean chunk's mapping really starts, kept just below it. */
typedef struct {
	void *base;
	size_t size;
} chunk_header;

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static size_t round_up(size_t n, size_t align)
{
	if (n > SIZE_MAX - (align - 1))
		return 0;
	return (n + align - 1) & ~(align - 1);
}

/* jemalloc treats a failed munmap as a bug in itself, and so do we. Checking
 * the result also keeps munmap out of tail position, so the caller's frame
 * stays on the stack. */
static void chunk_fail(const char *call)
{
	perror(call);
	abort();
}

NOINLINE void *chunk_map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

NOINLINE void chunk_unmap(void *addr, size_t size)
{
	if (munmap(addr, size) != 0)
		chunk_fail("chunk_unmap: munmap");
}

NOINLINE void chunk_trim(void *addr, size_t alloc_size, size_t leadsize, size_t size)
{
	size_t trailsize = alloc_size - leadsize - size;

	if (leadsize != 0 && munmap(addr, leadsize) != 0)
		chunk_fail("chunk_trim: munmap head");
	if (trailsize != 0 && munmap((char *)addr + leadsize + size, trailsize) != 0)
		chunk_fail("chunk_trim: munmap tail");
}

#ifdef CHUNK_MIRI_CLEAN
/* The header needs room below the chunk: map one page more and start the
 * search for an aligned address one page in. */
static void *chunk_alloc_aligned(size_t size, size_t alignment)
{
	size_t page = page_size();
	size_t alloc_size = size + alignment;
	if (alloc_size < size)
		return NULL;
	char *base = chunk_map(alloc_size);
	if (!base)
		return NULL;
	uintptr_t ret = round_up((uintptr_t)base + page, alignment);
	chunk_header *h = (chunk_header *)ret - 1;
	h->base = base;
	h->size = alloc_size;
	return (void *)ret;
}

void chunk_free(void *p, size_t size)
{
	(void)size;
	chunk_header *h = (chunk_header *)p - 1;
	chunk_unmap(h->base, h->size);
}
#else
static void *chunk_alloc_aligned(size_t size, size_t alignment)
{
	size_t alloc_size = size + alignment - page_size();
	if (alloc_size < size)
		return NULL;
	char *base = chunk_map(alloc_size);
	if (!base)
		return NULL;
	size_t leadsize = round_up((uintptr_t)base, alignment) - (uintptr_t)base;
	chunk_trim(base, alloc_size, leadsize, size);
	return base + leadsize;
}

void chunk_free(void *p, size_t size)
{
	chunk_unmap(p, round_up(size, page_size()));
}
#endif

void *chunk_alloc(size_t size, size_t alignment)
{
	size_t page = page_size();
	if (alignment & (alignment - 1))
		return NULL;
	if (alignment < page)
		alignment = page;
	size = round_up(size, page);
	if (size == 0)
		return NULL;
	return chunk_alloc_aligned(size, alignment);
}
