/* The stack depot: every distinct stack stored once, named by a 32-bit id.
 * Lock-free throughout: a lookup that hits takes no lock and writes nothing;
 * an insert claims arena space and links its entry with compare-and-swap.
 * So capture works in signal handlers, in a forked child whose other
 * threads died mid-insert, and when libunwind re-enters the runtime. */
#include <stdatomic.h>
#include <sys/mman.h>

#include "capture.h"
#include "forward.h"
#include "runtime.h"
#include "sys.h"

#define BUCKET_BITS 18
#define CHUNK_SHIFT 20            /* 1 MiB arena chunks */
#define CHUNK_SIZE (1ul << CHUNK_SHIFT)
#define MAX_CHUNKS 4096           /* 4 GiB of stacks */
#define ENTRY_ALIGN 8

/* An id is (chunk << 17 | offset / 8); offsets start past 0 so ids are
 * never 0. */
#define ID_OFF_BITS (CHUNK_SHIFT - 3)

typedef struct depot_entry {
	struct depot_entry *_Atomic next;
	uint32_t hash;
	uint32_t count;
	uint32_t id;
	uint32_t pad_;
	uintptr_t pcs[];
} depot_entry;

static depot_entry *_Atomic *_Atomic buckets;
static char *_Atomic chunks[MAX_CHUNKS];
static _Atomic uint64_t cursor = ENTRY_ALIGN; /* chunk << 32 | offset */
static atomic_size_t held_bytes;

static void *raw_map(size_t len)
{
	long p = fwd_mmap_runtime(len, -1);
	return sys_failed(p) ? NULL : (void *)p;
}

static void raw_unmap(void *p, size_t len)
{
	sys_call2(SYS_munmap, p, len);
}

/* Installs a fresh mapping in *slot unless another thread was first. */
static void *install_map(void *_Atomic *slot, size_t len)
{
	void *cur = atomic_load_explicit(slot, memory_order_acquire);
	if (cur)
		return cur;
	void *fresh = raw_map(len);
	if (!fresh)
		return NULL;
	if (atomic_compare_exchange_strong_explicit(slot, &cur, fresh, memory_order_acq_rel,
						    memory_order_acquire)) {
		atomic_fetch_add_explicit(&held_bytes, len, memory_order_relaxed);
		return fresh;
	}
	raw_unmap(fresh, len);
	return cur;
}

static depot_entry *_Atomic *bucket_array(void)
{
	return install_map((void *_Atomic *)&buckets, sizeof(void *) << BUCKET_BITS);
}

/* Claims size bytes of arena; returns the entry and its id. */
static depot_entry *arena_claim(size_t size, uint32_t *id)
{
	uint64_t cur = atomic_load_explicit(&cursor, memory_order_relaxed);
	for (;;) {
		uint64_t chunk = cur >> 32, off = cur & 0xffffffffu;
		if (chunk >= MAX_CHUNKS)
			return NULL;
		uint64_t next = off + size <= CHUNK_SIZE ? cur + size : (chunk + 1) << 32 | ENTRY_ALIGN;
		if (!atomic_compare_exchange_weak_explicit(&cursor, &cur, next, memory_order_relaxed,
							   memory_order_relaxed))
			continue;
		if (off + size > CHUNK_SIZE) {
			cur = next;
			continue;
		}
		char *base = install_map((void *_Atomic *)&chunks[chunk], CHUNK_SIZE);
		if (!base)
			return NULL;
		*id = (uint32_t)(chunk << ID_OFF_BITS | off / ENTRY_ALIGN);
		return (depot_entry *)(base + off);
	}
}

static uint32_t hash_pcs(const uintptr_t *pcs, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	for (size_t i = 0; i < n; i++) {
		h ^= pcs[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return (uint32_t)(h ^ h >> 29);
}

static bool same_stack(const depot_entry *e, uint32_t hash, const uintptr_t *pcs, size_t n)
{
	if (e->hash != hash || e->count != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (e->pcs[i] != pcs[i])
			return false;
	return true;
}

/* Searches the chain from e up to (not including) stop. */
static depot_entry *chain_find(depot_entry *e, depot_entry *stop, uint32_t hash,
			       const uintptr_t *pcs, size_t n)
{
	for (; e && e != stop; e = atomic_load_explicit(&e->next, memory_order_acquire))
		if (same_stack(e, hash, pcs, n))
			return e;
	return NULL;
}

uint32_t depot_store(const uintptr_t *pcs, size_t n)
{
	depot_entry *_Atomic *table = bucket_array();
	if (!table)
		return 0;
	uint32_t hash = hash_pcs(pcs, n);
	depot_entry *_Atomic *bucket = &table[hash & ((1u << BUCKET_BITS) - 1)];
	depot_entry *head = atomic_load_explicit(bucket, memory_order_acquire);
	depot_entry *hit = chain_find(head, NULL, hash, pcs, n);
	if (hit)
		return hit->id;
	uint32_t id;
	size_t size = (sizeof(depot_entry) + n * sizeof(uintptr_t) + ENTRY_ALIGN - 1) &
		      ~(size_t)(ENTRY_ALIGN - 1);
	depot_entry *e = arena_claim(size, &id);
	if (!e)
		return 0;
	e->hash = hash;
	e->count = (uint32_t)n;
	e->id = id;
	for (size_t i = 0; i < n; i++)
		e->pcs[i] = pcs[i];
	for (;;) {
		atomic_store_explicit(&e->next, head, memory_order_relaxed);
		depot_entry *seen = head;
		if (atomic_compare_exchange_weak_explicit(bucket, &head, e, memory_order_release,
							  memory_order_acquire))
			return id;
		/* Someone else linked first: they may have stored this stack.
		 * If so the claimed space is simply left unused. */
		hit = chain_find(head, seen, hash, pcs, n);
		if (hit)
			return hit->id;
	}
}

void depot_prepare(void)
{
	static atomic_int done;
	if (atomic_load_explicit(&done, memory_order_relaxed))
		return;
	/* The per-thread cache takes no lock, so a capture in a signal handler
	 * cannot wait on the thread it interrupted. */
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	atomic_store_explicit(&done, 1, memory_order_relaxed);
}

__attribute__((noinline)) uint32_t depot_capture(unsigned skip)
{
	/* Frame 0 of the inlined capture is this function itself. */
	return capture_inline(skip + 1);
}

size_t depot_get(uint32_t id, const uintptr_t **pcs)
{
	uint32_t chunk = id >> ID_OFF_BITS;
	size_t off = (size_t)(id & ((1u << ID_OFF_BITS) - 1)) * ENTRY_ALIGN;
	*pcs = NULL;
	if (id == 0 || chunk >= MAX_CHUNKS || off == 0)
		return 0;
	char *base = atomic_load_explicit(&chunks[chunk], memory_order_acquire);
	if (!base)
		return 0;
	const depot_entry *e = (const depot_entry *)(base + off);
	if (e->id != id)
		return 0;
	*pcs = e->pcs;
	return e->count;
}

size_t depot_bytes(void)
{
	return atomic_load_explicit(&held_bytes, memory_order_relaxed);
}
