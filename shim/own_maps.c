#include "own_maps.h"

#define OWN_SLOTS 1024

typedef struct {
	uint64_t base; /* 0: free; claimed by CAS before len is written */
	uint64_t len;
} own_slot;

static own_slot slots[OWN_SLOTS];
static unsigned slots_high; /* slots beyond this were never used */

void own_note_map(uint64_t base, uint64_t len)
{
	for (unsigned i = 0; i < OWN_SLOTS; i++) {
		uint64_t expect = 0;
		if (!__atomic_compare_exchange_n(&slots[i].base, &expect, base, 0,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&slots[i].len, len, __ATOMIC_RELEASE);
		unsigned high = __atomic_load_n(&slots_high, __ATOMIC_RELAXED);
		while (high < i + 1 &&
		       !__atomic_compare_exchange_n(&slots_high, &high, i + 1, 1,
						    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			;
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
		if (b && b >= base && b < end)
			__atomic_compare_exchange_n(&slots[i].base, &b, 0, 0,
						    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
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
