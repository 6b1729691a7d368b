/* Drives the whole machine API with call sequences decoded from the input.
 * A small page-map "kernel" gives each forwarded call a plausible result, so
 * the machine is fed what a live run would feed it. After every step the
 * table must be sorted, disjoint, page-aligned and agree with its count;
 * ms_check must not change it; tracked pages must be pages the kernel has
 * mapped; and the verdicts must respect the policy. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mapsan/machine.h"

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

#define SPACE_BASE 0x7f0000000000ull
#define SPACE_PAGES 512u

#define CHECK(cond) do { if (!(cond)) check_failed(__LINE__, #cond); } while (0)

static void check_failed(int line, const char *what)
{
	fprintf(stderr, "fuzz_model.c:%d: invariant failed: %s\n", line, what);
	abort();
}

/* FUZZ_MODEL_TRACE=1 prints each decoded call, to read a crash input. */
static bool tracing(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("FUZZ_MODEL_TRACE") != NULL;
	return on;
}

typedef struct {
	const uint8_t *p;
	size_t n;
} input;

typedef struct {
	ms_machine *m;
	uint64_t page;
	uint8_t kernel[SPACE_PAGES];  /* 0 free, 1 mapped */
	uint8_t tracked[SPACE_PAGES]; /* pages the table must hold as live (SPEC §3.4) */
	size_t alloc_bytes;           /* outstanding node chunks */
	int fail_allocs;              /* the next n allocations fail */
	bool diverged;                /* a record failed: table may lag the kernel */
	uint64_t brk_start, brk;      /* sbrk's heap, near the top; 0: not placed */
} world;

static uint8_t take8(input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t take32(input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | take8(in);
	return v;
}

/* ---- the OS contract ---- */

static void *os_alloc(void *ctx, size_t bytes)
{
	world *w = ctx;
	if (w->fail_allocs > 0) {
		w->fail_allocs--;
		return NULL;
	}
	void *p = malloc(bytes);
	if (p)
		w->alloc_bytes += bytes;
	return p;
}

static void os_release(void *ctx, void *p, size_t bytes)
{
	world *w = ctx;
	CHECK(w->alloc_bytes >= bytes);
	w->alloc_bytes -= bytes;
	free(p);
}

static bool page_index(const world *w, uint64_t addr, size_t *out)
{
	if (addr < SPACE_BASE)
		return false;
	uint64_t i = (addr - SPACE_BASE) / w->page;
	if (i >= SPACE_PAGES)
		return false;
	*out = (size_t)i;
	return true;
}

/* Mapped by the kernel but not tracked as live: someone else's memory. */
static bool os_range_foreign(void *ctx, uint64_t base, uint64_t len)
{
	world *w = ctx;
	for (uint64_t a = base; a - base < len; a += w->page) {
		size_t i;
		if (!page_index(w, a, &i))
			break;
		ms_range_info r;
		if (w->kernel[i] && !ms_find_live(w->m, a, &r))
			return true;
	}
	return false;
}

/* ---- the synthetic kernel ---- */

static uint64_t round_len(const world *w, uint64_t len, bool *ok)
{
	uint64_t r = (len + w->page - 1) & ~(w->page - 1);
	*ok = r >= len && r <= (uint64_t)PTRDIFF_MAX;
	return r;
}

/* [addr, addr+len) as page indices inside the space; false when outside. */
static bool span(const world *w, uint64_t addr, uint64_t len, size_t *lo, size_t *hi)
{
	if (addr < SPACE_BASE || len > SPACE_PAGES * w->page)
		return false;
	uint64_t first = (addr - SPACE_BASE) / w->page;
	uint64_t pages = len / w->page;
	if (first > SPACE_PAGES || pages > SPACE_PAGES - first)
		return false;
	*lo = (size_t)first;
	*hi = (size_t)(first + pages);
	return true;
}

static bool all_mapped(const world *w, size_t lo, size_t hi, uint8_t want)
{
	for (size_t i = lo; i < hi; i++)
		if (w->kernel[i] != want)
			return false;
	return true;
}

static void set_pages(world *w, size_t lo, size_t hi, uint8_t v)
{
	for (size_t i = lo; i < hi; i++)
		w->kernel[i] = v;
}

/* First free run of n pages at or after the hint, wrapping once. */
static bool find_free(const world *w, size_t hint, size_t n, size_t *out)
{
	for (size_t k = 0; k < SPACE_PAGES; k++) {
		size_t lo = (hint + k) % SPACE_PAGES;
		if (lo + n <= SPACE_PAGES && all_mapped(w, lo, lo + n, 0)) {
			*out = lo;
			return true;
		}
	}
	return false;
}

static uint64_t neg(int e)
{
	return (uint64_t)-(int64_t)e;
}

static uint64_t kernel_mmap(world *w, const ms_call *c)
{
	uint64_t addr = c->arg[0], flags = c->arg[3];
	uint64_t type = flags & MAP_SHARED_VALIDATE;
	bool ok;
	uint64_t len = round_len(w, c->arg[1], &ok);
	if (!c->arg[1] || !ok || !type)
		return neg(EINVAL);
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & (w->page - 1)))
		return neg(EINVAL);
	size_t lo, hi;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!span(w, addr, len, &lo, &hi))
			return neg(ENOMEM);
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && !all_mapped(w, lo, hi, 0))
			return neg(EEXIST);
		set_pages(w, lo, hi, 1);
		return addr;
	}
	size_t hint = 0;
	page_index(w, addr, &hint);
	if (len / w->page > SPACE_PAGES || !find_free(w, hint, (size_t)(len / w->page), &lo))
		return neg(ENOMEM);
	set_pages(w, lo, lo + (size_t)(len / w->page), 1);
	return SPACE_BASE + lo * w->page;
}

static uint64_t kernel_munmap(world *w, const ms_call *c)
{
	bool ok;
	uint64_t len = round_len(w, c->arg[1], &ok);
	if ((c->arg[0] & (w->page - 1)) || !c->arg[1] || !ok)
		return neg(EINVAL);
	uint64_t end = c->arg[0] + len, top = SPACE_BASE + SPACE_PAGES * w->page;
	if (end < c->arg[0])
		end = UINT64_MAX;
	/* Only the part inside the synthetic space has pages to unmap. */
	uint64_t lo = c->arg[0] > SPACE_BASE ? c->arg[0] : SPACE_BASE;
	uint64_t hi = end < top ? end : top;
	if (lo < hi)
		set_pages(w, (size_t)((lo - SPACE_BASE) / w->page), (size_t)((hi - SPACE_BASE) / w->page), 0);
	return 0;
}

static uint64_t kernel_mremap(world *w, const ms_call *c)
{
	uint64_t old = c->arg[0], flags = c->arg[3], target = c->arg[4];
	bool ok1, ok2;
	uint64_t osz = round_len(w, c->arg[1], &ok1), nsz = round_len(w, c->arg[2], &ok2);
	if ((old & (w->page - 1)) || !c->arg[2] || !c->arg[1] || !ok1 || !ok2)
		return neg(EINVAL);
	if (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return neg(EINVAL);
	if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE))
		return neg(EINVAL);
	if ((flags & MREMAP_DONTUNMAP) && osz != nsz)
		return neg(EINVAL);
	size_t olo, ohi;
	if (!span(w, old, osz, &olo, &ohi) || !all_mapped(w, olo, ohi, 1))
		return neg(EFAULT);
	size_t npages = (size_t)(nsz / w->page);
	size_t nlo = olo;
	if (flags & MREMAP_FIXED) {
		size_t tlo, thi;
		if ((target & (w->page - 1)) || !span(w, target, nsz, &tlo, &thi))
			return neg(EINVAL);
		if (tlo < ohi && olo < thi)
			return neg(EINVAL);
		nlo = tlo;
	} else if (!(flags & MREMAP_DONTUNMAP) &&
		   (nsz <= osz || (olo + npages <= SPACE_PAGES && all_mapped(w, ohi, olo + npages, 0)))) {
		if (nsz <= osz)
			set_pages(w, olo + npages, ohi, 0);
		else
			set_pages(w, ohi, olo + npages, 1);
		return old;
	} else if (!(flags & MREMAP_MAYMOVE)) {
		return neg(ENOMEM);
	} else {
		/* The old pages are busy while the kernel picks the new place. */
		if (!find_free(w, (ohi) % SPACE_PAGES, npages, &nlo))
			return neg(ENOMEM);
	}
	if (!(flags & MREMAP_DONTUNMAP))
		set_pages(w, olo, ohi, 0);
	set_pages(w, nlo, nlo + npages, 1);
	return SPACE_BASE + nlo * w->page;
}

static uint64_t page_up(const world *w, uint64_t a)
{
	return (a + w->page - 1) & ~(w->page - 1);
}

static size_t page_of(const world *w, uint64_t a)
{
	return (size_t)((a - SPACE_BASE) / w->page);
}

/* The kernel's brk: growth only into free pages, never below the start.
 * The page holding an unaligned old break is the heap's already. */
static uint64_t kernel_sbrk(world *w, const ms_call *c)
{
	uint64_t top = SPACE_BASE + SPACE_PAGES * w->page;
	if (!w->brk) {
		w->brk_start = SPACE_BASE + (SPACE_PAGES - 64) * w->page;
		w->brk = w->brk_start + 100;
	}
	int64_t incr = (int64_t)c->arg[0];
	uint64_t old = w->brk, step = incr < 0 ? -(uint64_t)incr : (uint64_t)incr;
	if (incr > 0) {
		if (step > top - old || !all_mapped(w, page_of(w, page_up(w, old)),
						    page_of(w, page_up(w, old + step)), 0))
			return neg(ENOMEM);
		set_pages(w, page_of(w, old), page_of(w, page_up(w, old + step)), 1);
		w->brk = old + step;
	} else if (incr < 0) {
		if (step > old - w->brk_start)
			return neg(ENOMEM);
		set_pages(w, page_of(w, page_up(w, old - step)), page_of(w, page_up(w, old)), 0);
		w->brk = old - step;
	}
	return old;
}

static uint64_t kernel_touch(world *w, const ms_call *c)
{
	bool ok;
	uint64_t len = round_len(w, c->arg[1], &ok);
	if (c->arg[0] & (w->page - 1))
		return neg(EINVAL);
	if (!ok)
		return neg(ENOMEM);
	if (!c->arg[1])
		return 0;
	size_t lo, hi;
	if (!span(w, c->arg[0], len, &lo, &hi) || !all_mapped(w, lo, hi, 1))
		return neg(ENOMEM);
	return 0;
}

static uint64_t kernel_call(world *w, const ms_call *c)
{
	switch (c->id) {
	case MS_CALL_MMAP: return kernel_mmap(w, c);
	case MS_CALL_MUNMAP: return kernel_munmap(w, c);
	case MS_CALL_MREMAP: return kernel_mremap(w, c);
	case MS_CALL_MPROTECT:
	case MS_CALL_MADVISE:
	case MS_CALL_MSYNC:
	case MS_CALL_MLOCK:
	case MS_CALL_MUNLOCK:
	case MS_CALL_PKEY_MPROTECT:
		return kernel_touch(w, c);
	case MS_CALL_REALLOC: return c->arg[1] ? 0x5000000010ull : 0;
	case MS_CALL_SBRK: return kernel_sbrk(w, c);
	default: return 0;
	}
}

/* ---- decoding ---- */

static uint64_t pick_addr(world *w, input *in)
{
	uint8_t b = take8(in);
	uint64_t a = SPACE_BASE + (uint64_t)(take8(in) | (b & 1) << 8) * w->page;
	switch (b >> 5) {
	case 0: return a + (take8(in) & 0x3f);          /* misaligned */
	case 1: return (uint64_t)take32(in) << 12;       /* anywhere */
	case 2: {                                        /* a live base */
		ms_range_info r;
		if (ms_first_live_from(w->m, a, &r))
			return r.base;
		return a;
	}
	default: return a;
	}
}

static uint64_t pick_len(world *w, input *in)
{
	uint8_t b = take8(in);
	uint64_t pages = 1 + (take8(in) & 0x1f);
	switch (b >> 5) {
	case 0: return 0;
	case 1: return UINT64_MAX - (b & 0x1f) * w->page;   /* round fails */
	case 2: return pages * w->page - 1 - (b & 0x1f);     /* not a page multiple */
	case 3: return (uint64_t)PTRDIFF_MAX - (b & 3);
	default: return pages * w->page;
	}
}

static void decode_mmap(world *w, input *in, ms_call *c)
{
	static const uint32_t flag_bits[] = {
		MAP_PRIVATE | MAP_ANONYMOUS, MAP_PRIVATE | MAP_ANONYMOUS, MAP_PRIVATE | MAP_ANONYMOUS,
		MAP_SHARED | MAP_ANONYMOUS, MAP_SHARED_VALIDATE | MAP_ANONYMOUS,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED,
		MAP_ANONYMOUS, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS,
		MAP_SHARED | MAP_FIXED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, MAP_PRIVATE | MAP_FIXED,
	};
	uint8_t b = take8(in);
	c->nargs = 6;
	c->arg[0] = (b & 0x80) ? pick_addr(w, in) : 0;
	c->arg[1] = pick_len(w, in);
	c->arg[2] = (b & 0x40) ? (take8(in) & 7) : (PROT_READ | PROT_WRITE);
	c->arg[3] = flag_bits[b & 0xf];
	bool file = (b & 0x30) == 0x30;
	c->arg[4] = file ? (uint64_t)(take8(in) & 7) : (uint64_t)-1;
	c->arg[5] = (take8(in) & 0xf) == 0 ? w->page : 0;
	if (file) {
		uint8_t f = take8(in);
		c->file = (ms_file_facts){.valid = f & 1, .regular = f & 2, .sealed = f & 4,
					  .verity = f & 8, .size = (uint64_t)(f >> 4) * w->page};
	}
}

static void decode_call(world *w, input *in, ms_call *c)
{
	memset(c, 0, sizeof(*c));
	c->stack = take8(in);
	uint8_t op = take8(in);
	switch (op % 16) {
	case 0: case 1: case 2:
		c->id = MS_CALL_MMAP;
		decode_mmap(w, in, c);
		return;
	case 3: case 4: case 5:
		c->id = MS_CALL_MUNMAP;
		c->nargs = 2;
		c->arg[0] = pick_addr(w, in);
		c->arg[1] = pick_len(w, in);
		if (op & 0x80) {   /* exactly a live mapping: the common clean case */
			ms_range_info r;
			if (ms_first_live_from(w->m, c->arg[0], &r)) {
				c->arg[0] = r.base;
				c->arg[1] = r.size;
			}
		}
		return;
	case 6: case 7: {
		static const uint64_t fl[] = {MREMAP_MAYMOVE, MREMAP_MAYMOVE, 0,
			MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, MREMAP_FIXED, 8, MREMAP_MAYMOVE};
		c->id = MS_CALL_MREMAP;
		c->arg[0] = pick_addr(w, in);
		c->arg[1] = pick_len(w, in);
		c->arg[2] = pick_len(w, in);
		c->arg[3] = fl[take8(in) & 7];
		c->nargs = 4;
		if (c->arg[3] & MREMAP_FIXED) {
			c->nargs = 5;
			c->arg[4] = pick_addr(w, in);
		}
		if (op & 0x80) {
			ms_range_info r;
			if (ms_first_live_from(w->m, c->arg[0], &r)) {
				c->arg[0] = r.base;
				c->arg[1] = r.size;
			}
		}
		return;
	}
	case 8: case 9:
		c->id = op & 0x10 ? MS_CALL_MADVISE : MS_CALL_MPROTECT;
		c->nargs = 3;
		c->arg[0] = pick_addr(w, in);
		c->arg[1] = pick_len(w, in);
		c->arg[2] = (op & 0x20) ? take8(in) : (c->id == MS_CALL_MPROTECT ? PROT_READ | PROT_WRITE : MADV_WILLNEED);
		return;
	case 10:
		c->id = op & 0x10 ? MS_CALL_REALLOC : MS_CALL_FREE;
		c->nargs = c->id == MS_CALL_REALLOC ? 2 : 1;
		c->arg[0] = pick_addr(w, in);
		c->arg[1] = take8(in);
		return;
	case 11:
		c->id = MS_CALL_ACCESS;
		c->nargs = 1;
		c->arg[0] = pick_addr(w, in);
		return;
	default:
		c->id = (ms_call_id)(MS_CALL_MSYNC + take8(in) % (MS_CALL_SBRK - MS_CALL_MSYNC + 1));
		c->nargs = 3;
		c->arg[0] = pick_addr(w, in);
		c->arg[1] = pick_len(w, in);
		c->arg[2] = take8(in);
		if (c->id == MS_CALL_SBRK) {
			/* An increment: small steps either way, or one to refuse. */
			uint8_t b = take8(in);
			c->nargs = 1;
			c->arg[0] = b == 0x80 ? (uint64_t)INT64_MIN
					      : (uint64_t)((int64_t)(int8_t)b * (int64_t)(w->page / 4));
		}
		return;
	}
}

/* ---- invariants ---- */

typedef struct {
	world *w;
	uint64_t prev_end;
	size_t n;
	uint64_t hash;
} walk_state;

static bool visit_live(void *ctx, const ms_range_info *r)
{
	walk_state *s = ctx;
	world *w = s->w;
	uint64_t mask = w->page - 1;
	CHECK(r->size > 0);
	CHECK(!(r->base & mask) && !(r->size & mask));
	CHECK(r->base + r->size > r->base);
	CHECK(s->n == 0 || r->base >= s->prev_end);
	s->prev_end = r->base + r->size;
	s->n++;
	s->hash = (s->hash ^ r->base) * 0x100000001b3ull;
	s->hash = (s->hash ^ r->size ^ (uint64_t)r->prot << 56 ^ (uint64_t)r->map_flags << 24) * 0x100000001b3ull;
	s->hash = (s->hash ^ r->origin_stack) * 0x100000001b3ull;

	ms_range_info f;
	CHECK(ms_find_live(w->m, r->base, &f) && f.base == r->base && f.size == r->size);
	CHECK(ms_find_live(w->m, r->base + r->size - 1, &f) && f.base == r->base);
	CHECK(ms_first_live_from(w->m, r->base, &f) && f.base == r->base);
	if (!w->diverged) {
		size_t lo, hi;
		/* Tracked memory is memory the kernel has mapped. */
		if (span(w, r->base, r->size, &lo, &hi))
			CHECK(all_mapped(w, lo, hi, 1));
	}
	return true;
}

static uint64_t check_table(world *w)
{
	walk_state s = {.w = w, .hash = 0xcbf29ce484222325ull};
	ms_for_each_live(w->m, visit_live, &s);
	CHECK(s.n == ms_live_count(w->m));
	CHECK(ms_table_bytes(w->m) <= (s.n + ms_dead_count(w->m)) * 64);
	return s.hash ^ s.n;
}

static void check_verdict(const world *w, const ms_verdict *v)
{
	ms_policy pol = ms_machine_config(w->m)->policy;
	switch (v->action) {
	case MS_ACT_FORWARD:
		break;
	case MS_ACT_FAIL:
		CHECK(v->err > 0);
		CHECK(pol == MS_POLICY_MIRI); /* native: the kernel decides errno */
		break;
	case MS_ACT_REPORT:
		CHECK(v->kind > MS_KIND_NONE && v->kind < MS_KIND_COUNT);
		CHECK(v->severity == ms_kind_severity(v->kind));
		CHECK(ms_kind_name(v->kind) != NULL);
		CHECK(memchr(v->message, 0, sizeof(v->message)) && v->message[0]);
		if (pol == MS_POLICY_NATIVE)
			CHECK(v->severity != MS_SEV_UNSUPPORTED);
		else
			CHECK(v->kind != MS_KIND_MAP_FIXED_UNTRACKED);
		break;
	default:
		abort();
	}
}

/* Miri's allocator view: a forwarded munmap frees exactly one mapping. */
static void check_miri_forward(const world *w, const ms_call *c, const ms_verdict *v)
{
	if (ms_machine_config(w->m)->policy != MS_POLICY_MIRI || v->action != MS_ACT_FORWARD)
		return;
	if (c->id == MS_CALL_MUNMAP) {
		bool ok;
		uint64_t len = round_len(w, c->arg[1], &ok);
		ms_range_info r;
		CHECK(ok && c->arg[1]);
		CHECK(ms_find_live(w->m, c->arg[0], &r) && r.base == c->arg[0] && r.size == len);
	}
	if (c->id == MS_CALL_MMAP && c->arg[4] == (uint64_t)-1) {
		CHECK(c->arg[2] == (PROT_READ | PROT_WRITE));
		CHECK(c->arg[3] == (MAP_PRIVATE | MAP_ANONYMOUS));
		CHECK(c->arg[5] == 0 && c->arg[1] != 0);
	}
}

static void track(world *w, uint64_t addr, uint64_t len, uint8_t v)
{
	uint64_t top = SPACE_BASE + SPACE_PAGES * w->page;
	uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;
	uint64_t lo = addr > SPACE_BASE ? addr : SPACE_BASE, hi = end < top ? end : top;
	for (; lo < hi; lo += w->page)
		w->tracked[(lo - SPACE_BASE) / w->page] = v;
}

/* Every successful call changes the tracked pages in a way SPEC §3.4 fixes
 * exactly: what was mapped is tracked, what was unmapped is not. */
static void track_result(world *w, const ms_call *c, uint64_t result)
{
	bool ok;
	switch (c->id) {
	case MS_CALL_MMAP:
		track(w, result, round_len(w, c->arg[1], &ok), 1);
		break;
	case MS_CALL_MUNMAP:
		track(w, c->arg[0], round_len(w, c->arg[1], &ok), 0);
		break;
	case MS_CALL_MREMAP:
		if (c->arg[1] && !(c->arg[3] & MREMAP_DONTUNMAP))
			track(w, c->arg[0], round_len(w, c->arg[1], &ok), 0);
		track(w, result, round_len(w, c->arg[2], &ok), 1);
		break;
	case MS_CALL_SBRK: {
		uint64_t brk = result + c->arg[0];
		if ((int64_t)c->arg[0] > 0)
			track(w, result & ~(w->page - 1), page_up(w, brk) - (result & ~(w->page - 1)), 1);
		else if (page_up(w, brk) < page_up(w, result))
			track(w, page_up(w, brk), page_up(w, result) - page_up(w, brk), 0);
		break;
	}
	default:
		break;
	}
	for (size_t i = 0; i < SPACE_PAGES; i++) {
		uint64_t a = SPACE_BASE + i * w->page;
		ms_range_info r;
		CHECK(ms_find_live(w->m, a, &r) == (w->tracked[i] != 0));
	}
}

static void check_after_record(world *w, const ms_call *c, uint64_t result)
{
	if (w->diverged || result > (uint64_t)-4096)
		return;
	track_result(w, c, result);
	ms_range_info r;
	bool ok;
	if (c->id == MS_CALL_MMAP && c->arg[4] == (uint64_t)-1 && !(c->arg[3] & MAP_FIXED)) {
		uint64_t len = round_len(w, c->arg[1], &ok);
		CHECK(ms_find_live(w->m, result, &r) && r.base == result && r.size == len);
	}
	if (c->id == MS_CALL_MUNMAP) {
		uint64_t len = round_len(w, c->arg[1], &ok);
		CHECK(!ms_first_live_from(w->m, c->arg[0], &r) || r.base >= c->arg[0] + len);
	}
}

static void run_call(world *w, input *in, ms_call *c)
{
	ms_verdict v;
	memset(&v, 0xa5, sizeof(v));
	uint64_t before = check_table(w);
	if (c->id == MS_CALL_ACCESS)
		ms_check_access(w->m, c->arg[0], &v);
	else
		ms_check(w->m, c, &v);
	CHECK(check_table(w) == before);  /* judging is pure */
	check_verdict(w, &v);
	check_miri_forward(w, c, &v);

	uint8_t mode = take8(in);
	if (tracing())
		fprintf(stderr, "%s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) -> action %d kind %s err %d%s\n",
			ms_call_name(c->id), (unsigned long)c->arg[0], (unsigned long)c->arg[1],
			(unsigned long)c->arg[2], (unsigned long)c->arg[3], (unsigned long)c->arg[4],
			(unsigned long)c->arg[5], v.action, v.action == MS_ACT_REPORT ? ms_kind_name(v.kind) : "-",
			v.action == MS_ACT_FAIL ? v.err : 0, v.action == MS_ACT_REPORT && (mode & 1) ? " (halt)" : "");
	if (c->id == MS_CALL_ACCESS || c->id == MS_CALL_EXIT)
		return;
	if (v.action == MS_ACT_REPORT && (mode & 1))
		return; /* halt_on_error: nothing is forwarded */
	uint64_t result;
	if (v.action == MS_ACT_FAIL)
		result = neg(v.err);
	else
		result = kernel_call(w, c);
	if (mode & 2)
		w->fail_allocs = 1 + (mode >> 6);
	bool recorded = ms_record(w->m, c, result);
	if (tracing())
		fprintf(stderr, "    kernel %#lx, recorded %d, live %zu\n", (unsigned long)result, recorded,
			ms_live_count(w->m));
	w->fail_allocs = 0;
	if (!recorded)
		w->diverged = true;
	if (result > (uint64_t)-4096)
		CHECK(check_table(w) == before); /* failures change nothing */
	check_table(w);
	check_after_record(w, c, result);
}

static bool leak_visit(void *ctx, const ms_range_info *r)
{
	world *w = ctx;
	ms_verdict v;
	ms_check_leak(w->m, r, &v);
	check_verdict(w, &v);
	CHECK(v.action != MS_ACT_REPORT || v.kind == MS_KIND_LEAK);
	return true;
}

static void seed_foreign(world *w, uint8_t b)
{
	/* Memory the program never mapped through the shim: heap, stacks. */
	size_t lo = (size_t)(b & 0xf) * (SPACE_PAGES / 16);
	size_t n = (size_t)(b >> 4);
	set_pages(w, lo, lo + n, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input in = {data, size};
	world *w = calloc(1, sizeof(*w));
	if (!w)
		return 0;
	uint8_t cfgb = take8(&in);
	static const size_t limits[] = {0, 1, 4, 64};
	w->page = (cfgb & 0x20) ? 65536 : 4096;
	ms_config cfg = {
		.page_size = w->page,
		.policy = (cfgb & 1) ? MS_POLICY_NATIVE : MS_POLICY_MIRI,
		.allow_sealed_files = cfgb & 2,
		.check_msync = cfgb & 4,
		.dead_limit = limits[(cfgb >> 3) & 3],
		.os = {.ctx = w, .alloc = os_alloc, .release = os_release,
		       .range_foreign = (cfgb & 0x40) ? NULL : os_range_foreign},
	};
	seed_foreign(w, take8(&in));
	seed_foreign(w, take8(&in));
	w->m = ms_machine_create(&cfg);
	if (!w->m) {
		free(w);
		return 0;
	}
	CHECK(ms_machine_config(w->m)->policy == cfg.policy);
	for (int steps = 0; in.n && steps < 2000; steps++) {
		ms_call c;
		decode_call(w, &in, &c);
		run_call(w, &in, &c);
	}
	ms_for_each_live(w->m, leak_visit, w);
	ms_machine_destroy(w->m);
	CHECK(w->alloc_bytes == 0);
	free(w);
	return 0;
}
