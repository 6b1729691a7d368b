#include <sys/mman.h>

#include "forward.h"
#include "quarantine.h"
#include "runtime.h"
#include "state.h"

/* vm.max_map_count defaults to 65530: each held range is one mapping, so
 * the count is bounded as well as the bytes. */
#define RING_CAP 16384u

typedef struct {
	uint64_t lo, hi; /* hi == lo: dropped */
} held_range;

static held_range *ring;  /* raw-mmapped: no malloc on the munmap path */
static unsigned ring_head, ring_count;
static uint64_t held_bytes;

static bool ring_ready(void)
{
	if (ring)
		return true;
	long r = fwd_mmap_runtime(RING_CAP * sizeof(held_range), -1);
	if (sys_failed(r))
		return false;
	ring = (held_range *)r;
	return true;
}

static held_range *ring_at(unsigned i)
{
	return &ring[(ring_head + i) % RING_CAP];
}

/* The program may have mapped over a held range since (MAP_FIXED that the
 * claim did not see, e.g. before the table knew it): those pages are live
 * again and are not ours to unmap. */
static void release_range(uint64_t lo, uint64_t hi)
{
	uint64_t cur = lo;
	ms_range_info live;
	while (cur < hi) {
		if (!ms_first_live_from(shim.machine, cur, &live) || live.base >= hi) {
			fwd_munmap(cur, hi - cur);
			return;
		}
		if (live.base > cur)
			fwd_munmap(cur, live.base - cur);
		cur = live.base + live.size;
	}
}

static void drop(held_range *h)
{
	held_bytes -= h->hi - h->lo;
	h->hi = h->lo;
}

static void pop_oldest(void)
{
	ring_head = (ring_head + 1) % RING_CAP;
	ring_count--;
}

/* Kernel-chosen addresses go down one after another, so the oldest entries
 * are mostly neighbours, and the kernel has merged their PROT_NONE mappings
 * into one: one munmap releases a whole run of them. */
static void release_batch(uint64_t keep_bytes, unsigned keep_count)
{
	uint64_t lo = 0, hi = 0;
	while (ring_count && (held_bytes > keep_bytes || ring_count > keep_count)) {
		held_range *h = ring_at(0);
		if (h->hi > h->lo) {
			if (h->hi == lo) {
				lo = h->lo;
			} else if (h->lo == hi && hi) {
				hi = h->hi;
			} else {
				if (hi > lo)
					release_range(lo, hi);
				lo = h->lo;
				hi = h->hi;
			}
			drop(h);
		}
		pop_oldest();
	}
	if (hi > lo)
		release_range(lo, hi);
}

/* Beyond 2^40 MiB the option means "no limit" rather than wrapping. */
static uint64_t limit_bytes(void)
{
	uint64_t mb = shim_opts.quarantine_mb;
	return mb >= (1ull << 40) ? UINT64_MAX / 2 : mb << 20;
}

/* Released an eighth at a time, so the munmap calls are few and large. */
static void make_room(uint64_t len)
{
	uint64_t limit = limit_bytes();
	if (ring_count < RING_CAP && held_bytes + len <= limit)
		return;
	uint64_t keep = limit - limit / 8;
	release_batch(keep > len ? keep - len : 0, RING_CAP - RING_CAP / 8);
}

/* One syscall both frees the memory and keeps the address space: the
 * kernel cannot hand these addresses out again, and an access faults. */
static bool hold(uint64_t lo, uint64_t hi)
{
	uint64_t len = hi - lo;
	if (len > limit_bytes() || !ring_ready())
		return false;
	long r = fwd_mmap(lo, len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (sys_failed(r))
		return false;
	make_room(len);
	*ring_at(ring_count++) = (held_range){lo, hi};
	held_bytes += len;
	return true;
}

static long unmap_tracked(uint64_t lo, uint64_t hi)
{
	if (hold(lo, hi))
		return 0;
	return fwd_munmap(lo, hi - lo);
}

static long unmap_untracked(uint64_t lo, uint64_t hi)
{
	quarantine_claim(lo, hi);
	return fwd_munmap(lo, hi - lo);
}

long quarantine_unmap(uint64_t lo, uint64_t hi)
{
	uint64_t cur = lo;
	long r = 0, e;
	ms_range_info live;
	while (cur < hi) {
		if (!ms_first_live_from(shim.machine, cur, &live) || live.base >= hi) {
			e = unmap_untracked(cur, hi);
			return r ? r : e;
		}
		if (live.base > cur) {
			e = unmap_untracked(cur, live.base);
			r = r ? r : e;
			cur = live.base;
		}
		uint64_t end = live.base + live.size < hi ? live.base + live.size : hi;
		e = unmap_tracked(cur, end);
		r = r ? r : e;
		cur = end;
	}
	return r;
}

static bool overlaps(const held_range *h, uint64_t lo, uint64_t hi)
{
	return h->lo < hi && lo < h->hi;
}

void quarantine_claim(uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < ring_count; i++) {
		held_range *h = ring_at(i);
		if (!overlaps(h, lo, hi))
			continue;
		if (h->lo < lo)
			release_range(h->lo, lo);
		if (hi < h->hi)
			release_range(hi, h->hi);
		drop(h);
	}
}

bool quarantine_overlap(uint64_t lo, uint64_t hi, uint64_t *qlo, uint64_t *qhi)
{
	bool found = false;
	for (unsigned i = 0; i < ring_count; i++) {
		held_range *h = ring_at(i);
		if (!overlaps(h, lo, hi) || (found && h->lo >= *qlo))
			continue;
		*qlo = h->lo;
		*qhi = h->hi;
		found = true;
	}
	return found;
}

/* The range stays in the ring: it is still ours, to be unmapped in turn,
 * and still not foreign to a MAP_FIXED over it. */
bool quarantine_open(uint64_t addr)
{
	for (unsigned i = 0; i < ring_count; i++) {
		held_range *h = ring_at(i);
		if (addr < h->lo || addr >= h->hi)
			continue;
		return !sys_failed(fwd_mprotect(h->lo, h->hi - h->lo, PROT_READ | PROT_WRITE));
	}
	return false;
}
