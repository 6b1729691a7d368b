/* sbrk's heap is the program's own memory (record.c): a growth is tracked
 * as a mapping, a shrink leaves dead pages; and ms_forget, which takes the
 * runtime's own mappings out of both tables. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>

#include "support/expect.h"

#define P 4096ULL
#define A FX_BASE

static ms_call sbrk_call(int64_t increment, uint32_t stack)
{
	return with_stack(call_args(MS_CALL_SBRK, 1, (uint64_t)increment, 0, 0), stack);
}

static void expect_heap(const ms_machine *m, uint64_t at, uint64_t base, uint64_t size,
			uint32_t origin)
{
	ms_range_info r = { 0 };
	bool found = ms_find_live(m, at, &r);
	cr_expect(found && r.base == base && r.size == size && r.origin_stack == origin,
		  "live at %#llx: want [%#llx, +%#llx) origin %u, got %s[%#llx, +%#llx) origin %u",
		  (unsigned long long)at, (unsigned long long)base, (unsigned long long)size,
		  origin, found ? "" : "none ", (unsigned long long)r.base,
		  (unsigned long long)r.size, r.origin_stack);
	cr_expect(!found || (r.prot == FX_RW && r.map_flags == FX_ANON && !r.file),
		  "the heap is private anonymous read/write memory");
}

static void expect_untracked(const ms_machine *m, uint64_t addr)
{
	ms_range_info r;
	cr_expect(!ms_find_live(m, addr, &r) && !ms_find_dead(m, addr, &r),
		  "%#llx should be untracked", (unsigned long long)addr);
}

Test(sbrk, growth_is_a_tracked_mapping)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ms_verdict v = fx_run(m, sbrk_call(3 * P, 7), A);
	EXPECT_VERDICT(v, W_FWD, "native judges nothing in sbrk");
	expect_heap(m, A, A, 3 * P, 7);
	/* What tcmalloc's TCMALLOC_SystemRelease does with its sbrk heap. */
	v = fx_check(m, call_madvise(A + P, 2 * P, MADV_DONTNEED));
	EXPECT_VERDICT(v, W_FWD, "madvise inside the heap");
	v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_FWD, "munmap of heap pages");
	ms_machine_destroy(m);
}

Test(sbrk, unaligned_break_takes_its_page)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	fx_run(m, sbrk_call((int64_t)P, 1), A + 100);
	expect_heap(m, A, A, 2 * P, 1);
	/* The next growth starts in the page of the old, unaligned break: that
	 * page moves to the newer mapping. */
	fx_run(m, sbrk_call(10, 2), A + P + 100);
	expect_heap(m, A, A, P, 1);
	expect_heap(m, A + P, A + P, P, 2);
	/* A growth that stays inside the break's page still records that page. */
	fx_run(m, sbrk_call(10, 3), A + P + 110);
	expect_heap(m, A + P, A + P, P, 3);
	cr_expect_eq(ms_live_count(m), 2);
	ms_machine_destroy(m);
}

Test(sbrk, growth_replaces_dead_and_live_ranges)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ASSERT_MAP(m, A, P, 1);
	ASSERT_UNMAP(m, A, P, 2);
	ASSERT_MAP(m, A + 3 * P, 2 * P, 3);
	fx_run(m, sbrk_call(4 * P, 4), A);
	ms_range_info r;
	cr_expect(!ms_find_dead(m, A, &r), "the heap is not dead memory");
	expect_heap(m, A, A, 4 * P, 4);
	ms_verdict v = fx_check(m, call_munmap(A, P));
	EXPECT_VERDICT(v, W_FWD, "munmap where a dead range was");
	expect_heap(m, A + 4 * P, A + 4 * P, P, 3);
	ms_machine_destroy(m);
}

Test(sbrk, shrink_leaves_dead_pages)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	fx_run(m, sbrk_call(4 * P, 1), A);
	/* Break from A + 4P down to A + 2P - 10: the page holding the new break
	 * stays, the two above it go. */
	fx_run(m, sbrk_call(-(int64_t)(2 * P + 10), 2), A + 4 * P);
	expect_heap(m, A, A, 2 * P, 1);
	ms_range_info d = { 0 };
	cr_expect(ms_find_dead(m, A + 3 * P, &d) && d.base == A + 2 * P && d.size == 2 * P &&
		  d.origin_stack == 1 && d.unmap_stack == 2, "the released pages are dead");
	ms_verdict v = fx_check(m, call_madvise(A + 2 * P, P, MADV_DONTNEED));
	EXPECT_VERDICT(v, W_REP(MS_KIND_OUT_OF_BOUNDS), "madvise above the break");
	v = fx_check(m, call_munmap(A + 2 * P, 2 * P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_DOUBLE_UNMAP), "munmap above the break");
	EXPECT_STACKS(v, 1, 2, "made by the growth, released by the shrink");
	ms_machine_destroy(m);
}

Test(sbrk, shrink_within_a_page_releases_nothing)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	fx_run(m, sbrk_call(2 * P, 1), A + 100);
	fx_run(m, sbrk_call(-50, 2), A + 2 * P + 100);
	expect_heap(m, A, A, 3 * P, 1);
	cr_expect_eq(ms_dead_count(m), 0);
	ms_machine_destroy(m);
}

Test(sbrk, failure_and_zero_change_nothing)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	fx_run(m, sbrk_call(4 * P, 1), fx_err(ENOMEM));
	fx_run(m, sbrk_call(0, 2), A);
	fx_run(m, sbrk_call(-(int64_t)P, 3), fx_err(ENOMEM));
	cr_expect_eq(ms_live_count(m), 0);
	cr_expect_eq(ms_dead_count(m), 0);
	expect_untracked(m, A);
	ms_machine_destroy(m);
}

Test(sbrk, extreme_increments_stay_in_range)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	uint64_t top = UINT64_MAX & ~(P - 1);
	cr_expect(ms_record(m, &(ms_call){ .id = MS_CALL_SBRK, .nargs = 1,
					   .arg = { (uint64_t)INT64_MAX } }, top - 2 * P));
	ms_range_info r;
	cr_expect(ms_find_live(m, top - P, &r) && r.base == top - 2 * P && r.base + r.size > r.base,
		  "a growth past the end of the address space is clamped");
	fx_run(m, sbrk_call(3 * P, 1), A);
	cr_expect(ms_record(m, &(ms_call){ .id = MS_CALL_SBRK, .nargs = 1,
					   .arg = { (uint64_t)INT64_MIN } }, A + 3 * P));
	cr_expect(ms_find_dead(m, A, &r) && r.base == A && r.size == 3 * P,
		  "a shrink below zero releases every heap page under the old break");
	ms_machine_destroy(m);
}

/* Miri has no shim for sbrk; carrying on, its heap is tracked (SPEC §3.4). */
Test(sbrk, miri_reports_then_tracks)
{
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	ms_verdict v = fx_run(m, sbrk_call(2 * P, 5), A);
	EXPECT_VERDICT(v, W_REP(MS_KIND_UNSUPPORTED_CALL), "sbrk under miri");
	expect_heap(m, A, A, 2 * P, 5);
	v = fx_check(m, call_munmap(A, 2 * P));
	EXPECT_VERDICT(v, W_FWD, "the whole heap is one mapping to Miri's munmap");
	ms_machine_destroy(m);
}

Test(forget, carves_live_and_dead)
{
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ASSERT_MAP(m, A, 4 * P, 1);
	ASSERT_UNMAP(m, A, 4 * P, 2);
	ASSERT_MAP(m, A + 8 * P, 4 * P, 3);
	cr_expect(ms_forget(m, A + P, 2 * P));
	cr_expect(ms_forget(m, A + 9 * P, P + 1));
	ms_range_info r;
	expect_untracked(m, A + P);
	expect_untracked(m, A + 2 * P);
	cr_expect(ms_find_dead(m, A, &r) && r.base == A && r.size == P, "dead head kept");
	cr_expect(ms_find_dead(m, A + 3 * P, &r) && r.base == A + 3 * P && r.size == P,
		  "dead tail kept");
	expect_untracked(m, A + 9 * P);
	expect_untracked(m, A + 10 * P);
	cr_expect(ms_find_live(m, A + 8 * P, &r) && r.size == P, "live head kept");
	cr_expect(ms_find_live(m, A + 11 * P, &r) && r.size == P, "live tail kept");
	/* What the runtime's own unmap of that range is judged as now. */
	ms_verdict v = fx_check(m, call_munmap(A + P, 2 * P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_UNMAP_UNTRACKED), "no longer a double unmap");
	cr_expect(ms_forget(m, A + 20 * P, 0), "an empty range is nothing to forget");
	ms_machine_destroy(m);
}
