#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "fake_kernel.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

static uint64_t next_random(fake_kernel *k)
{
	k->rng ^= k->rng << 13;
	k->rng ^= k->rng >> 7;
	k->rng ^= k->rng << 17;
	return k->rng;
}

void fk_init(fake_kernel *k, uint64_t base, uint64_t page, uint64_t seed)
{
	memset(k, 0, sizeof *k);
	k->base = base;
	k->page = page;
	k->rng = seed | 1;
}

static uint64_t err(int e)
{
	return (uint64_t)-(int64_t)e;
}

static uint64_t end_of(const fake_kernel *k)
{
	return k->base + REF_PAGES * k->page;
}

static bool aligned(const fake_kernel *k, uint64_t a)
{
	return (a & (k->page - 1)) == 0;
}

static bool round_len(const fake_kernel *k, uint64_t len, uint64_t *out)
{
	if (len > UINT64_MAX - (k->page - 1))
		return false;
	*out = (len + k->page - 1) & ~(k->page - 1);
	return *out <= (uint64_t)PTRDIFF_MAX;
}

static bool inside(const fake_kernel *k, uint64_t lo, uint64_t len)
{
	return lo >= k->base && lo <= end_of(k) && len <= end_of(k) - lo;
}

static size_t idx(const fake_kernel *k, uint64_t a)
{
	return (size_t)((a - k->base) / k->page);
}

bool fk_is_mapped(const fake_kernel *k, uint64_t addr)
{
	return addr >= k->base && addr < end_of(k) && k->mapped[idx(k, addr)];
}

bool fk_is_foreign(const fake_kernel *k, uint64_t addr)
{
	return addr >= k->base && addr < end_of(k) && k->foreign[idx(k, addr)];
}

static bool is_free(const fake_kernel *k, uint64_t lo, uint64_t len)
{
	if (!inside(k, lo, len))
		return false;
	for (uint64_t a = lo; a < lo + len; a += k->page)
		if (k->mapped[idx(k, a)] || k->foreign[idx(k, a)])
			return false;
	return true;
}

static bool all_mapped(const fake_kernel *k, uint64_t lo, uint64_t len)
{
	if (!inside(k, lo, len))
		return false;
	for (uint64_t a = lo; a < lo + len; a += k->page)
		if (!k->mapped[idx(k, a)])
			return false;
	return true;
}

static void set_range(fake_kernel *k, uint64_t lo, uint64_t len, uint8_t mapped)
{
	uint64_t hi = len > UINT64_MAX - lo ? UINT64_MAX : lo + len;
	if (lo < k->base)
		lo = k->base;
	if (hi > end_of(k))
		hi = end_of(k);
	for (uint64_t a = lo; a < hi; a += k->page) {
		k->mapped[idx(k, a)] = mapped;
		k->foreign[idx(k, a)] = 0;
	}
}

void fk_set_foreign(fake_kernel *k, uint64_t addr, uint64_t len)
{
	for (uint64_t a = addr; a < addr + len; a += k->page)
		if (a >= k->base && a < end_of(k) && !k->mapped[idx(k, a)])
			k->foreign[idx(k, a)] = 1;
}

bool fk_range_foreign(void *ctx, uint64_t base, uint64_t len)
{
	fake_kernel *k = ctx;
	uint64_t hi = len > UINT64_MAX - base ? UINT64_MAX : base + len;
	uint64_t lo = base < k->base ? k->base : base & ~(k->page - 1);
	if (hi > end_of(k))
		hi = end_of(k);
	for (uint64_t a = lo; a < hi; a += k->page)
		if (k->foreign[idx(k, a)])
			return true;
	return false;
}

/* First fit from a random page, wrapping around; UINT64_MAX when full. */
static uint64_t find_free(fake_kernel *k, uint64_t len)
{
	uint64_t pages = len / k->page;
	if (pages == 0 || pages > REF_PAGES)
		return UINT64_MAX;
	uint64_t start = next_random(k) % REF_PAGES;
	for (uint64_t i = 0; i < REF_PAGES; i++) {
		uint64_t p = (start + i) % REF_PAGES;
		uint64_t at = k->base + p * k->page;
		if (is_free(k, at, len))
			return at;
	}
	return UINT64_MAX;
}

static uint64_t do_mmap(fake_kernel *k, const ms_call *c)
{
	uint64_t addr = c->arg[0], len = c->arg[1], rl;
	uint32_t flags = (uint32_t)c->arg[3];
	if ((flags & MAP_SHARED_VALIDATE) == 0 || len == 0)
		return err(EINVAL);
	if (!round_len(k, len, &rl))
		return err(ENOMEM);
	if (flags & MAP_FIXED) {
		if (!aligned(k, addr))
			return err(EINVAL);
		if (!inside(k, addr, rl))
			return err(ENOMEM);
		set_range(k, addr, rl, 1);
		return addr;
	}
	if (flags & MAP_FIXED_NOREPLACE) {
		if (!aligned(k, addr))
			return err(EINVAL);
		if (!is_free(k, addr, rl))
			return err(EEXIST);
		set_range(k, addr, rl, 1);
		return addr;
	}
	uint64_t at = aligned(k, addr) && is_free(k, addr, rl) ? addr : find_free(k, rl);
	if (at == UINT64_MAX)
		return err(ENOMEM);
	set_range(k, at, rl, 1);
	return at;
}

static uint64_t do_munmap(fake_kernel *k, const ms_call *c)
{
	uint64_t rl;
	if (!aligned(k, c->arg[0]) || c->arg[1] == 0 || !round_len(k, c->arg[1], &rl))
		return err(EINVAL);
	set_range(k, c->arg[0], rl, 0);
	return 0;
}

static uint64_t move_to(fake_kernel *k, uint64_t old, uint64_t rl, uint64_t to, uint64_t rn)
{
	set_range(k, old, rl, 0);
	set_range(k, to, rn, 1);
	return to;
}

/* MREMAP_DONTUNMAP is refused: this kernel predates it. */
static uint64_t do_mremap(fake_kernel *k, const ms_call *c)
{
	uint64_t old = c->arg[0], rl, rn;
	uint32_t flags = (uint32_t)c->arg[3];
	if (!aligned(k, old) || c->arg[1] == 0 || c->arg[2] == 0)
		return err(EINVAL);
	if ((flags & ~(uint32_t)(MREMAP_MAYMOVE | MREMAP_FIXED)) || ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)))
		return err(EINVAL);
	if (!round_len(k, c->arg[1], &rl) || !round_len(k, c->arg[2], &rn))
		return err(EINVAL);
	if (!all_mapped(k, old, rl))
		return err(EFAULT);
	if (flags & MREMAP_FIXED) {
		uint64_t to = c->nargs > 4 ? c->arg[4] : 0;
		if (!aligned(k, to) || !inside(k, to, rn) || (to < old + rl && old < to + rn))
			return err(EINVAL);
		return move_to(k, old, rl, to, rn);
	}
	if (rn <= rl) {
		set_range(k, old + rn, rl - rn, 0);
		return old;
	}
	if (is_free(k, old + rl, rn - rl)) {
		set_range(k, old + rl, rn - rl, 1);
		return old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return err(ENOMEM);
	uint64_t to = find_free(k, rn);
	if (to == UINT64_MAX)
		return err(ENOMEM);
	return move_to(k, old, rl, to, rn);
}

static uint64_t do_attr(fake_kernel *k, const ms_call *c)
{
	uint64_t rl;
	if (!aligned(k, c->arg[0]))
		return err(EINVAL);
	if (c->arg[1] == 0)
		return 0;
	if (!round_len(k, c->arg[1], &rl))
		return err(ENOMEM);
	if (!inside(k, c->arg[0], rl))
		return err(ENOMEM);
	for (uint64_t a = c->arg[0]; a < c->arg[0] + rl; a += k->page)
		if (!k->mapped[idx(k, a)] && !k->foreign[idx(k, a)])
			return err(ENOMEM);
	return 0;
}

static uint64_t page_up(const fake_kernel *k, uint64_t a)
{
	return (a + k->page - 1) & ~(k->page - 1);
}

/* Grows into free pages only; never below where the heap started. The page
 * holding an unaligned old break is the heap's already. */
static uint64_t do_sbrk(fake_kernel *k, const ms_call *c)
{
	if (!k->brk) {
		k->brk_start = k->base + (REF_PAGES - 96 + next_random(k) % 32) * k->page;
		k->brk = k->brk_start + next_random(k) % k->page;
	}
	int64_t incr = (int64_t)c->arg[0];
	uint64_t old = k->brk, room = end_of(k) - old;
	uint64_t step = incr < 0 ? -(uint64_t)incr : (uint64_t)incr;
	if (incr > 0) {
		if (step > room || !is_free(k, page_up(k, old), page_up(k, old + step) - page_up(k, old)))
			return err(ENOMEM);
		uint64_t lo = old & ~(k->page - 1);
		set_range(k, lo, page_up(k, old + step) - lo, 1);
	} else if (incr < 0) {
		if (step > old - k->brk_start)
			return err(ENOMEM);
		set_range(k, page_up(k, old - step), page_up(k, old) - page_up(k, old - step), 0);
	}
	k->brk = old + (incr < 0 ? -step : step);
	return old;
}

uint64_t fk_forward(fake_kernel *k, const ms_call *c)
{
	switch (c->id) {
	case MS_CALL_MMAP:
		return do_mmap(k, c);
	case MS_CALL_MUNMAP:
		return do_munmap(k, c);
	case MS_CALL_MREMAP:
		return do_mremap(k, c);
	case MS_CALL_MPROTECT:
	case MS_CALL_MADVISE:
		return do_attr(k, c);
	case MS_CALL_SBRK:
		return do_sbrk(k, c);
	default:
		return 0;
	}
}
