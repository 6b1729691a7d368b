/* Mirroring the kernel after a forwarded call (SPEC §3.4), so every later
 * verdict is computed against the real address space. */
#include <sys/mman.h>

#include "machine_impl.h"


static bool kernel_failed(uint64_t result)
{
	return result > (uint64_t)-4096;
}

static void dead_evict_oldest(ms_machine *m)
{
	dead_entry e = m->dead_ring[m->dead_head];
	m->dead_head = (m->dead_head + 1) % m->cfg.dead_limit;
	m->dead_used--;
	/* Later mappings may have split the entry into pieces: remove exactly
	 * the pieces that still carry its sequence number. */
	uint64_t cursor = e.base;
	ms_range *r;
	while (cursor < e.end && (r = table_first_overlap(&m->dead, cursor, e.end))) {
		cursor = r->end;
		if (r->seq == e.seq)
			table_remove(&m->dead, r);
	}
}

static void dead_remember(ms_machine *m, uint64_t lo, uint64_t hi, uint32_t seq)
{
	if (m->dead_used == m->cfg.dead_limit)
		dead_evict_oldest(m);
	size_t slot = (m->dead_head + m->dead_used) % m->cfg.dead_limit;
	m->dead_ring[slot] = (dead_entry){lo, hi, seq};
	m->dead_used++;
}

/* Tracked pages of [lo, hi) leave the live table and become dead ranges;
 * untracked pages stay untracked. */
static bool unmap_pages(ms_machine *m, uint64_t lo, uint64_t hi, uint32_t stack)
{
	uint32_t seq = ++m->dead_seq ? m->dead_seq : ++m->dead_seq;
	bool any = false;
	ms_range *r;
	while ((r = table_first_overlap(&m->live, lo, hi))) {
		ms_range piece = *r;
		piece.base = r->base > lo ? r->base : lo;
		piece.end = r->end < hi ? r->end : hi;
		piece.unmap = stack;
		piece.seq = seq;
		if (!table_carve(&m->live, piece.base, piece.end) || !table_insert(&m->dead, &piece))
			return false;
		any = true;
	}
	if (any)
		dead_remember(m, lo, hi, seq);
	return true;
}

static bool map_pages(ms_machine *m, const ms_range *proto)
{
	return table_carve(&m->live, proto->base, proto->end) &&
	       table_carve(&m->dead, proto->base, proto->end) &&
	       table_insert(&m->live, proto) != NULL;
}

static bool record_mmap(ms_machine *m, const ms_call *c, uint64_t addr)
{
	uint64_t end = range_end(m, addr, c->arg[1]);
	/* Allocators commit and decommit inside their own mappings this way:
	 * contents change, ranges do not. */
	if ((c->arg[3] & MAP_FIXED) && live_containing(m, addr, end))
		return true;
	ms_range proto = {
		.base = addr,
		.end = end,
		.origin = c->stack,
		.map_flags = (uint32_t)c->arg[3],
		.prot = (uint8_t)c->arg[2],
		.file = (int)c->arg[4] != -1 ? RANGE_FILE : 0,
	};
	return map_pages(m, &proto);
}

static bool record_mremap(ms_machine *m, const ms_call *c, uint64_t new_addr)
{
	uint64_t old = c->arg[0], old_size = c->arg[1], flags = c->arg[3];
	ms_range proto = {.prot = PROT_READ | PROT_WRITE, .map_flags = MAP_PRIVATE | MAP_ANONYMOUS};
	const ms_range *source = table_find(&m->live, old);
	if (source)
		proto = *source;
	proto.base = new_addr;
	proto.end = range_end(m, new_addr, c->arg[2]);
	proto.origin = c->stack;
	proto.unmap = proto.seq = 0;
	/* old_size 0 duplicates a shared mapping; MREMAP_DONTUNMAP leaves the
	 * old range mapped (and empty). */
	if (old_size != 0 && !(flags & MREMAP_DONTUNMAP) &&
	    !unmap_pages(m, old, range_end(m, old, old_size), c->stack))
		return false;
	return map_pages(m, &proto);
}

/* mprotect and msync change attributes, never ranges. */
static void set_prot(ms_machine *m, const ms_call *c)
{
	uint64_t lo = c->arg[0], hi = range_end(m, lo, c->arg[1]);
	ms_range *r = table_first_overlap(&m->live, lo, hi);
	for (; r && r->base < hi; r = table_next(&m->live, r))
		if (r->base >= lo && r->end <= hi)
			r->prot = (uint8_t)c->arg[2];
}

static void mark_synced(ms_machine *m, const ms_call *c)
{
	uint64_t lo = c->arg[0], hi = range_end(m, lo, c->arg[1]);
	ms_range *r = table_first_overlap(&m->live, lo, hi);
	for (; r && r->base < hi; r = table_next(&m->live, r))
		if (r->file & RANGE_FILE)
			r->file |= RANGE_SYNCED;
}

static uint64_t page_up(const ms_machine *m, uint64_t addr)
{
	uint64_t mask = m->page_mask;
	return addr > UINT64_MAX - mask ? UINT64_MAX & ~mask : (addr + mask) & ~mask;
}

/* sbrk(increment) returns the old break. The heap is the program's own
 * anonymous read/write memory, so a growth is tracked like an mmap of the
 * pages it reaches (the page holding an unaligned old break included: it
 * was already the heap's), and a shrink releases the pages above the new
 * break like a munmap. brk(addr) is not mirrored: its result does not say
 * where the break was, and allocators that manage a heap use sbrk. */
static bool record_sbrk(ms_machine *m, const ms_call *c, uint64_t old)
{
	int64_t incr = (int64_t)c->arg[0];
	uint64_t step = incr < 0 ? -(uint64_t)incr : (uint64_t)incr;
	if (incr > 0) {
		uint64_t brk = step > UINT64_MAX - old ? UINT64_MAX : old + step;
		ms_range proto = {
			.base = old & ~m->page_mask,
			.end = page_up(m, brk),
			.origin = c->stack,
			.map_flags = MAP_PRIVATE | MAP_ANONYMOUS,
			.prot = PROT_READ | PROT_WRITE,
		};
		return proto.end <= proto.base || map_pages(m, &proto);
	}
	uint64_t lo = page_up(m, step > old ? 0 : old - step), hi = page_up(m, old);
	return lo >= hi || unmap_pages(m, lo, hi, c->stack);
}

bool ms_forget(ms_machine *m, uint64_t base, uint64_t len)
{
	uint64_t end = range_end(m, base, len);
	return end <= base ||
	       (table_carve(&m->live, base, end) && table_carve(&m->dead, base, end));
}

bool ms_record(ms_machine *m, const ms_call *c, uint64_t result)
{
	if (kernel_failed(result))
		return true;
	switch (c->id) {
	case MS_CALL_MMAP:
		return record_mmap(m, c, result);
	case MS_CALL_MUNMAP:
		return unmap_pages(m, c->arg[0], range_end(m, c->arg[0], c->arg[1]), c->stack);
	case MS_CALL_MREMAP:
		return record_mremap(m, c, result);
	case MS_CALL_MPROTECT:
		set_prot(m, c);
		return true;
	case MS_CALL_MSYNC:
		mark_synced(m, c);
		return true;
	case MS_CALL_SBRK:
		return record_sbrk(m, c, result);
	default:
		return true;
	}
}
