/* A bump allocator over whole anonymous mappings. Every region is mapped
 * read/write, private and anonymous, and unmapped whole with the size it was
 * mapped with, so it keeps to Miri's model of mmap. */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* An arena whose regions are at least region_size bytes; NULL on failure. */
arena *arena_create(size_t region_size);
/* size bytes aligned to align (a power of two up to the page size); NULL on
 * failure. Memory lives until arena_destroy. */
void *arena_alloc(arena *a, size_t size, size_t align);
/* Bytes handed out so far. */
size_t arena_used(const arena *a);
/* Regions mapped so far. */
size_t arena_regions(const arena *a);
/* Unmaps every region, each whole. */
void arena_destroy(arena *a);

#endif
