/* An ordered set of disjoint page ranges (an AVL tree keyed by base), used
 * twice by the machine: once for live mappings, once for dead ranges. */
#ifndef MAPSAN_TABLE_H
#define MAPSAN_TABLE_H

#include "mapsan/machine.h"

typedef struct ms_range {
	struct ms_range *child[2];
	uint64_t base, end;     /* [base, end), end > base */
	uint32_t origin;        /* stack that created the mapping */
	uint32_t unmap;         /* stack that unmapped it (dead ranges) */
	uint32_t seq;           /* dead ranges: age, for oldest-first eviction */
	uint32_t map_flags;
	uint8_t prot;
	uint8_t height;         /* AVL bookkeeping */
	uint8_t file;           /* file-backed */
	uint8_t pad_;
} ms_range;

typedef struct ms_chunk ms_chunk;

typedef struct {
	ms_range *root;
	size_t count;
	ms_range *free_list;
	ms_chunk *chunks;
	const ms_os *os;
} ms_table;

void table_init(ms_table *t, const ms_os *os);
void table_fini(ms_table *t);

/* The range containing addr, or NULL. */
ms_range *table_find(const ms_table *t, uint64_t addr);
/* The lowest range that overlaps [lo, hi), or NULL. */
ms_range *table_first_overlap(const ms_table *t, uint64_t lo, uint64_t hi);
/* The range after r in address order, or NULL. */
ms_range *table_next(const ms_table *t, const ms_range *r);

/* Inserts a copy of proto (child/height ignored); it must not overlap any
 * range. NULL when no node could be allocated. */
ms_range *table_insert(ms_table *t, const ms_range *proto);
void table_remove(ms_table *t, ms_range *r);

/* Removes [lo, hi) from the set: ranges inside it go, ranges that straddle
 * an edge are trimmed, a range that covers it is split in two (both halves
 * keep the attributes). False when a split could not allocate; then nothing
 * has changed. */
bool table_carve(ms_table *t, uint64_t lo, uint64_t hi);

/* In address order; stop early by returning false. */
void table_walk(const ms_table *t, bool (*fn)(void *ctx, const ms_range *r), void *ctx);

/* Bytes of node memory in use (count * sizeof(ms_range)). */
size_t table_bytes(const ms_table *t);

#endif
