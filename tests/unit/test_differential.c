/* Differential property test: seeded random call sequences run against the
 * machine and against the naive page-map reference (support/ref_model.c),
 * with a fake kernel deciding what each forwarded call returns. Every
 * verdict and the final table must agree. Reproduce a failure with
 * MAPSAN_DIFF_SEED=<seed> (and MAPSAN_DIFF_STEPS=<n> to change the length). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/expect.h"
#include "support/fake_kernel.h"
#include "support/ref_model.h"

#define SPACE FX_BASE
#define CHECK_EVERY 32

typedef struct {
	const char *name;
	size_t page;
	ms_policy policy;
	bool files; /* file facts on file mmaps; miri: allow_sealed_files */
	uint64_t seed;
	unsigned steps;
} diff_config;

typedef struct {
	diff_config cfg;
	ms_machine *m;
	ref_model ref;
	fake_kernel k;
	uint64_t rng;
	unsigned step;
	uint32_t stack;
	unsigned kinds[MS_KIND_COUNT];
	unsigned fails, forwards, max_live, max_dead, file_maps;
} diff;

static uint64_t rnd(diff *d)
{
	uint64_t z = (d->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(diff *d, uint64_t n)
{
	return n ? rnd(d) % n : 0;
}

static bool chance(diff *d, unsigned percent)
{
	return below(d, 100) < percent;
}

static uint64_t P(const diff *d)
{
	return d->cfg.page;
}

static uint64_t space_end(const diff *d)
{
	return ref_end(&d->ref);
}

/* ---- address and length generators ---- */

static uint64_t page_addr(const diff *d, uint64_t i)
{
	return SPACE + i * P(d);
}

/* A page in the given state, searching from a random page; any page when
 * there is none. */
static uint64_t page_in(diff *d, int state)
{
	uint64_t start = below(d, REF_PAGES);
	for (uint64_t i = 0; i < REF_PAGES; i++) {
		uint64_t a = page_addr(d, (start + i) % REF_PAGES);
		if (ref_state(&d->ref, a) == state)
			return a;
	}
	return page_addr(d, start);
}

static uint64_t run_base(diff *d, uint64_t a)
{
	ms_range_info r;
	int state = ref_state(&d->ref, a);
	if (state != REF_UNTRACKED && ref_find(&d->ref, a, state, &r))
		return r.base;
	return a;
}

static uint64_t gen_addr(diff *d)
{
	uint64_t r = below(d, 100), a;
	if (r < 30)
		a = run_base(d, page_in(d, REF_LIVE));
	else if (r < 42)
		a = page_in(d, REF_LIVE);
	else if (r < 55)
		a = chance(d, 50) ? run_base(d, page_in(d, REF_DEAD)) : page_in(d, REF_DEAD);
	else if (r < 75)
		a = page_addr(d, below(d, REF_PAGES));
	else if (r < 80)
		a = chance(d, 50) ? SPACE - (1 + below(d, 4)) * P(d)
				  : space_end(d) + below(d, 4) * P(d);
	else if (r < 83)
		a = 0;
	else
		a = page_addr(d, below(d, REF_PAGES));
	if (chance(d, 8))
		a += 1 + below(d, P(d) - 1);
	return a;
}

static uint64_t huge_len(diff *d)
{
	static const uint64_t huge[] = { SIZE_MAX, SIZE_MAX - 1, PTRDIFF_MAX,
					 (uint64_t)PTRDIFF_MAX + 1 };
	return huge[below(d, 4)];
}

/* Bytes from a to the end of the live run holding it, or 0. */
static uint64_t run_rest(diff *d, uint64_t a)
{
	ms_range_info r;
	if (!ref_find(&d->ref, a & ~(P(d) - 1), REF_LIVE, &r))
		return 0;
	return r.base + r.size - a;
}

static uint64_t gen_len(diff *d, uint64_t a)
{
	uint64_t r = below(d, 100), rest = run_rest(d, a);
	if (r < 30 && rest)
		return rest;
	if (r < 40 && rest > P(d))
		return rest - below(d, P(d) - 1);
	if (r < 60)
		return (1 + below(d, 8)) * P(d);
	if (r < 72)
		return 1 + below(d, 8 * P(d));
	if (r < 78)
		return 0;
	if (r < 83)
		return huge_len(d);
	if (r < 93)
		return rest + (1 + below(d, 4)) * P(d);
	return (1 + below(d, 32)) * P(d);
}

/* ---- call generators ---- */

static int gen_prot(diff *d)
{
	static const int prot[] = { PROT_READ, PROT_NONE, PROT_READ | PROT_WRITE | PROT_EXEC,
				    PROT_WRITE };
	return chance(d, 70) ? FX_RW : prot[below(d, 4)];
}

static int gen_map_flags(diff *d)
{
	static const int type[] = { MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, 0 };
	static const int extra[] = { MAP_NORESERVE, MAP_POPULATE, MAP_STACK };
	if (chance(d, 65))
		return FX_ANON;
	int f = chance(d, 80) ? MAP_PRIVATE : type[below(d, 4)];
	if (chance(d, 85))
		f |= MAP_ANONYMOUS;
	if (chance(d, 40))
		f |= extra[below(d, 3)];
	return f;
}

static ms_file_facts gen_facts(diff *d)
{
	ms_file_facts f = { .valid = chance(d, 85), .regular = true };
	f.sealed = chance(d, 50);
	f.verity = !f.sealed && chance(d, 60);
	f.size = below(d, 9) * P(d);
	if (d->cfg.policy == MS_POLICY_NATIVE) {
		f.regular = chance(d, 85);
		f.sealed = chance(d, 10);
		f.size += chance(d, 50) ? below(d, P(d)) : 0;
	}
	return f;
}

/* A page someone else owns, or any page when there is none. */
static uint64_t foreign_page(diff *d)
{
	uint64_t start = below(d, REF_PAGES);
	for (uint64_t i = 0; i < REF_PAGES; i++) {
		uint64_t a = page_addr(d, (start + i) % REF_PAGES);
		if (fk_is_foreign(&d->k, a))
			return a;
	}
	return page_addr(d, start);
}

static ms_call gen_fixed(diff *d, int prot, int flags)
{
	uint64_t a = chance(d, 50) ? page_in(d, REF_LIVE) : page_addr(d, below(d, REF_PAGES));
	if (chance(d, 15))
		a = foreign_page(d) - below(d, 3) * P(d);
	uint64_t len = chance(d, 70) ? (1 + below(d, 8)) * P(d) : 1 + below(d, 8 * P(d));
	if (chance(d, 3))
		len = 0;
	if (chance(d, 30))
		a = run_base(d, a);
	if (len > space_end(d) - a)
		len = space_end(d) - a;
	return call_mmap(a, len, prot, flags, -1, 0);
}

static ms_call gen_mmap(diff *d)
{
	int prot = gen_prot(d), flags = gen_map_flags(d);
	if (chance(d, 12))
		return gen_fixed(d, prot, flags | MAP_FIXED);
	if (chance(d, 4))
		flags |= MAP_FIXED_NOREPLACE;
	uint64_t hint = chance(d, 50) ? 0 : gen_addr(d);
	uint64_t r = below(d, 100), len;
	if (r < 60)
		len = (1 + below(d, 8)) * P(d);
	else if (r < 80)
		len = 1 + below(d, 8 * P(d));
	else if (r < 85)
		len = 0;
	else if (r < 88)
		len = huge_len(d);
	else
		len = (9 + below(d, 24)) * P(d);
	int fd = chance(d, 90) ? -1 : (int)below(d, 8);
	uint64_t off = chance(d, 92) ? 0 : (chance(d, 70) ? P(d) * below(d, 4) : 1);
	if (fd >= 0 && d->cfg.files && d->cfg.policy == MS_POLICY_NATIVE) {
		off &= ~(P(d) - 1);
		if (chance(d, 40))
			flags = (flags & ~MAP_SHARED_VALIDATE) | (chance(d, 50) ? MAP_SHARED : MAP_PRIVATE);
		return with_file(call_mmap(hint, len, prot, flags, fd, off), gen_facts(d));
	}
	if (fd >= 0 && d->cfg.files) {
		prot = chance(d, 60) ? PROT_READ : prot;
		flags = chance(d, 70) ? MAP_PRIVATE : flags;
		if (len && len < SIZE_MAX / 2)
			len = (len + P(d) - 1) & ~(P(d) - 1);
		ms_call c = call_mmap(hint, len, prot, flags, fd, off & ~(P(d) - 1));
		return with_file(c, gen_facts(d));
	}
	return call_mmap(hint, len, prot, flags, fd, off);
}

static ms_call gen_munmap(diff *d)
{
	uint64_t a = gen_addr(d);
	return call_munmap(a, gen_len(d, a));
}

static int gen_mremap_flags(diff *d)
{
	uint64_t r = below(d, 100);
	if (d->cfg.policy == MS_POLICY_NATIVE)
		return r < 65 ? MREMAP_MAYMOVE : r < 90 ? 0 : MREMAP_MAYMOVE | MREMAP_FIXED;
	if (r < 70)
		return MREMAP_MAYMOVE;
	if (r < 80)
		return 0;
	if (r < 88)
		return MREMAP_MAYMOVE | MREMAP_FIXED;
	if (r < 94)
		return MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
	return MREMAP_FIXED;
}

static ms_call gen_mremap(diff *d)
{
	uint64_t old = gen_addr(d), old_size = gen_len(d, old), rest = run_rest(d, old);
	if (chance(d, 40) && rest)
		old_size = rest;
	else if (chance(d, 10) && rest > 1)
		old_size = rest - 1;
	uint64_t r = below(d, 100), new_size;
	if (r < 40)
		new_size = old_size + (1 + below(d, 4)) * P(d) - (chance(d, 20) ? 1 : 0);
	else if (r < 70)
		new_size = 1 + below(d, old_size > 1 && old_size < 64 * P(d) ? old_size : P(d));
	else if (r < 78)
		new_size = 0;
	else
		new_size = (1 + below(d, 8)) * P(d);
	if (new_size > 64 * P(d))
		new_size = 4 * P(d);
	if (d->cfg.policy == MS_POLICY_NATIVE && old_size > 64 * P(d))
		old_size = 2 * P(d);
	int flags = gen_mremap_flags(d);
	if (flags & MREMAP_FIXED)
		return call_mremap_to(old, old_size, new_size, flags,
				      page_addr(d, below(d, REF_PAGES - 64)));
	return call_mremap(old, old_size, new_size, flags);
}

static ms_call gen_mprotect(diff *d)
{
	uint64_t a = gen_addr(d);
	return call_mprotect(a, gen_len(d, a), chance(d, 60) ? FX_RW : gen_prot(d));
}

static ms_call gen_madvise(diff *d)
{
	static const int advice[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
				      MADV_DONTNEED, MADV_FREE, MADV_HUGEPAGE };
	uint64_t a = gen_addr(d);
	return call_madvise(a, gen_len(d, a), advice[below(d, chance(d, 60) ? 4 : 7)]);
}

static ms_call gen_free(diff *d)
{
	uint64_t a = gen_addr(d);
	if (chance(d, 50))
		return call_free(a);
	return call_realloc(a, below(d, 3 * P(d)));
}

/* sbrk: mostly small steps either way, some of them not page multiples,
 * and now and then one the kernel must refuse. */
static uint64_t gen_increment(diff *d)
{
	static const int64_t huge[] = { INT64_MIN, INT64_MAX, -(int64_t)(SIZE_MAX / 4) };
	if (chance(d, 5))
		return (uint64_t)huge[below(d, 3)];
	if (chance(d, 10))
		return 0;
	int64_t step = (int64_t)(chance(d, 50) ? below(d, 6 * P(d)) : (1 + below(d, 6)) * P(d));
	return (uint64_t)(chance(d, 35) ? -step : step);
}

static ms_call gen_other(diff *d)
{
	static const ms_call_id ids[] = {
		MS_CALL_MSYNC, MS_CALL_MLOCK, MS_CALL_MUNLOCK, MS_CALL_MLOCKALL,
		MS_CALL_MINCORE, MS_CALL_PKEY_MPROTECT, MS_CALL_REMAP_FILE_PAGES,
		MS_CALL_POSIX_MADVISE, MS_CALL_BRK, MS_CALL_SBRK,
	};
	uint64_t a = gen_addr(d);
	ms_call_id id = ids[below(d, 10)];
	if (id == MS_CALL_SBRK)
		return call_args(id, 1, gen_increment(d), 0, 0);
	return call_args(id, 3, a, gen_len(d, a), 0);
}

static ms_call gen_call(diff *d)
{
	uint64_t r = below(d, 100);
	ms_call c;
	if (r < 32)
		c = gen_mmap(d);
	else if (r < 58)
		c = gen_munmap(d);
	else if (r < 68)
		c = gen_mremap(d);
	else if (r < 78)
		c = gen_mprotect(d);
	else if (r < 88)
		c = gen_madvise(d);
	else if (r < 94)
		c = gen_free(d);
	else
		c = gen_other(d);
	c.stack = ++d->stack;
	return c;
}

/* ---- comparison ---- */

static bool kind_names_range(ms_kind k)
{
	return k == MS_KIND_PARTIAL_UNMAP || k == MS_KIND_DOUBLE_UNMAP
	       || k == MS_KIND_FREE_OF_MAPPING || k == MS_KIND_USE_AFTER_UNMAP
	       || k == MS_KIND_LEAK || k == MS_KIND_FILE_TRUNCATED;
}

static bool kind_names_unmap(ms_kind k)
{
	return k == MS_KIND_DOUBLE_UNMAP || k == MS_KIND_USE_AFTER_UNMAP;
}

static bool same_verdict(const ms_verdict *got, const ms_verdict *want)
{
	if (got->action != want->action)
		return false;
	if (got->action == MS_ACT_FAIL)
		return got->err == want->err;
	if (got->action != MS_ACT_REPORT)
		return true;
	if (got->kind != want->kind || got->severity != ms_kind_severity(want->kind))
		return false;
	if (!kind_names_range(want->kind))
		return true;
	if (got->map_base != want->map_base || got->map_size != want->map_size
	    || got->origin_stack != want->origin_stack)
		return false;
	return !kind_names_unmap(want->kind) || got->unmap_stack == want->unmap_stack;
}

static void disagree(const diff *d, const char *what, const ms_call *c, const ms_verdict *got,
		     const ms_verdict *want)
{
	char g[512], w[512], call[256];
	snprintf(g, sizeof g, "%s", fx_describe(got));
	snprintf(w, sizeof w, "%s", fx_describe(want));
	snprintf(call, sizeof call, "%s", c ? fx_describe_call(c) : "-");
	cr_assert_fail("[%s] seed %#llx step %u: %s\n  call %s\n  machine:   %s\n  reference: %s",
		 d->cfg.name, (unsigned long long)d->cfg.seed, d->step, what, call, g, w);
}

static void state_fail(const diff *d, const char *fmt, uint64_t addr, uint64_t x, uint64_t y)
{
	char msg[256];
	snprintf(msg, sizeof msg, fmt, (unsigned long long)addr, (unsigned long long)x,
		 (unsigned long long)y);
	cr_assert_fail("[%s] seed %#llx after step %u: %s", d->cfg.name,
		 (unsigned long long)d->cfg.seed, d->step, msg);
}

typedef struct {
	ms_range_info r[REF_PAGES + 16];
	size_t n;
} live_list;

static bool collect(void *ctx, const ms_range_info *r)
{
	live_list *l = ctx;
	if (l->n < sizeof l->r / sizeof l->r[0])
		l->r[l->n] = *r;
	l->n++;
	return true;
}

static void compare_live(const diff *d)
{
	static live_list got;
	got.n = 0;
	ms_for_each_live(d->m, collect, &got);
	size_t j = 0;
	for (uint64_t a = SPACE; a < space_end(d);) {
		ms_range_info want;
		if (!ref_find(&d->ref, a, REF_LIVE, &want)) {
			a += P(d);
			continue;
		}
		if (j >= got.n)
			state_fail(d, "live [%#llx, +%#llx) missing from the machine (%llu)", want.base,
				   want.size, j);
		const ms_range_info *g = &got.r[j++];
		if (g->base != want.base || g->size != want.size)
			state_fail(d, "live range at %#llx: machine [%#llx, +%#llx)", want.base, g->base,
				   g->size);
		if (g->origin_stack != want.origin_stack)
			state_fail(d, "live %#llx: origin %llu, want %llu", want.base, g->origin_stack,
				   want.origin_stack);
		a = want.base + want.size;
	}
	if (j != got.n)
		state_fail(d, "machine has %llu live ranges, reference %llu (first extra at %#llx)",
			   got.n, j, j < got.n ? got.r[j].base : 0);
	if (ms_live_count(d->m) != got.n)
		state_fail(d, "ms_live_count %llu, ms_for_each_live %llu (%llu)", ms_live_count(d->m),
			   got.n, 0);
}

static void compare_page(const diff *d, uint64_t a)
{
	ms_range_info g, w;
	int state = ref_state(&d->ref, a);
	bool live = ms_find_live(d->m, a, &g);
	if (live != (state == REF_LIVE))
		state_fail(d, "page %#llx: machine live=%llu, reference state %llu", a, live,
			   (uint64_t)state);
	if (live) {
		ref_find(&d->ref, a, REF_LIVE, &w);
		if (g.base != w.base || g.size != w.size)
			state_fail(d, "ms_find_live(%#llx) gives [%#llx, +%#llx)", a, g.base, g.size);
	}
	bool dead = ms_find_dead(d->m, a, &g);
	if (dead != (state == REF_DEAD))
		state_fail(d, "page %#llx: machine dead=%llu, reference state %llu", a, dead,
			   (uint64_t)state);
	if (dead) {
		ref_find(&d->ref, a, REF_DEAD, &w);
		if (g.base != w.base || g.size != w.size)
			state_fail(d, "ms_find_dead(%#llx) gives [%#llx, +%#llx)", a, g.base, g.size);
		if (g.origin_stack != w.origin_stack || g.unmap_stack != w.unmap_stack)
			state_fail(d, "dead %#llx: origin %llu unmap %llu", a, g.origin_stack,
				   g.unmap_stack);
	}
}

static void compare_first_live_from(diff *d)
{
	uint64_t a = SPACE + below(d, REF_PAGES * P(d) + P(d));
	ms_range_info g, w;
	bool got = ms_first_live_from(d->m, a, &g);
	bool want = false;
	for (uint64_t p = a & ~(P(d) - 1); p < space_end(d); p += P(d))
		if (ref_find(&d->ref, p, REF_LIVE, &w)) {
			want = true;
			break;
		}
	if (got != want || (got && (g.base != w.base || g.size != w.size)))
		state_fail(d, "ms_first_live_from(%#llx): machine %#llx, reference %#llx", a,
			   got ? g.base : 0, want ? w.base : 0);
}

static void compare_kernel(const diff *d)
{
	for (uint64_t a = SPACE; a < space_end(d); a += P(d))
		if (fk_is_mapped(&d->k, a) != (ref_state(&d->ref, a) == REF_LIVE))
			state_fail(d, "reference out of step with the kernel at %#llx (mapped %llu)",
				   a, fk_is_mapped(&d->k, a), 0);
}

static void compare_state(diff *d)
{
	compare_live(d);
	compare_kernel(d);
	size_t dead_runs = 0;
	for (uint64_t a = SPACE; a < space_end(d); a += P(d)) {
		compare_page(d, a);
		ms_range_info w;
		if (ref_find(&d->ref, a, REF_DEAD, &w) && w.base == a)
			dead_runs++;
	}
	if (ms_dead_count(d->m) != dead_runs)
		state_fail(d, "ms_dead_count %llu, reference %llu (%llu)", ms_dead_count(d->m),
			   dead_runs, 0);
	compare_page(d, SPACE - P(d));
	compare_page(d, space_end(d));
	for (int i = 0; i < 4; i++)
		compare_first_live_from(d);
}

static void compare_access(diff *d)
{
	uint64_t a = gen_addr(d) + below(d, P(d));
	ms_verdict got, want;
	ms_check_access(d->m, a, &got);
	ref_check_access(&d->ref, a, &want);
	if (got.action == MS_ACT_REPORT && (unsigned)got.kind < MS_KIND_COUNT)
		d->kinds[got.kind]++;
	if (!same_verdict(&got, &want)) {
		ms_call c = call_args(MS_CALL_ACCESS, 1, a, 0, 0);
		disagree(d, "ms_check_access", &c, &got, &want);
	}
}

static bool compare_leak(void *ctx, const ms_range_info *r)
{
	diff *d = ctx;
	ms_verdict got, want;
	ms_check_leak(d->m, r, &got);
	memset(&want, 0, sizeof want);
	want.action = MS_ACT_REPORT;
	want.kind = MS_KIND_LEAK;
	want.map_base = r->base;
	want.map_size = r->size;
	want.origin_stack = r->origin_stack;
	if (!same_verdict(&got, &want))
		disagree(d, "ms_check_leak", NULL, &got, &want);
	return true;
}

/* ---- the run ---- */

static void step(diff *d)
{
	ms_call c = gen_call(d);
	ms_verdict got, want;
	memset(&got, 0x5a, sizeof got);
	ms_check(d->m, &c, &got);
	ref_check(&d->ref, &c, &want);
	if (!same_verdict(&got, &want))
		disagree(d, "verdicts differ", &c, &got, &want);
	if (got.action == MS_ACT_FAIL) {
		d->fails++;
		return;
	}
	if (got.action == MS_ACT_REPORT)
		d->kinds[got.kind]++;
	else
		d->forwards++;
	if (c.id == MS_CALL_MMAP && (int64_t)c.arg[4] != -1 && got.action == MS_ACT_FORWARD)
		d->file_maps++;
	uint64_t result = fk_forward(&d->k, &c);
	if (!ms_record(d->m, &c, result))
		disagree(d, "ms_record failed", &c, &got, &want);
	ref_record(&d->ref, &c, result);
}

static void track_sizes(diff *d)
{
	if (ms_live_count(d->m) > d->max_live)
		d->max_live = (unsigned)ms_live_count(d->m);
	if (ms_dead_count(d->m) > d->max_dead)
		d->max_dead = (unsigned)ms_dead_count(d->m);
}

/* A generator that drifts into a corner (everything mapped, nothing dead)
 * would make agreement meaningless: every verdict the policy can give must
 * have come up. */
static void expect_coverage(const diff *d)
{
	static const ms_kind miri[] = {
		MS_KIND_PARTIAL_UNMAP, MS_KIND_UNMAP_UNTRACKED, MS_KIND_DOUBLE_UNMAP,
		MS_KIND_OUT_OF_BOUNDS, MS_KIND_FREE_OF_MAPPING, MS_KIND_FILE_MAPPING,
		MS_KIND_MAP_FIXED, MS_KIND_PROTECTION, MS_KIND_MAP_FLAGS, MS_KIND_MAP_OFFSET,
		MS_KIND_MADVISE_ADVICE, MS_KIND_MREMAP_FLAGS, MS_KIND_UNSUPPORTED_CALL,
	};
	static const ms_kind native[] = {
		MS_KIND_UNMAP_UNTRACKED, MS_KIND_DOUBLE_UNMAP, MS_KIND_OUT_OF_BOUNDS,
		MS_KIND_FREE_OF_MAPPING, MS_KIND_MAP_FIXED_UNTRACKED,
	};
	bool is_miri = d->cfg.policy == MS_POLICY_MIRI;
	const ms_kind *want = is_miri ? miri : native;
	size_t n = is_miri ? sizeof miri / sizeof miri[0] : sizeof native / sizeof native[0];
	if (getenv("MAPSAN_DIFF_VERBOSE")) {
		fprintf(stderr, "[%s] forwards %u fails %u max live %u max dead %u file mappings %u\n",
			d->cfg.name, d->forwards, d->fails, d->max_live, d->max_dead, d->file_maps);
		for (int k = 1; k < MS_KIND_COUNT; k++)
			if (d->kinds[k])
				fprintf(stderr, "  %-22s %u\n", ms_kind_name((ms_kind)k), d->kinds[k]);
	}
	for (size_t i = 0; i < n; i++)
		cr_expect_gt(d->kinds[want[i]], 0, "[%s] seed %#llx never produced %s", d->cfg.name,
			     (unsigned long long)d->cfg.seed, ms_kind_name(want[i]));
	cr_expect_gt(d->fails + (is_miri ? 0 : 1), 0, "[%s] no call failed", d->cfg.name);
	if (d->cfg.files && is_miri)
		cr_expect_gt(d->file_maps, 0, "[%s] no sealed file mapping was accepted", d->cfg.name);
	if (d->cfg.files && !is_miri) {
		cr_expect_gt(d->kinds[MS_KIND_MAP_BEYOND_EOF], 0, "[%s] no map-beyond-eof", d->cfg.name);
		cr_expect_gt(d->kinds[MS_KIND_SHARED_WRITABLE_FILE], 0, "[%s] no shared-writable-file",
			     d->cfg.name);
		cr_expect_gt(d->kinds[MS_KIND_FILE_TRUNCATED], 0, "[%s] no file-truncated", d->cfg.name);
	}
	cr_expect_gt(d->max_live, 20, "[%s] the table never held many mappings", d->cfg.name);
	cr_expect_gt(d->max_dead, 20, "[%s] the table never held many dead ranges", d->cfg.name);
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	return s && *s ? strtoull(s, NULL, 0) : dflt;
}

static void add_foreign(diff *d)
{
	for (int i = 0; i < 6; i++) {
		uint64_t at = page_addr(d, below(d, REF_PAGES - 8));
		fk_set_foreign(&d->k, at, (1 + below(d, 6)) * P(d));
	}
}

static void run(diff_config cfg)
{
	static diff d;
	memset(&d, 0, sizeof d);
	cfg.seed = env_u64("MAPSAN_DIFF_SEED", cfg.seed);
	cfg.steps = (unsigned)env_u64("MAPSAN_DIFF_STEPS", cfg.steps);
	d.cfg = cfg;
	d.rng = cfg.seed;
	fk_init(&d.k, SPACE, cfg.page, cfg.seed ^ 0xa5a5a5a5ULL);
	ms_config mc = fx_config(cfg.page, cfg.policy);
	mc.allow_sealed_files = cfg.files && cfg.policy == MS_POLICY_MIRI;
	mc.os.ctx = &d.k;
	mc.os.range_foreign = fk_range_foreign;
	d.m = fx_machine_with(&mc);
	ref_init(&d.ref, &mc, SPACE);
	add_foreign(&d);
	for (d.step = 1; d.step <= cfg.steps; d.step++) {
		step(&d);
		if (d.step % 4 == 0)
			compare_access(&d);
		if (d.step % CHECK_EVERY == 0) {
			compare_state(&d);
			track_sizes(&d);
		}
		if (d.step % 500 == 0)
			add_foreign(&d);
	}
	compare_state(&d);
	ms_for_each_live(d.m, compare_leak, &d);
	ms_machine_destroy(d.m);
	expect_coverage(&d);
}

Test(differential, miri_4k, .timeout = 60)
{
	run((diff_config){ "miri 4k", 4096, MS_POLICY_MIRI, false, 0x6d6972690001ULL, 50000 });
}

Test(differential, miri_16k, .timeout = 60)
{
	run((diff_config){ "miri 16k", 16384, MS_POLICY_MIRI, false, 0x6d6972690002ULL, 40000 });
}

Test(differential, miri_sealed_files, .timeout = 60)
{
	run((diff_config){ "miri sealed", 4096, MS_POLICY_MIRI, true, 0x6d6972690003ULL, 30000 });
}

Test(differential, native_4k, .timeout = 60)
{
	run((diff_config){ "native 4k", 4096, MS_POLICY_NATIVE, false, 0x6e6174690001ULL, 50000 });
}

Test(differential, native_file_warnings, .timeout = 60)
{
	run((diff_config){ "native files", 4096, MS_POLICY_NATIVE, true, 0x6e6174690003ULL, 30000 });
}

Test(differential, native_16k, .timeout = 60)
{
	run((diff_config){ "native 16k", 16384, MS_POLICY_NATIVE, false, 0x6e6174690002ULL, 40000 });
}
