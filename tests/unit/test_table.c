#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define P 4096u

typedef struct {
	int allocs, releases;
	size_t live_bytes;
	int fail_after; /* allocations that succeed before failures start; -1 never */
} os_count;

static void *count_alloc(void *ctx, size_t bytes)
{
	os_count *c = ctx;
	if (c->fail_after == 0)
		return NULL;
	if (c->fail_after > 0)
		c->fail_after--;
	c->allocs++;
	c->live_bytes += bytes;
	return malloc(bytes);
}

static void count_release(void *ctx, void *p, size_t bytes)
{
	os_count *c = ctx;
	c->releases++;
	c->live_bytes -= bytes;
	free(p);
}

static os_count counts;
static ms_os os;
static ms_table t;

static void setup(void)
{
	counts = (os_count){.fail_after = -1};
	os = (ms_os){.ctx = &counts, .alloc = count_alloc, .release = count_release};
	table_init(&t, &os);
}

static void teardown(void)
{
	table_fini(&t);
}

TestSuite(table, .init = setup, .fini = teardown);

static ms_range *add(uint64_t base, uint64_t end, uint32_t origin)
{
	ms_range proto = {.base = base, .end = end, .origin = origin,
			  .prot = 3, .map_flags = 0x22, .file = 0};
	ms_range *r = table_insert(&t, &proto);
	cr_assert_not_null(r, "insert [%#lx,%#lx)", (unsigned long)base, (unsigned long)end);
	return r;
}

typedef struct {
	uint64_t base[64], end[64];
	uint32_t origin[64];
	size_t n;
	size_t stop_after;
} walk_log;

static bool log_range(void *ctx, const ms_range *r)
{
	walk_log *w = ctx;
	w->base[w->n] = r->base;
	w->end[w->n] = r->end;
	w->origin[w->n] = r->origin;
	w->n++;
	return w->n != w->stop_after;
}

/* Asserts the table holds exactly the given [base,end) pairs in order. */
static void expect_ranges(const uint64_t *pairs, size_t n)
{
	walk_log w = {.n = 0};
	table_walk(&t, log_range, &w);
	cr_assert_eq(w.n, n, "table has %zu ranges, expected %zu", w.n, n);
	cr_assert_eq(t.count, n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(w.base[i], pairs[2 * i], "range %zu base %#lx", i, (unsigned long)w.base[i]);
		cr_assert_eq(w.end[i], pairs[2 * i + 1], "range %zu end %#lx", i, (unsigned long)w.end[i]);
	}
}

Test(table, empty)
{
	cr_assert_null(table_find(&t, 0));
	cr_assert_null(table_first_overlap(&t, 0, UINT64_MAX));
	cr_assert_eq(t.count, 0);
	cr_assert_eq(table_bytes(&t), 0);
	cr_assert(table_carve(&t, 0, 100 * P));
	cr_assert_eq(counts.allocs, 0, "an empty table allocates nothing");
}

Test(table, insert_and_find)
{
	ms_range *a = add(10 * P, 12 * P, 1);
	ms_range *b = add(2 * P, 3 * P, 2);
	ms_range *c = add(20 * P, 30 * P, 3);
	cr_assert_eq(table_find(&t, 10 * P), a);
	cr_assert_eq(table_find(&t, 12 * P - 1), a);
	cr_assert_null(table_find(&t, 12 * P));
	cr_assert_null(table_find(&t, 10 * P - 1));
	cr_assert_eq(table_find(&t, 2 * P + 5), b);
	cr_assert_eq(table_find(&t, 29 * P), c);
	cr_assert_null(table_find(&t, 30 * P));
	cr_assert_null(table_find(&t, 0));
	cr_assert_eq(a->origin, 1);
	cr_assert_eq(a->prot, 3);
	cr_assert_eq(a->map_flags, 0x22);
	cr_assert_eq(t.count, 3);
}

Test(table, insert_ignores_proto_links)
{
	ms_range junk;
	ms_range proto = {.child = {&junk, &junk}, .height = 77, .base = P, .end = 2 * P};
	ms_range *r = table_insert(&t, &proto);
	cr_assert_not_null(r);
	cr_assert_null(r->child[0]);
	cr_assert_null(r->child[1]);
	cr_assert_eq(r->height, 1);
	cr_assert_eq(table_find(&t, P), r);
}

Test(table, first_overlap)
{
	ms_range *a = add(10 * P, 12 * P, 1);
	ms_range *b = add(14 * P, 16 * P, 2);
	cr_assert_eq(table_first_overlap(&t, 0, 100 * P), a);
	cr_assert_null(table_first_overlap(&t, 0, 10 * P), "hi is exclusive");
	cr_assert_eq(table_first_overlap(&t, 0, 10 * P + 1), a);
	cr_assert_eq(table_first_overlap(&t, 11 * P, 11 * P + 1), a);
	cr_assert_null(table_first_overlap(&t, 12 * P, 14 * P), "gap between ranges");
	cr_assert_eq(table_first_overlap(&t, 12 * P, 15 * P), b);
	cr_assert_eq(table_first_overlap(&t, 12 * P - 1, 15 * P), a);
	cr_assert_null(table_first_overlap(&t, 16 * P, UINT64_MAX));
}

Test(table, next_in_order)
{
	add(50 * P, 51 * P, 0);
	add(10 * P, 11 * P, 0);
	add(30 * P, 31 * P, 0);
	ms_range *r = table_find(&t, 10 * P);
	r = table_next(&t, r);
	cr_assert_eq(r->base, 30 * P);
	r = table_next(&t, r);
	cr_assert_eq(r->base, 50 * P);
	cr_assert_null(table_next(&t, r));
}

Test(table, remove)
{
	ms_range *a = add(10 * P, 12 * P, 1);
	add(2 * P, 3 * P, 2);
	ms_range *c = add(20 * P, 30 * P, 3);
	table_remove(&t, a);
	cr_assert_null(table_find(&t, 10 * P));
	cr_assert_eq(table_find(&t, 20 * P), c);
	cr_assert_eq(c->origin, 3, "other nodes keep their identity");
	const uint64_t want[] = {2 * P, 3 * P, 20 * P, 30 * P};
	expect_ranges(want, 2);
	cr_assert_eq(table_bytes(&t), 2 * sizeof(ms_range));
}

Test(table, removed_nodes_are_reused)
{
	for (int i = 0; i < 1000; i++)
		add((uint64_t)(2 * i) * P, (uint64_t)(2 * i + 1) * P, 0);
	int allocs = counts.allocs;
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 1000; i++)
			table_remove(&t, table_find(&t, (uint64_t)(2 * i) * P));
		cr_assert_eq(t.count, 0);
		for (int i = 0; i < 1000; i++)
			add((uint64_t)(2 * i) * P, (uint64_t)(2 * i + 1) * P, 0);
	}
	cr_assert_eq(counts.allocs, allocs, "churn must reuse freed nodes");
}

Test(table, carve_inside_splits_keeping_attributes)
{
	ms_range *a = add(10 * P, 20 * P, 7);
	a->unmap = 9;
	a->seq = 11;
	a->file = 1;
	cr_assert(table_carve(&t, 12 * P, 15 * P));
	const uint64_t want[] = {10 * P, 12 * P, 15 * P, 20 * P};
	expect_ranges(want, 2);
	ms_range *lo = table_find(&t, 10 * P), *hi = table_find(&t, 15 * P);
	cr_assert_eq(lo, a, "the lower half stays the original node");
	cr_assert_neq(hi, a);
	cr_assert_eq(hi->origin, 7);
	cr_assert_eq(hi->unmap, 9);
	cr_assert_eq(hi->seq, 11);
	cr_assert_eq(hi->prot, 3);
	cr_assert_eq(hi->map_flags, 0x22);
	cr_assert_eq(hi->file, 1);
	cr_assert_null(table_find(&t, 12 * P));
	cr_assert_null(table_find(&t, 15 * P - 1));
}

Test(table, carve_straddling_low_edge)
{
	add(10 * P, 20 * P, 1);
	cr_assert(table_carve(&t, 5 * P, 12 * P));
	const uint64_t want[] = {12 * P, 20 * P};
	expect_ranges(want, 1);
	cr_assert_eq(table_find(&t, 12 * P)->origin, 1);
}

Test(table, carve_straddling_high_edge)
{
	add(10 * P, 20 * P, 1);
	cr_assert(table_carve(&t, 18 * P, 25 * P));
	const uint64_t want[] = {10 * P, 18 * P};
	expect_ranges(want, 1);
}

Test(table, carve_covering)
{
	add(10 * P, 20 * P, 1);
	add(30 * P, 40 * P, 2);
	cr_assert(table_carve(&t, 5 * P, 25 * P));
	const uint64_t want[] = {30 * P, 40 * P};
	expect_ranges(want, 1);
}

Test(table, carve_exact)
{
	add(10 * P, 20 * P, 1);
	add(20 * P, 30 * P, 2);
	add(30 * P, 40 * P, 3);
	cr_assert(table_carve(&t, 20 * P, 30 * P));
	const uint64_t want[] = {10 * P, 20 * P, 30 * P, 40 * P};
	expect_ranges(want, 2);
	cr_assert_eq(table_find(&t, 10 * P)->origin, 1);
	cr_assert_eq(table_find(&t, 30 * P)->origin, 3);
}

Test(table, carve_spanning_several)
{
	add(0, 4 * P, 1);
	add(5 * P, 6 * P, 2);
	add(7 * P, 8 * P, 3);
	add(8 * P, 12 * P, 4);
	add(20 * P, 30 * P, 5);
	cr_assert(table_carve(&t, 2 * P, 10 * P));
	const uint64_t want[] = {0, 2 * P, 10 * P, 12 * P, 20 * P, 30 * P};
	expect_ranges(want, 3);
	cr_assert_eq(table_find(&t, 11 * P)->origin, 4);
	cr_assert_eq(table_bytes(&t), 3 * sizeof(ms_range));
}

Test(table, carve_gap_and_empty_are_noops)
{
	add(10 * P, 20 * P, 1);
	cr_assert(table_carve(&t, 20 * P, 30 * P));
	cr_assert(table_carve(&t, 0, 10 * P));
	cr_assert(table_carve(&t, 15 * P, 15 * P));
	const uint64_t want[] = {10 * P, 20 * P};
	expect_ranges(want, 1);
}

Test(table, carve_alloc_failure_changes_nothing)
{
	/* One chunk, then no more memory: fill the table until insert fails. */
	counts.fail_after = 1;
	ms_range proto = {.base = 0, .end = 3 * P, .origin = 5};
	uint64_t i = 0;
	while (table_insert(&t, &proto)) {
		i++;
		proto.base = i * 4 * P;
		proto.end = proto.base + 3 * P;
	}
	cr_assert_gt(i, 10, "the first chunk holds %lu nodes", (unsigned long)i);
	cr_assert_eq(counts.allocs, 1);
	size_t before = t.count;
	ms_range *victim = table_find(&t, 0);
	cr_assert_not(table_carve(&t, P, 2 * P), "split must fail without memory");
	cr_assert_eq(t.count, before);
	cr_assert_eq(victim->base, 0);
	cr_assert_eq(victim->end, 3 * P, "the range is not trimmed when the split fails");
	cr_assert_eq(table_find(&t, P), victim);
	cr_assert_eq(table_find(&t, 2 * P), victim);
	/* Trims and removals need no memory and still work. */
	cr_assert(table_carve(&t, 2 * P, 5 * P));
	cr_assert_eq(victim->end, 2 * P);
	cr_assert_null(table_find(&t, 4 * P));
	cr_assert_eq(table_find(&t, 5 * P)->base, 5 * P);
	cr_assert_eq(t.count, before);
	cr_assert(table_carve(&t, 8 * P, 16 * P));
	cr_assert_eq(t.count, before - 2);
	/* A node freed by removal serves the next split without new memory. */
	cr_assert(table_carve(&t, P / 2, P));
	cr_assert_eq(t.count, before - 1);
	cr_assert_eq(counts.allocs, 1);
}

Test(table, insert_alloc_failure)
{
	counts.fail_after = 0;
	ms_range proto = {.base = P, .end = 2 * P};
	cr_assert_null(table_insert(&t, &proto));
	cr_assert_eq(t.count, 0);
	cr_assert_null(table_find(&t, P));
	counts.fail_after = -1;
	cr_assert_not_null(table_insert(&t, &proto));
}

Test(table, walk_order_and_early_stop)
{
	for (int i = 63; i >= 0; i--)
		add((uint64_t)(3 * i) * P, (uint64_t)(3 * i + 2) * P, (uint32_t)i);
	walk_log w = {.n = 0};
	table_walk(&t, log_range, &w);
	cr_assert_eq(w.n, 64);
	for (size_t i = 0; i < 64; i++) {
		cr_assert_eq(w.origin[i], i);
		cr_assert_eq(w.base[i], 3 * i * P);
	}
	walk_log s = {.n = 0, .stop_after = 5};
	table_walk(&t, log_range, &s);
	cr_assert_eq(s.n, 5, "returning false stops the walk");
	cr_assert_eq(s.base[4], 12 * P);
}

Test(table, bytes_track_count)
{
	for (int i = 0; i < 100; i++)
		add((uint64_t)(2 * i) * P, (uint64_t)(2 * i + 1) * P, 0);
	cr_assert_eq(table_bytes(&t), 100 * sizeof(ms_range));
	cr_assert_leq(sizeof(ms_range), 64);
	table_carve(&t, 0, 100 * P);
	cr_assert_eq(table_bytes(&t), 50 * sizeof(ms_range));
}

Test(table, in_place_edit_keeps_order)
{
	ms_range *a = add(10 * P, 20 * P, 1);
	add(30 * P, 40 * P, 2);
	a->base = 12 * P; /* trimming inside its own range, as the machine does */
	a->end = 18 * P;
	cr_assert_null(table_find(&t, 11 * P));
	cr_assert_eq(table_find(&t, 12 * P), a);
	cr_assert(table_carve(&t, 14 * P, 16 * P));
	const uint64_t want[] = {12 * P, 14 * P, 16 * P, 18 * P, 30 * P, 40 * P};
	expect_ranges(want, 3);
}

Test(table, fini_releases_everything)
{
	for (int i = 0; i < 5000; i++)
		add((uint64_t)(2 * i) * P, (uint64_t)(2 * i + 1) * P, 0);
	cr_assert_gt(counts.allocs, 1, "5000 nodes need several chunks");
	table_fini(&t);
	cr_assert_eq(counts.releases, counts.allocs);
	cr_assert_eq(counts.live_bytes, 0);
	cr_assert_eq(t.count, 0);
	cr_assert_null(t.root);
	cr_assert_null(table_find(&t, 0));
	/* The table is usable again after fini. */
	add(P, 2 * P, 0);
	cr_assert_eq(t.count, 1);
}

Test(table, many_nodes_stay_balanced)
{
	const int n = 1000000;
	for (int i = 0; i < n; i++)
		add((uint64_t)(2 * i) * P, (uint64_t)(2 * i + 1) * P, (uint32_t)i);
	cr_assert_leq(t.root->height, 29, "AVL height bound for %d nodes", n);
	cr_assert_eq(table_bytes(&t), (size_t)n * sizeof(ms_range));
	for (int i = 0; i < n; i += 997)
		cr_assert_eq(table_find(&t, (uint64_t)(2 * i) * P + 5)->origin, (uint32_t)i);
	for (int i = 0; i < n; i += 2)
		table_remove(&t, table_find(&t, (uint64_t)(2 * i) * P));
	cr_assert_eq(t.count, (size_t)n / 2);
	cr_assert_leq(t.root->height, 28);
	cr_assert_null(table_find(&t, 0));
	cr_assert_eq(table_find(&t, 2 * P)->origin, 1);
}
