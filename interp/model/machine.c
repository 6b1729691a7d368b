#include <stdint.h>
#include <string.h>

#include "machine_impl.h"

#define DEFAULT_DEAD_LIMIT 65536

ms_machine *ms_machine_create(const ms_config *cfg)
{
	if (!cfg || !cfg->os.alloc || !cfg->os.release || cfg->page_size == 0 ||
	    (cfg->page_size & (cfg->page_size - 1)) != 0)
		return NULL;
	ms_machine *m = cfg->os.alloc(cfg->os.ctx, sizeof *m);
	if (!m)
		return NULL;
	memset(m, 0, sizeof *m);
	m->cfg = *cfg;
	if (m->cfg.dead_limit == 0)
		m->cfg.dead_limit = DEFAULT_DEAD_LIMIT;
	m->page_mask = cfg->page_size - 1;
	m->dead_ring = cfg->os.alloc(cfg->os.ctx, m->cfg.dead_limit * sizeof *m->dead_ring);
	if (!m->dead_ring) {
		cfg->os.release(cfg->os.ctx, m, sizeof *m);
		return NULL;
	}
	table_init(&m->live, &m->cfg.os);
	table_init(&m->dead, &m->cfg.os);
	return m;
}

void ms_machine_destroy(ms_machine *m)
{
	if (!m)
		return;
	ms_os os = m->cfg.os;
	table_fini(&m->live);
	table_fini(&m->dead);
	os.release(os.ctx, m->dead_ring, m->cfg.dead_limit * sizeof *m->dead_ring);
	os.release(os.ctx, m, sizeof *m);
}

const ms_config *ms_machine_config(const ms_machine *m)
{
	return &m->cfg;
}

bool page_aligned(const ms_machine *m, uint64_t addr)
{
	return (addr & m->page_mask) == 0;
}

bool ms_round_len(uint64_t page_size, uint64_t len, uint64_t *out)
{
	uint64_t mask = page_size - 1;
	if (page_size == 0 || (page_size & mask) || len > UINT64_MAX - mask)
		return false;
	uint64_t rounded = (len + mask) & ~mask;
	if (rounded > (uint64_t)PTRDIFF_MAX)
		return false;
	*out = rounded;
	return true;
}

bool ms_page_range(uint64_t page_size, uint64_t addr, uint64_t len, uint64_t *end)
{
	uint64_t size;
	if ((addr & (page_size - 1)) || len == 0 || !ms_round_len(page_size, len, &size) ||
	    size > UINT64_MAX - addr)
		return false;
	*end = addr + size;
	return true;
}

bool round_len(const ms_machine *m, uint64_t len, uint64_t *out)
{
	return ms_round_len(m->cfg.page_size, len, out);
}

uint64_t range_end(const ms_machine *m, uint64_t addr, uint64_t len)
{
	uint64_t size;
	if (!round_len(m, len, &size) || size > UINT64_MAX - addr)
		return UINT64_MAX & ~m->page_mask;
	return addr + size;
}

void range_info_from(const ms_range *r, ms_range_info *out)
{
	out->base = r->base;
	out->size = r->end - r->base;
	out->origin_stack = r->origin;
	out->unmap_stack = r->unmap;
	out->map_flags = r->map_flags;
	out->prot = r->prot;
	out->file = (r->file & RANGE_FILE) != 0;
}

static bool find_in(const ms_table *t, uint64_t addr, ms_range_info *out)
{
	const ms_range *r = table_find(t, addr);
	if (r && out)
		range_info_from(r, out);
	return r != NULL;
}

bool ms_find_live(const ms_machine *m, uint64_t addr, ms_range_info *out)
{
	return find_in(&m->live, addr, out);
}

bool ms_find_dead(const ms_machine *m, uint64_t addr, ms_range_info *out)
{
	return find_in(&m->dead, addr, out);
}

bool ms_first_live_from(const ms_machine *m, uint64_t addr, ms_range_info *out)
{
	const ms_range *r = table_first_overlap(&m->live, addr, UINT64_MAX);
	if (r && out)
		range_info_from(r, out);
	return r != NULL;
}

size_t ms_live_count(const ms_machine *m)
{
	return m->live.count;
}

size_t ms_dead_count(const ms_machine *m)
{
	return m->dead.count;
}

size_t ms_table_bytes(const ms_machine *m)
{
	return table_bytes(&m->live) + table_bytes(&m->dead);
}

struct live_visit {
	bool (*fn)(void *ctx, const ms_range_info *r);
	void *ctx;
};

static bool visit_live(void *ctx, const ms_range *r)
{
	struct live_visit *visit = ctx;
	ms_range_info info;
	range_info_from(r, &info);
	return visit->fn(visit->ctx, &info);
}

void ms_for_each_live(const ms_machine *m, bool (*fn)(void *ctx, const ms_range_info *r), void *ctx)
{
	struct live_visit visit = {fn, ctx};
	table_walk(&m->live, visit_live, &visit);
}

bool live_first_gap(const ms_machine *m, uint64_t lo, uint64_t hi, uint64_t *glo, uint64_t *ghi)
{
	uint64_t cursor = lo;
	const ms_range *r = table_first_overlap(&m->live, lo, hi);
	while (cursor < hi) {
		if (!r || r->base >= hi) {
			*glo = cursor;
			*ghi = hi;
			return true;
		}
		if (r->base > cursor) {
			*glo = cursor;
			*ghi = r->base;
			return true;
		}
		cursor = r->end;
		r = table_next(&m->live, r);
	}
	return false;
}

const ms_range *dead_in_gaps(const ms_machine *m, uint64_t lo, uint64_t hi)
{
	uint64_t glo, ghi;
	while (lo < hi && live_first_gap(m, lo, hi, &glo, &ghi)) {
		const ms_range *d = table_first_overlap(&m->dead, glo, ghi);
		if (d)
			return d;
		lo = ghi;
	}
	return NULL;
}

const ms_range *live_containing(const ms_machine *m, uint64_t lo, uint64_t hi)
{
	const ms_range *r = table_find(&m->live, lo);
	return r && hi <= r->end ? r : NULL;
}

void ms_check(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	verdict_forward(v);
	if (c->id == MS_CALL_FREE || c->id == MS_CALL_REALLOC)
		check_free(m, c, v);
	else if (m->cfg.policy == MS_POLICY_MIRI)
		check_miri(m, c, v);
	else
		check_native(m, c, v);
}
