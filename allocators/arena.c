#include "arena.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* Each region starts with its header; the arena itself lives in the first. */
typedef struct region {
	struct region *next;
	size_t size;
} region;

struct arena {
	region *head;
	size_t region_size;
	size_t used;
	size_t regions;
	uintptr_t cursor;
	uintptr_t limit;
};

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

static region *region_map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	region *r = p;
	r->next = NULL;
	r->size = size;
	return r;
}

static void region_unmap(region *r)
{
	munmap(r, r->size);
}

arena *arena_create(size_t region_size)
{
	size_t need = sizeof(region) + sizeof(arena);
	size_t size = round_up(region_size > need ? region_size : need, page_size());
	if (size == 0)
		return NULL;
	region *r = region_map(size);
	if (!r)
		return NULL;
	arena *a = (arena *)(r + 1);
	a->head = r;
	a->region_size = size;
	a->used = 0;
	a->regions = 1;
	a->cursor = (uintptr_t)(a + 1);
	a->limit = (uintptr_t)r + size;
	return a;
}

static int arena_grow(arena *a, size_t size, size_t align)
{
	size_t need = round_up(sizeof(region) + align + size, page_size());
	if (need == 0)
		return -1;
	region *r = region_map(need > a->region_size ? need : a->region_size);
	if (!r)
		return -1;
	r->next = a->head;
	a->head = r;
	a->regions++;
	a->cursor = (uintptr_t)(r + 1);
	a->limit = (uintptr_t)r + r->size;
	return 0;
}

static uintptr_t align_up(uintptr_t p, size_t align)
{
	return (p + align - 1) & ~(uintptr_t)(align - 1);
}

void *arena_alloc(arena *a, size_t size, size_t align)
{
	if (align == 0 || (align & (align - 1)) || align > page_size())
		return NULL;
	uintptr_t p = align_up(a->cursor, align);
	if (p > a->limit || a->limit - p < size) {
		if (arena_grow(a, size, align) != 0)
			return NULL;
		p = align_up(a->cursor, align);
	}
	a->cursor = p + size;
	a->used += size;
	return (void *)p;
}

size_t arena_used(const arena *a)
{
	return a->used;
}

size_t arena_regions(const arena *a)
{
	return a->regions;
}

void arena_destroy(arena *a)
{
	/* The arena lives in the last region of the list: read every link
	 * before the region holding it goes away. */
	region *r = a->head;
	while (r) {
		region *next = r->next;
		region_unmap(r);
		r = next;
	}
}
