#include "own_maps.h"

#define OWN_SLOTS 1024

typedef struct {
	uint64_t base;   /* 0: free; claimed by CAS before len is written */
	uint64_t len;
	unsigned unsynced; /* still to be taken out of the table */
} own_slot;

static own_slot slots[OWN_SLOTS];
static unsigned slots_high; /* slots beyond this were never used */

unsigned own_unsynced;

/* A mapping made under the guard cannot be taken out of the table there
 * and then: the guard is held exactly when this thread is already inside
 * the runtime, where it may hold the table lock (a report's stack capture)
 * or not (the capture before a call, a signal handler), and waiting for
 * the lock from a thread that holds another of the runtime's locks could
 * deadlock. So the note is flagged here and the next call_run applies it
 * under the lock, before its own check. That is early enough: the only
 * calls that can meet the mapping's pages in the table are the program's,
 * and each of them syncs first. A note whose mapping was unmapped under the
 * guard meanwhile is gone from its slot and is not applied, so a program
 * mapping the kernel has since placed there keeps its record. */
void own_note_map(uint64_t base, uint64_t len, bool forget)
{
	for (unsigned i = 0; i < OWN_SLOTS; i++) {
		uint64_t expect = 0;
		if (!__atomic_compare_exchange_n(&slots[i].base, &expect, base, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&slots[i].len, len, __ATOMIC_RELEASE);
		__atomic_store_n(&slots[i].unsynced, forget, __ATOMIC_RELEASE);
		unsigned high = __atomic_load_n(&slots_high, __ATOMIC_RELAXED);
		while (high < i + 1 &&
		       !__atomic_compare_exchange_n(&slots_high, &high, i + 1, 1,
						    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			;
		if (forget)
			__atomic_add_fetch(&own_unsynced, 1, __ATOMIC_RELEASE);
		return;
	}
	/* Full: the mapping goes unnoted; at worst one spurious report. */
}

void own_note_unmap(uint64_t base, uint64_t len)
{
	unsigned high = __atomic_load_n(&slots_high, __ATOMIC_ACQUIRE);
	uint64_t end = base + len;
	for (unsigned i = 0; i < high; i++) {
		uint64_t b = __atomic_load_n(&slots[i].base, __ATOMIC_ACQUIRE);
		if (!b || b < base || b >= end)
			continue;
		/* len first: a sync that reads the slot after it is claimed
		 * again sees either 0 (nothing to forget) or the new len. */
		__atomic_store_n(&slots[i].len, 0, __ATOMIC_RELEASE);
		__atomic_compare_exchange_n(&slots[i].base, &b, 0, 0, __ATOMIC_ACQ_REL,
					    __ATOMIC_RELAXED);
	}
}

bool own_covers(uint64_t base, uint64_t len)
{
	unsigned high = __atomic_load_n(&slots_high, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < high; i++) {
		uint64_t b = __atomic_load_n(&slots[i].base, __ATOMIC_ACQUIRE);
		uint64_t l = __atomic_load_n(&slots[i].len, __ATOMIC_ACQUIRE);
		if (b && base >= b && base - b < l && len <= l - (base - b))
			return true;
	}
	return false;
}

void own_sync_slow(ms_machine *m)
{
	/* Taken before the scan: a note flagged during it counts again and is
	 * seen by the next sync. */
	__atomic_store_n(&own_unsynced, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	unsigned high = __atomic_load_n(&slots_high, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < high; i++) {
		if (!__atomic_exchange_n(&slots[i].unsynced, 0, __ATOMIC_ACQ_REL))
			continue;
		uint64_t b = __atomic_load_n(&slots[i].base, __ATOMIC_ACQUIRE);
		uint64_t l = __atomic_load_n(&slots[i].len, __ATOMIC_ACQUIRE);
		if (b && l)
			ms_forget(m, b, l);
	}
}
