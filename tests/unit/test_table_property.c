/* Random operation sequences against a naive page map: owner[page] is the
 * id of the range holding that page, 0 when free. Ids are never reused, so
 * every maximal run of one id is exactly one range of the table. A failing
 * check names the seed; set TABLE_SEED to replay one. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define P 4096ull
#define PAGES 4096u
#define ORIGIN_BASE 0x7f0000000000ull
#define OPS_PER_SEED 25000
#define SEEDS 8

typedef struct {
	uint64_t s;
	int flaky;     /* fail one allocation in flaky */
	size_t live;   /* chunks outstanding */
} prop_os;

typedef struct {
	uint64_t seed;
	uint64_t rng;
	uint32_t owner[PAGES];
	uint32_t next_id;
	prop_os os_ctx;
	ms_os os;
	ms_table t;
} world;

static uint64_t rnd(world *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static uint32_t below(world *w, uint32_t n)
{
	return (uint32_t)(rnd(w) % n);
}

static void *prop_alloc(void *ctx, size_t bytes)
{
	prop_os *o = ctx;
	if (o->flaky && (o->s = o->s * 6364136223846793005ull + 1) >> 61 == 0)
		return NULL;
	o->live++;
	return malloc(bytes);
}

static void prop_release(void *ctx, void *p, size_t bytes)
{
	(void)bytes;
	prop_os *o = ctx;
	o->live--;
	free(p);
}

static uint64_t addr_of(uint32_t page)
{
	return ORIGIN_BASE + page * P;
}

static uint32_t run_start(const world *w, uint32_t page)
{
	uint32_t id = w->owner[page];
	while (page > 0 && w->owner[page - 1] == id)
		page--;
	return page;
}

static uint32_t run_end(const world *w, uint32_t page)
{
	uint32_t id = w->owner[page];
	while (page < PAGES && w->owner[page] == id)
		page++;
	return page;
}

static void check_page(world *w, uint32_t page)
{
	uint64_t a = addr_of(page) + below(w, (uint32_t)P);
	ms_range *r = table_find(&w->t, a);
	uint32_t id = w->owner[page];
	if (!id) {
		cr_assert_null(r, "seed %#lx: page %u should be free", (unsigned long)w->seed, page);
		return;
	}
	cr_assert_not_null(r, "seed %#lx: page %u should be in range %u", (unsigned long)w->seed, page, id);
	cr_assert_eq(r->origin, id, "seed %#lx: page %u origin", (unsigned long)w->seed, page);
	cr_assert_eq(r->base, addr_of(run_start(w, page)), "seed %#lx: page %u base", (unsigned long)w->seed, page);
	cr_assert_eq(r->end, addr_of(run_end(w, page)), "seed %#lx: page %u end", (unsigned long)w->seed, page);
	cr_assert_eq(r->prot, (uint8_t)id, "seed %#lx: attributes follow the range", (unsigned long)w->seed);
}

/* Lowest range overlapping pages [lo, hi) according to the reference. */
static int ref_first_overlap(const world *w, uint32_t lo, uint32_t hi)
{
	for (uint32_t p = lo; p < hi; p++)
		if (w->owner[p])
			return (int)run_start(w, p);
	return -1;
}

static void check_overlap(world *w, uint32_t lo, uint32_t hi)
{
	ms_range *r = table_first_overlap(&w->t, addr_of(lo), addr_of(hi));
	int want = ref_first_overlap(w, lo, hi);
	if (want < 0) {
		cr_assert_null(r, "seed %#lx: [%u,%u) overlaps nothing", (unsigned long)w->seed, lo, hi);
		return;
	}
	cr_assert_not_null(r, "seed %#lx: [%u,%u) overlaps page %d", (unsigned long)w->seed, lo, hi, want);
	cr_assert_eq(r->base, addr_of((uint32_t)want), "seed %#lx: first overlap of [%u,%u)",
		     (unsigned long)w->seed, lo, hi);
}

/* Returns the height, checking order, bounds and AVL balance. */
static int check_subtree(const world *w, const ms_range *n, uint64_t lo, uint64_t hi)
{
	if (!n)
		return 0;
	cr_assert(n->base >= lo && n->end <= hi && n->base < n->end,
		  "seed %#lx: node [%#lx,%#lx) out of order", (unsigned long)w->seed,
		  (unsigned long)n->base, (unsigned long)n->end);
	int l = check_subtree(w, n->child[0], lo, n->base);
	int r = check_subtree(w, n->child[1], n->end, hi);
	cr_assert(l - r <= 1 && r - l <= 1, "seed %#lx: unbalanced node", (unsigned long)w->seed);
	int h = 1 + (l > r ? l : r);
	cr_assert_eq(n->height, h, "seed %#lx: stale height", (unsigned long)w->seed);
	return h;
}

typedef struct {
	world *w;
	uint32_t page; /* next page of the reference to compare */
	size_t n;
} walk_state;

static bool compare_range(void *ctx, const ms_range *r)
{
	walk_state *s = ctx;
	world *w = s->w;
	while (s->page < PAGES && !w->owner[s->page])
		s->page++;
	cr_assert_lt(s->page, PAGES, "seed %#lx: table has an extra range", (unsigned long)w->seed);
	uint32_t end = run_end(w, s->page);
	cr_assert_eq(r->base, addr_of(s->page), "seed %#lx: walk base", (unsigned long)w->seed);
	cr_assert_eq(r->end, addr_of(end), "seed %#lx: walk end", (unsigned long)w->seed);
	cr_assert_eq(r->origin, w->owner[s->page], "seed %#lx: walk origin", (unsigned long)w->seed);
	s->page = end;
	s->n++;
	return true;
}

static void check_all(world *w)
{
	check_subtree(w, w->t.root, 0, UINT64_MAX);
	walk_state s = {.w = w};
	table_walk(&w->t, compare_range, &s);
	while (s.page < PAGES && !w->owner[s.page])
		s.page++;
	cr_assert_eq(s.page, PAGES, "seed %#lx: table misses page %u", (unsigned long)w->seed, s.page);
	cr_assert_eq(w->t.count, s.n, "seed %#lx: count", (unsigned long)w->seed);
	cr_assert_eq(table_bytes(&w->t), s.n * sizeof(ms_range));
	/* next() agrees with walk order. */
	ms_range *r = table_first_overlap(&w->t, 0, UINT64_MAX);
	size_t n = 0;
	for (; r; r = table_next(&w->t, r))
		n++;
	cr_assert_eq(n, s.n, "seed %#lx: next() visits every range", (unsigned long)w->seed);
}

static void op_insert(world *w, uint32_t lo, uint32_t hi)
{
	int hit = ref_first_overlap(w, lo, hi);
	check_overlap(w, lo, hi);
	if (hit >= 0)
		return;
	uint32_t id = ++w->next_id;
	ms_range proto = {.base = addr_of(lo), .end = addr_of(hi), .origin = id, .prot = (uint8_t)id};
	ms_range *r = table_insert(&w->t, &proto);
	if (!r) {
		cr_assert(w->os_ctx.flaky, "seed %#lx: insert failed with memory", (unsigned long)w->seed);
		return;
	}
	cr_assert_eq(r->origin, id);
	for (uint32_t p = lo; p < hi; p++)
		w->owner[p] = id;
}

static void op_carve(world *w, uint32_t lo, uint32_t hi)
{
	size_t before = w->t.count;
	if (!table_carve(&w->t, addr_of(lo), addr_of(hi))) {
		cr_assert(w->os_ctx.flaky, "seed %#lx: carve failed with memory", (unsigned long)w->seed);
		cr_assert_eq(w->t.count, before, "seed %#lx: failed carve changed the count", (unsigned long)w->seed);
		return; /* the checks that follow prove nothing else moved */
	}
	for (uint32_t p = lo; p < hi; p++)
		w->owner[p] = 0;
}

static void op_remove(world *w, uint32_t page)
{
	ms_range *r = table_find(&w->t, addr_of(page));
	if (!w->owner[page]) {
		cr_assert_null(r, "seed %#lx: page %u should be free", (unsigned long)w->seed, page);
		return;
	}
	cr_assert_not_null(r, "seed %#lx: page %u should be mapped", (unsigned long)w->seed, page);
	uint32_t lo = run_start(w, page), hi = run_end(w, page);
	table_remove(&w->t, r);
	for (uint32_t p = lo; p < hi; p++)
		w->owner[p] = 0;
}

static void step(world *w)
{
	uint32_t lo = below(w, PAGES);
	uint32_t max = PAGES - lo;
	uint32_t cap = below(w, 2) ? 4 : 48; /* short ranges make a deeper tree */
	uint32_t len = 1 + below(w, max < cap ? max : cap);
	uint32_t hi = lo + len;
	switch (below(w, 8)) {
	case 0: case 1: case 2:
		op_insert(w, lo, hi);
		break;
	case 3:
		op_carve(w, lo, hi);
		break;
	case 4:
		op_remove(w, lo);
		break;
	case 5:
		check_overlap(w, lo, hi);
		break;
	default:
		check_page(w, lo);
		break;
	}
	check_page(w, lo);
	check_page(w, hi - 1);
	if (hi < PAGES)
		check_page(w, hi);
	if (lo > 0)
		check_page(w, lo - 1);
	check_page(w, below(w, PAGES));
}

static void run_seed(uint64_t seed)
{
	world *w = calloc(1, sizeof(*w));
	cr_assert_not_null(w);
	w->seed = seed;
	w->rng = seed ? seed : 1;
	w->os_ctx.s = seed;
	w->os = (ms_os){.ctx = &w->os_ctx, .alloc = prop_alloc, .release = prop_release};
	table_init(&w->t, &w->os);
	for (int i = 0; i < OPS_PER_SEED; i++) {
		/* Alternating stretches with failing allocation exercise the
		 * all-or-nothing paths in the middle of a full table. */
		w->os_ctx.flaky = (i / 2000) % 4 == 0;
		step(w);
		if (i % 64 == 0)
			check_all(w);
	}
	check_all(w);
	table_fini(&w->t);
	cr_assert_eq(w->os_ctx.live, 0, "seed %#lx: fini leaked chunks", (unsigned long)seed);
	free(w);
}

Test(table_property, random_ops_match_page_map, .timeout = 60)
{
	const char *env = getenv("TABLE_SEED");
	if (env) {
		run_seed(strtoull(env, NULL, 0));
		return;
	}
	for (uint64_t i = 0; i < SEEDS; i++)
		run_seed(0x9e3779b97f4a7c15ull * (i + 1));
}
