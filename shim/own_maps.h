/* Mappings made while the guard was held: libunwind's caches, an allocator
 * mapping from inside dlsym's malloc. They bypass the table, yet may be
 * unmapped later from outside the runtime (libunwind frees its per-thread
 * cache at thread exit), which must not read as unmap-untracked. Lock-free:
 * notes are taken where the table lock may already be held. */
#ifndef MAPSAN_OWN_MAPS_H
#define MAPSAN_OWN_MAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "mapsan/machine.h"

/* forget: take the range out of the table at the next sync (own_sync). A
 * MAP_FIXED mapping is not forgotten: it may replace the contents of a
 * program mapping, whose range stays the program's, as in record.c. */
void own_note_map(uint64_t base, uint64_t len, bool forget);
void own_note_unmap(uint64_t base, uint64_t len);
/* Whether [base, base+len) lies inside one noted mapping. Report path only. */
bool own_covers(uint64_t base, uint64_t len);

/* Noted mappings not yet taken out of the table (own_sync). */
extern unsigned own_unsynced;

/* Takes every noted mapping made since the last sync out of the machine's
 * live and dead tables: the kernel may have placed it where the table still
 * remembers a program mapping that was unmapped, and that memory is no
 * longer dead. Call with the table lock held. */
void own_sync_slow(ms_machine *m);

static inline void own_sync(ms_machine *m)
{
	if (__builtin_expect(__atomic_load_n(&own_unsynced, __ATOMIC_ACQUIRE) != 0, 0))
		own_sync_slow(m);
}

#endif
