#include "table.h"

/* The 64-byte budget per live mapping (SPEC §5) is the node itself. */
_Static_assert(sizeof(ms_range) <= 64, "ms_range must fit in 64 bytes");

/* Chunks start small so that a short-lived machine stays cheap, and double
 * up to a cap so that a million nodes cost a few hundred calls to os->alloc
 * rather than one huge allocation that may not exist. */
#define CHUNK_FIRST ((size_t)4096)
#define CHUNK_MAX ((size_t)1 << 20)

struct ms_chunk {
	ms_chunk *next;
	size_t bytes;
	size_t used;    /* nodes handed out by bump allocation */
	size_t cap;     /* nodes this chunk holds */
};

#define CHUNK_HEAD ((sizeof(ms_chunk) + _Alignof(ms_range) - 1) & ~(_Alignof(ms_range) - 1))

static ms_range *chunk_node(ms_chunk *c, size_t i)
{
	return (ms_range *)((char *)c + CHUNK_HEAD) + i;
}

void table_init(ms_table *t, const ms_os *os)
{
	t->root = 0;
	t->count = 0;
	t->free_list = 0;
	t->chunks = 0;
	t->os = os;
}

void table_fini(ms_table *t)
{
	ms_chunk *c = t->chunks;
	while (c) {
		ms_chunk *next = c->next;
		t->os->release(t->os->ctx, c, c->bytes);
		c = next;
	}
	table_init(t, t->os);
}

static bool chunk_grow(ms_table *t)
{
	size_t bytes = t->chunks ? t->chunks->bytes * 2 : CHUNK_FIRST;
	if (bytes > CHUNK_MAX)
		bytes = CHUNK_MAX;
	ms_chunk *c = t->os->alloc(t->os->ctx, bytes);
	if (!c)
		return false;
	c->next = t->chunks;
	c->bytes = bytes;
	c->used = 0;
	c->cap = (bytes - CHUNK_HEAD) / sizeof(ms_range);
	t->chunks = c;
	return true;
}

/* Freed nodes first, then the untouched tail of the newest chunk, so that
 * pages of a fresh chunk are only touched when needed. */
static ms_range *node_alloc(ms_table *t)
{
	ms_range *n = t->free_list;
	if (n) {
		t->free_list = n->child[0];
		return n;
	}
	ms_chunk *c = t->chunks;
	if (!c || c->used == c->cap) {
		if (!chunk_grow(t))
			return 0;
		c = t->chunks;
	}
	return chunk_node(c, c->used++);
}

static void node_free(ms_table *t, ms_range *n)
{
	n->child[0] = t->free_list;
	t->free_list = n;
}

/* ---- AVL ---- */

static int height(const ms_range *n)
{
	return n ? n->height : 0;
}

static void height_fix(ms_range *n)
{
	int l = height(n->child[0]), r = height(n->child[1]);
	n->height = (uint8_t)(1 + (l > r ? l : r));
}

/* Lifts child[dir] of n into n's place. */
static ms_range *rotate(ms_range *n, int dir)
{
	ms_range *c = n->child[dir];
	n->child[dir] = c->child[!dir];
	c->child[!dir] = n;
	height_fix(n);
	height_fix(c);
	return c;
}

static ms_range *rebalance(ms_range *n)
{
	height_fix(n);
	int diff = height(n->child[1]) - height(n->child[0]);
	if (diff < -1 || diff > 1) {
		int dir = diff > 0;
		ms_range *c = n->child[dir];
		if (height(c->child[!dir]) > height(c->child[dir]))
			n->child[dir] = rotate(c, !dir);
		n = rotate(n, dir);
	}
	return n;
}

/* Rebalances n after its child[dir] subtree was replaced by c, which had
 * root old and height h before. Once a subtree keeps its root and height,
 * nothing above it changes: stopping there spares reading the heights of
 * siblings off the path, a cache miss per level in a large table. */
static ms_range *relink(ms_range *n, int dir, ms_range *c, const ms_range *old, int h)
{
	if (c != old)
		n->child[dir] = c;
	else if (height(c) == h)
		return n; /* and leave the path's cache lines clean */
	return rebalance(n);
}

static ms_range *subtree_insert(ms_range *n, ms_range *x)
{
	if (!n)
		return x;
	int dir = x->base > n->base;
	ms_range *c = n->child[dir];
	int h = height(c);
	return relink(n, dir, subtree_insert(c, x), c, h);
}

static ms_range *subtree_pop_min(ms_range *n, ms_range **min)
{
	ms_range *c = n->child[0];
	if (!c) {
		*min = n;
		return n->child[1];
	}
	int h = height(c);
	return relink(n, 0, subtree_pop_min(c, min), c, h);
}

/* Relinks nodes rather than copying keys between them: the machine holds
 * pointers to nodes across calls, and a node must stay the range it was. */
static ms_range *subtree_remove(ms_range *n, const ms_range *x)
{
	if (!n)
		return 0;
	if (n != x) {
		int dir = x->base > n->base;
		ms_range *c = n->child[dir];
		int h = height(c);
		return relink(n, dir, subtree_remove(c, x), c, h);
	}
	if (!n->child[0])
		return n->child[1];
	if (!n->child[1])
		return n->child[0];
	ms_range *s;
	ms_range *right = subtree_pop_min(n->child[1], &s);
	s->child[0] = n->child[0];
	s->child[1] = right;
	return rebalance(s);
}

static void node_link(ms_table *t, ms_range *x)
{
	x->child[0] = x->child[1] = 0;
	x->height = 1;
	t->root = subtree_insert(t->root, x);
	t->count++;
}

/* ---- queries ---- */

ms_range *table_find(const ms_table *t, uint64_t addr)
{
	ms_range *n = t->root;
	while (n) {
		if (addr < n->base)
			n = n->child[0];
		else if (addr >= n->end)
			n = n->child[1];
		else
			return n;
	}
	return 0;
}

/* Disjoint ranges sorted by base are sorted by end too, so the lowest range
 * ending above lo is found by one descent. */
ms_range *table_first_overlap(const ms_table *t, uint64_t lo, uint64_t hi)
{
	ms_range *n = t->root, *best = 0;
	while (n) {
		if (n->end > lo) {
			best = n;
			n = n->child[0];
		} else {
			n = n->child[1];
		}
	}
	return best && best->base < hi ? best : 0;
}

ms_range *table_next(const ms_table *t, const ms_range *r)
{
	ms_range *n = t->root, *best = 0;
	while (n) {
		if (n->base > r->base) {
			best = n;
			n = n->child[0];
		} else {
			n = n->child[1];
		}
	}
	return best;
}

/* ---- updates ---- */

ms_range *table_insert(ms_table *t, const ms_range *proto)
{
	ms_range *x = node_alloc(t);
	if (!x)
		return 0;
	*x = *proto;
	node_link(t, x);
	return x;
}

void table_remove(ms_table *t, ms_range *r)
{
	t->root = subtree_remove(t->root, r);
	t->count--;
	node_free(t, r);
}

/* A range that covers [lo, hi) with room on both sides is the only case that
 * needs a node, and then nothing else overlaps, so reserving that one node
 * before touching anything makes the carve all-or-nothing. */
static bool carve_split(ms_table *t, ms_range *r, uint64_t lo, uint64_t hi)
{
	ms_range *upper = node_alloc(t);
	if (!upper)
		return false;
	*upper = *r;
	upper->base = hi;
	r->end = lo;
	node_link(t, upper);
	return true;
}

bool table_carve(ms_table *t, uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return true;
	ms_range *r = table_first_overlap(t, lo, hi);
	if (!r)
		return true;
	if (r->base < lo && r->end > hi)
		return carve_split(t, r, lo, hi);
	if (r->base < lo) {
		r->end = lo;
		r = table_next(t, r);
	}
	while (r && r->base < hi) {
		if (r->end > hi) {
			r->base = hi;
			break;
		}
		/* A range ending at hi is the last one: no successor to look up. */
		ms_range *next = r->end < hi ? table_next(t, r) : 0;
		table_remove(t, r);
		r = next;
	}
	return true;
}

static bool subtree_walk(const ms_range *n, bool (*fn)(void *, const ms_range *), void *ctx)
{
	while (n) {
		if (!subtree_walk(n->child[0], fn, ctx))
			return false;
		if (!fn(ctx, n))
			return false;
		n = n->child[1];
	}
	return true;
}

void table_walk(const ms_table *t, bool (*fn)(void *ctx, const ms_range *r), void *ctx)
{
	subtree_walk(t->root, fn, ctx);
}

size_t table_bytes(const ms_table *t)
{
	return t->count * sizeof(ms_range);
}
