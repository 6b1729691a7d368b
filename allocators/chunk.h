/* Aligned chunks of address space, after jemalloc's pages.c: over-map, then
 * trim the misaligned head and the tail with munmap. Built with
 * CHUNK_MIRI_CLEAN, the over-mapping is kept whole and unmapped whole, which
 * keeps to Miri's model of mmap at the cost of the slack. */
#ifndef CHUNK_H
#define CHUNK_H

#include <stddef.h>

/* size bytes (rounded up to pages) aligned to alignment (a power of two;
 * anything below the page size means the page size). NULL on failure. */
void *chunk_alloc(size_t size, size_t alignment);
/* Returns a chunk; size is the size given to chunk_alloc. */
void chunk_free(void *p, size_t size);

/* The layers below chunk_alloc, exported so that stacks name them. */
void *chunk_map(size_t size);
void chunk_unmap(void *addr, size_t size);
/* Gives back the leadsize bytes before and the bytes after size bytes of
 * an over-mapping of alloc_size bytes at addr. */
void chunk_trim(void *addr, size_t alloc_size, size_t leadsize, size_t size);

#endif
