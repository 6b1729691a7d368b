/* Mappings made while the guard was held: libunwind's caches, an allocator
 * mapping from inside dlsym's malloc. They bypass the table, yet may be
 * unmapped later from outside the runtime (libunwind frees its per-thread
 * cache at thread exit), which must not read as unmap-untracked. Lock-free:
 * notes are taken where the table lock may already be held. */
#ifndef MAPSAN_OWN_MAPS_H
#define MAPSAN_OWN_MAPS_H

#include <stdbool.h>
#include <stdint.h>

void own_note_map(uint64_t base, uint64_t len);
void own_note_unmap(uint64_t base, uint64_t len);
/* Whether [base, base+len) lies inside one noted mapping. Report path only. */
bool own_covers(uint64_t base, uint64_t len);

#endif
