/* Carrying on after a report (SPEC §3.4): the call is forwarded, ms_record
 * mirrors what the kernel did, and later verdicts see the real address space. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdlib.h>

#include "support/expect.h"

#define P 4096ULL
#define A FX_BASE
#define MM MREMAP_MAYMOVE

static ms_call fixed(uint64_t addr, uint64_t len, int prot)
{
	return call_mmap(addr, len, prot, FX_ANON | MAP_FIXED, -1, 0);
}

static void expect_dead(const ms_machine *m, uint64_t addr, uint64_t base, uint64_t size,
			uint32_t origin, uint32_t unmap)
{
	ms_range_info d = { 0 };
	bool found = ms_find_dead(m, addr, &d);
	cr_expect(found && d.base == base && d.size == size && d.origin_stack == origin
			  && d.unmap_stack == unmap,
		  "dead at %#llx: want [%#llx, +%#llx) origin %u unmap %u, got %s "
		  "[%#llx, +%#llx) origin %u unmap %u",
		  (unsigned long long)addr, (unsigned long long)base, (unsigned long long)size,
		  origin, unmap, found ? "" : "none", (unsigned long long)d.base,
		  (unsigned long long)d.size, d.origin_stack, d.unmap_stack);
}

static void expect_untracked(const ms_machine *m, uint64_t addr)
{
	ms_range_info r;
	cr_expect(!ms_find_live(m, addr, &r) && !ms_find_dead(m, addr, &r),
		  "%#llx should be untracked", (unsigned long long)addr);
}

/* ---- munmap removes exactly the pages it unmapped ---- */

Test(carry_on, partial_munmap_keeps_the_rest)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 3 * P, 1);
	ms_verdict v = fx_run(m, with_stack(call_munmap(A, P), 2), 0);
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "munmap of the first page");
	EXPECT_LIVE(m, A + P, A + P, 2 * P, 1);
	expect_dead(m, A, A, P, 1, 2);
	cr_expect_eq(ms_live_count(m), 1);

	v = fx_check(m, with_stack(call_munmap(A, P), 3));
	EXPECT_VERDICT(v, W_REP(MS_KIND_DOUBLE_UNMAP), "munmap of the freed page");
	EXPECT_STACKS(v, 1, 2, "double-unmap of the freed page");
	v = fx_run(m, with_stack(call_munmap(A + P, 2 * P), 4), 0);
	EXPECT_VERDICT(v, W_FWD, "munmap of the remainder");
	cr_expect_eq(ms_live_count(m), 0);
	expect_dead(m, A + 2 * P, A + P, 2 * P, 1, 4);
	ms_machine_destroy(m);
}

Test(carry_on, interior_munmap_splits)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 3 * P, 1);
	ms_verdict v = fx_run(m, with_stack(call_munmap(A + P, P), 2), 0);
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "interior munmap");
	cr_expect_eq(ms_live_count(m), 2);
	EXPECT_LIVE(m, A, A, P, 1);
	EXPECT_LIVE(m, A + 2 * P, A + 2 * P, P, 1);
	expect_dead(m, A + P, A + P, P, 1, 2);
	v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_FWD, "left piece is a mapping of its own");
	v = fx_check(m, call_munmap(A + 2 * P, P));
	EXPECT_VERDICT(v, W_FWD, "right piece is a mapping of its own");
	v = fx_check(m, call_munmap(A, 3 * P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "old whole size");
	ms_machine_destroy(m);
}

Test(carry_on, munmap_spanning_two_mappings)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	ASSERT_MAP(m, A + 2 * P, 2 * P, 2);
	ms_verdict v = fx_run(m, with_stack(call_munmap(A + P, 2 * P), 3), 0);
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "spanning munmap");
	EXPECT_LIVE(m, A, A, P, 1);
	EXPECT_LIVE(m, A + 3 * P, A + 3 * P, P, 2);
	expect_dead(m, A + P, A + P, P, 1, 3);
	expect_dead(m, A + 2 * P, A + 2 * P, P, 2, 3);
	ms_machine_destroy(m);
}

Test(carry_on, zero_length_munmap_fails_in_the_kernel)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	ms_verdict v = fx_run(m, call_munmap(A, 0), fx_err(EINVAL));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "munmap(p, 0)");
	EXPECT_LIVE(m, A, A, 2 * P, 1);
	cr_expect_eq(ms_dead_count(m), 0);
	ms_machine_destroy(m);
}

Test(carry_on, only_tracked_pages_become_dead)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ASSERT_MAP(m, A + P, P, 1);
	ms_verdict v = fx_run(m, with_stack(call_munmap(A, 4 * P), 2), 0);
	EXPECT_VERDICT(v, W_REP(MS_KIND_UNMAP_UNTRACKED), "munmap over untracked pages");
	expect_untracked(m, A);
	expect_dead(m, A + P, A + P, P, 1, 2);
	expect_untracked(m, A + 2 * P);
	expect_untracked(m, A + 3 * P);
	ms_machine_destroy(m);
}

Test(carry_on, native_partial_munmaps)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ASSERT_MAP(m, A, 8 * P, 1);
	ms_verdict v = fx_run(m, with_stack(call_munmap(A + 2 * P, 2 * P), 2), 0);
	EXPECT_VERDICT(v, W_FWD, "native trim");
	EXPECT_LIVE(m, A, A, 2 * P, 1);
	EXPECT_LIVE(m, A + 5 * P, A + 4 * P, 4 * P, 1);
	v = fx_check(m, call_munmap(A, 8 * P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_DOUBLE_UNMAP), "whole range again");
	EXPECT_STACKS(v, 1, 2, "whole range again");
	v = fx_check(m, call_munmap(A + 4 * P, 4 * P));
	EXPECT_VERDICT(v, W_FWD, "tail");
	ms_machine_destroy(m);
}

/* ---- mprotect and madvise change no ranges ---- */

Test(carry_on, mprotect_keeps_ranges)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	ms_verdict v = fx_run(m, call_mprotect(A, P, PROT_READ), 0);
	EXPECT_VERDICT(v, W_REP(MS_KIND_PROTECTION), "mprotect(PROT_READ)");
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A + P, A, 2 * P, 1);
	v = fx_check(m, call_munmap(A, 2 * P));
	EXPECT_VERDICT(v, W_FWD, "whole munmap after mprotect");
	ms_machine_destroy(m);
}

Test(carry_on, madvise_keeps_ranges)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 4 * P, 1);
	ms_verdict v = fx_run(m, call_madvise(A + P, 2 * P, MADV_DONTNEED), 0);
	EXPECT_VERDICT(v, W_REP(MS_KIND_MADVISE_ADVICE), "MADV_DONTNEED");
	v = fx_run(m, call_madvise(A + P, 2 * P, MADV_FREE), 0);
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A + 3 * P, A, 4 * P, 1);
	cr_expect_eq(ms_dead_count(m), 0);
	v = fx_check(m, call_munmap(A, 4 * P));
	EXPECT_VERDICT(v, W_FWD, "whole munmap after madvise");
	ms_machine_destroy(m);
}

Test(carry_on, native_mprotect_of_part_keeps_ranges)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ASSERT_MAP(m, A, 4 * P, 1);
	fx_run(m, call_mprotect(A + P, P, PROT_NONE), 0);
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A + P, A, 4 * P, 1);
	ms_machine_destroy(m);
}

/* ---- MAP_FIXED ---- */

Test(carry_on, map_fixed_inside_keeps_ranges)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 4 * P, 1);
	ms_verdict v = fx_run(m, with_stack(fixed(A + P, P, FX_RW), 2), A + P);
	EXPECT_VERDICT(v, W_REP(MS_KIND_MAP_FIXED), "commit inside");
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A + P, A, 4 * P, 1);
	/* decommit the same way, with PROT_NONE */
	fx_run(m, with_stack(fixed(A + 2 * P, 2 * P, PROT_NONE), 3), A + 2 * P);
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A + 3 * P, A, 4 * P, 1);
	/* the exact same range is "wholly inside" too */
	fx_run(m, with_stack(fixed(A, 4 * P, FX_RW), 4), A);
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A, A, 4 * P, 1);
	v = fx_check(m, call_munmap(A, 4 * P));
	EXPECT_VERDICT(v, W_FWD, "whole munmap afterwards");
	cr_expect_eq(ms_dead_count(m), 0);
	ms_machine_destroy(m);
}

Test(carry_on, map_fixed_overlapping_trims)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	ASSERT_MAP(m, A + 2 * P, P, 2);
	ms_verdict v = fx_run(m, with_stack(fixed(A + P, 3 * P, FX_RW), 3), A + P);
	EXPECT_VERDICT(v, W_REP(MS_KIND_MAP_FIXED), "MAP_FIXED over two mappings");
	cr_expect_eq(ms_live_count(m), 2);
	EXPECT_LIVE(m, A, A, P, 1);
	EXPECT_LIVE(m, A + P, A + P, 3 * P, 3);
	EXPECT_LIVE(m, A + 3 * P, A + P, 3 * P, 3);
	v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_FWD, "trimmed left piece");
	v = fx_check(m, call_munmap(A + P, 3 * P));
	EXPECT_VERDICT(v, W_FWD, "new mapping");
	ms_machine_destroy(m);
}

Test(carry_on, map_fixed_in_the_middle_splits)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ASSERT_MAP(m, A + P, 2 * P, 1);
	/* Covers [A, A+2P): starts outside, so it is not wholly inside. */
	ms_verdict v = fx_run(m, with_stack(fixed(A, 2 * P, FX_RW), 2), A);
	EXPECT_VERDICT(v, W_FWD, "native MAP_FIXED over own and free pages");
	EXPECT_LIVE(m, A, A, 2 * P, 2);
	EXPECT_LIVE(m, A + 2 * P, A + 2 * P, P, 1);
	ms_machine_destroy(m);
}

Test(carry_on, map_fixed_over_dead_revives)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 3 * P, 1);
	ASSERT_UNMAP(m, A, 3 * P, 2);
	fx_run(m, with_stack(fixed(A + P, P, FX_RW), 3), A + P);
	EXPECT_LIVE(m, A + P, A + P, P, 3);
	ms_range_info d;
	cr_expect_not(ms_find_dead(m, A + P, &d), "a live page is still dead");
	cr_expect(ms_find_dead(m, A, &d), "the left page should stay dead");
	cr_expect(ms_find_dead(m, A + 2 * P, &d), "the right page should stay dead");
	ms_verdict v;
	ms_check_access(m, A + P, &v);
	EXPECT_VERDICT(v, W_FWD, "access to the revived page");
	ms_check_access(m, A + 2 * P, &v);
	EXPECT_VERDICT(v, W_REP(MS_KIND_USE_AFTER_UNMAP), "access to the still dead page");
	v = fx_check(m, call_munmap(A + P, P));
	EXPECT_VERDICT(v, W_FWD, "munmap of the new mapping");
	ms_machine_destroy(m);
}

Test(carry_on, plain_mmap_over_dead_revives)
{
	/* Past the quarantine the kernel may hand out the same addresses. */
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	ASSERT_UNMAP(m, A, 2 * P, 2);
	ASSERT_MAP(m, A, P, 3);
	EXPECT_LIVE(m, A, A, P, 3);
	ms_range_info d;
	cr_expect_not(ms_find_dead(m, A, &d), "a live page is still dead");
	ms_verdict v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_FWD, "munmap of the new mapping");
	v = fx_check(m, call_munmap(A + P, P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_DOUBLE_UNMAP), "munmap of the old second page");
	ms_machine_destroy(m);
}

/* ---- mremap ---- */

Test(carry_on, mremap_move_records_rounded_size)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	const uint64_t B = A + 64 * P;
	ms_verdict v = fx_run(m, with_stack(call_mremap(A, 2 * P, 3 * P + 1, MM), 2), B);
	EXPECT_VERDICT(v, W_FWD, "mremap grow");
	EXPECT_NOT_LIVE(m, A);
	EXPECT_NOT_LIVE(m, A + P);
	ms_range_info r;
	cr_assert(ms_find_live(m, B, &r), "moved mapping not tracked");
	cr_expect(r.base == B && r.size == 4 * P, "moved mapping [%#llx, +%#llx)",
		  (unsigned long long)r.base, (unsigned long long)r.size);
	cr_expect_eq(ms_live_count(m), 1);
	v = fx_check(m, call_munmap(B, 3 * P + 1));
	EXPECT_VERDICT(v, W_FWD, "munmap with the unrounded new size");
	v = fx_check(m, call_munmap(B, 4 * P));
	EXPECT_VERDICT(v, W_FWD, "munmap with the rounded new size");
	v = fx_check(m, call_mremap(B, 4 * P, P, MM));
	EXPECT_VERDICT(v, W_FWD, "mremap with the rounded size");
	v = fx_check(m, call_mremap(B, 3 * P + 1, P, MM));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "mremap old_size is exact, not rounded");
	v = fx_check(m, call_munmap(A, 2 * P));
	cr_expect(v.action == MS_ACT_REPORT
			  && (v.kind == MS_KIND_DOUBLE_UNMAP || v.kind == MS_KIND_UNMAP_UNTRACKED),
		  "munmap of the old place: %s", fx_describe(&v));
	ms_machine_destroy(m);
}

Test(carry_on, mremap_in_place)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	fx_run(m, call_mremap(A, 2 * P, 4 * P, MM), A);
	cr_expect_eq(ms_live_count(m), 1);
	ms_range_info r;
	cr_assert(ms_find_live(m, A + 3 * P, &r), "grown part not tracked");
	cr_expect(r.base == A && r.size == 4 * P);
	fx_run(m, call_mremap(A, 4 * P, P, MM), A);
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_NOT_LIVE(m, A + P);
	cr_assert(ms_find_live(m, A, &r));
	cr_expect(r.base == A && r.size == P);
	ms_verdict v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_FWD, "munmap after shrinking in place");
	ms_machine_destroy(m);
}

Test(carry_on, mremap_partial_native)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ASSERT_MAP(m, A, 4 * P, 1);
	const uint64_t B = A + 64 * P;
	ms_verdict v = fx_run(m, call_mremap(A + 2 * P, 2 * P, 2 * P, MM), B);
	EXPECT_VERDICT(v, W_FWD, "native mremap of a tail");
	EXPECT_LIVE(m, A, A, 2 * P, 1);
	EXPECT_NOT_LIVE(m, A + 2 * P);
	cr_assert(ms_find_live(m, B, &(ms_range_info){ 0 }));
	ms_range_info r;
	ms_find_live(m, B, &r);
	cr_expect(r.base == B && r.size == 2 * P);
	ms_machine_destroy(m);
}

/* ---- failed results change nothing ---- */

Test(carry_on, failed_results_change_nothing)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	fx_run(m, call_anon(0, P), fx_err(ENOMEM));
	fx_run(m, call_munmap(A, P), fx_err(EINVAL));
	fx_run(m, call_munmap(A, 2 * P), fx_err(EINVAL));
	fx_run(m, call_mremap(A, 2 * P, 8 * P, MM), fx_err(ENOMEM));
	fx_run(m, fixed(A + P, 4 * P, FX_RW), fx_err(ENOMEM));
	fx_run(m, fixed(A + 8 * P, P, FX_RW), fx_err(EEXIST));
	fx_run(m, call_mprotect(A, P, PROT_READ), fx_err(EACCES));
	cr_expect_eq(ms_live_count(m), 1);
	cr_expect_eq(ms_dead_count(m), 0);
	EXPECT_LIVE(m, A + P, A, 2 * P, 1);
	EXPECT_NOT_LIVE(m, A + 8 * P);
	ms_machine_destroy(m);
}

/* ---- mappings made by unsupported calls are tracked ---- */

Test(carry_on, unsupported_mappings_are_tracked)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ms_range_info r;
	ms_verdict v = fx_run(m, with_stack(call_mmap(0, 2 * P, FX_RW, FX_ANON | MAP_NORESERVE, -1, 0), 1), A);
	EXPECT_VERDICT(v, W_REP(MS_KIND_MAP_FLAGS), "MAP_NORESERVE");
	cr_assert(ms_find_live(m, A, &r), "MAP_NORESERVE mapping not tracked");
	cr_expect(r.base == A && r.size == 2 * P && r.origin_stack == 1);
	cr_expect(r.map_flags & MAP_NORESERVE, "flags not kept: %#x", r.map_flags);

	v = fx_run(m, with_stack(call_mmap(0, P, PROT_READ, FX_ANON, -1, 0), 2), A + 4 * P);
	EXPECT_VERDICT(v, W_REP(MS_KIND_PROTECTION), "PROT_READ");
	cr_assert(ms_find_live(m, A + 4 * P, &r), "PROT_READ mapping not tracked");
	cr_expect_eq(r.prot, PROT_READ);

	v = fx_run(m, with_stack(call_mmap(0, P, PROT_READ, MAP_SHARED, 5, 0), 3), A + 8 * P);
	EXPECT_VERDICT(v, W_REP(MS_KIND_FILE_MAPPING), "file mapping");
	cr_assert(ms_find_live(m, A + 8 * P, &r), "file mapping not tracked");
	cr_expect(r.file, "file mapping not marked");

	cr_expect_eq(ms_live_count(m), 3);
	v = fx_check(m, call_munmap(A, 2 * P));
	EXPECT_VERDICT(v, W_FWD, "munmap of the MAP_NORESERVE mapping");
	v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "it is a mapping like any other");
	ms_machine_destroy(m);
}

Test(carry_on, reported_calls_that_are_not_mappings_change_nothing)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 2 * P, 1);
	fx_run(m, call_free(A), 0);
	fx_run(m, call_args(MS_CALL_MLOCK, 2, A, P, 0), 0);
	fx_run(m, call_msync(A, P, MS_SYNC), 0);
	cr_expect_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A, A, 2 * P, 1);
	ms_machine_destroy(m);
}

/* ---- the dead history is bounded, oldest first ---- */

Test(carry_on, dead_history_evicts_oldest)
{
	ms_config cfg = fx_config(P, MS_POLICY_MIRI);
	cfg.dead_limit = 2;
	ms_machine *m = fx_machine_with(&cfg);
	for (uint32_t i = 0; i < 3; i++) {
		ASSERT_MAP(m, A + 4 * i * P, P, 10 + i);
		ASSERT_UNMAP(m, A + 4 * i * P, P, 20 + i);
	}
	cr_expect_eq(ms_dead_count(m), 2);
	expect_untracked(m, A);
	expect_dead(m, A + 4 * P, A + 4 * P, P, 11, 21);
	expect_dead(m, A + 8 * P, A + 8 * P, P, 12, 22);
	ms_verdict v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_UNMAP_UNTRACKED), "evicted dead range");
	ms_machine_destroy(m);
}

Test(carry_on, dead_history_default_limit)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	cr_expect_eq(ms_machine_config(m)->dead_limit == 0 || ms_machine_config(m)->dead_limit == 65536, true,
		     "dead_limit 0 picks 65536, got %zu", ms_machine_config(m)->dead_limit);
	for (uint32_t i = 0; i < 300; i++) {
		ASSERT_MAP(m, A + 2 * i * P, P, 1);
		ASSERT_UNMAP(m, A + 2 * i * P, P, 2);
	}
	cr_expect_eq(ms_dead_count(m), 300);
	expect_dead(m, A, A, P, 1, 2);
	ms_machine_destroy(m);
}

/* ---- ms_record when the table cannot grow ---- */

typedef struct {
	bool fail;
	size_t live_bytes;
} oom_ctx;

static void *oom_alloc(void *ctx, size_t bytes)
{
	oom_ctx *o = ctx;
	if (o->fail)
		return NULL;
	void *p = malloc(bytes);
	if (p)
		o->live_bytes += bytes;
	return p;
}

static void oom_release(void *ctx, void *p, size_t bytes)
{
	oom_ctx *o = ctx;
	o->live_bytes -= bytes;
	free(p);
}

Test(carry_on, record_without_memory_stays_consistent)
{
	oom_ctx o = { false, 0 };
	ms_config cfg = fx_config(P, MS_POLICY_MIRI);
	cfg.os.ctx = &o;
	cfg.os.alloc = oom_alloc;
	cfg.os.release = oom_release;
	ms_machine *m = fx_machine_with(&cfg);
	ASSERT_MAP(m, A, P, 1);
	o.fail = true;
	uint64_t i, made = 1;
	for (i = 1; i < 200000; i++) {
		ms_call c = with_stack(call_anon(0, P), 1 + (uint32_t)i);
		if (!ms_record(m, &c, A + 2 * i * P))
			break;
		made++;
	}
	cr_assert_lt(i, 200000, "the table never ran out of memory");
	cr_expect_eq(ms_live_count(m), made);
	for (uint64_t j = 0; j < made; j++)
		EXPECT_LIVE(m, A + 2 * j * P, A + 2 * j * P, P, 1 + (uint32_t)j);
	EXPECT_NOT_LIVE(m, A + 2 * i * P);
	o.fail = false;
	ms_call c = with_stack(call_anon(0, P), 7);
	cr_expect(ms_record(m, &c, A + 2 * i * P), "record after memory came back");
	EXPECT_LIVE(m, A + 2 * i * P, A + 2 * i * P, P, 7);
	ms_machine_destroy(m);
	cr_expect_eq(o.live_bytes, 0, "ms_machine_destroy leaked %zu bytes", o.live_bytes);
}
