/* Policy miri (SPEC §3.1): every rule, in order, for every call. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "support/expect.h"

#define P4 4096ULL
#define A FX_BASE
#define REP_FILE W_REP(MS_KIND_FILE_MAPPING)

typedef struct {
	const char *name;
	ms_call call;
	fx_want want;
} rule_case;

static void run_cases(const ms_machine *m, const rule_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ms_verdict v = fx_check(m, cases[i].call);
		EXPECT_VERDICT(v, cases[i].want, cases[i].name);
	}
}

#define RUN(m, cases) run_cases((m), (cases), sizeof(cases) / sizeof((cases)[0]))

/* ---- mmap ---- */

Test(miri_mmap, rules_in_order)
{
	const uint64_t P = P4;
	const uint64_t pmax = PTRDIFF_MAX;
	ms_machine *m = fx_machine(P, MS_POLICY_MIRI);
	const rule_case cases[] = {
		{ "plain", call_anon(0, P), W_FWD },
		{ "hint is passed on", call_anon(A, P), W_FWD },
		{ "len not a page multiple", call_anon(0, 1), W_FWD },
		{ "len large but roundable", call_anon(0, pmax & ~(P - 1)), W_FWD },
		/* 1: exactly one of MAP_PRIVATE / MAP_SHARED */
		{ "1 no type", call_mmap(0, P, FX_RW, MAP_ANONYMOUS, -1, 0), W_ERR(EINVAL) },
		{ "1 shared|private", call_mmap(0, P, FX_RW, MAP_SHARED | MAP_PRIVATE, -1, 0), W_ERR(EINVAL) },
		{ "1 MAP_SHARED_VALIDATE", call_mmap(0, P, FX_RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), W_ERR(EINVAL) },
		{ "1 before 2", call_mmap(0, 0, FX_RW, MAP_SHARED_VALIDATE, -1, 0), W_ERR(EINVAL) },
		{ "1 before 3", call_mmap(0, P, FX_RW, MAP_SHARED_VALIDATE, 3, 0), W_ERR(EINVAL) },
		/* 2: len 0 */
		{ "2 len 0", call_anon(0, 0), W_ERR(EINVAL) },
		{ "2 before 3", call_mmap(0, 0, FX_RW, MAP_PRIVATE, 3, 0), W_ERR(EINVAL) },
		{ "2 before 4", call_mmap(A, 0, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_ERR(EINVAL) },
		{ "2 before 5", call_mmap(0, 0, PROT_READ, FX_ANON, -1, 0), W_ERR(EINVAL) },
		/* 3: file mappings */
		{ "3 fd", call_mmap(0, P, FX_RW, MAP_PRIVATE, 3, 0), REP_FILE },
		{ "3 fd 0", call_mmap(0, P, FX_RW, MAP_PRIVATE, 0, 0), REP_FILE },
		{ "3 fd with MAP_ANONYMOUS", call_mmap(0, P, FX_RW, FX_ANON, 3, 0), REP_FILE },
		{ "3 shared file", call_mmap(0, P, FX_RW, MAP_SHARED, 3, 0), REP_FILE },
		{ "3 before 4", call_mmap(A, P, FX_RW, MAP_PRIVATE | MAP_FIXED, 3, 0), REP_FILE },
		{ "3 before 5", call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), REP_FILE },
		{ "3 before 7", call_mmap(0, P, FX_RW, MAP_PRIVATE, 3, P), REP_FILE },
		{ "3 before 8", call_mmap(0, SIZE_MAX, FX_RW, MAP_PRIVATE, 3, 0), REP_FILE },
		/* 4: MAP_FIXED */
		{ "4 MAP_FIXED", call_mmap(A, P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_REP(MS_KIND_MAP_FIXED) },
		{ "4 before 5", call_mmap(A, P, PROT_READ, FX_ANON | MAP_FIXED, -1, 0), W_REP(MS_KIND_MAP_FIXED) },
		{ "4 before 6", call_mmap(A, P, FX_RW, FX_ANON | MAP_FIXED | MAP_POPULATE, -1, 0), W_REP(MS_KIND_MAP_FIXED) },
		{ "4 before 8", call_mmap(A, SIZE_MAX, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_REP(MS_KIND_MAP_FIXED) },
		/* 5: protection */
		{ "5 PROT_READ", call_mmap(0, P, PROT_READ, FX_ANON, -1, 0), W_REP(MS_KIND_PROTECTION) },
		{ "5 PROT_NONE", call_mmap(0, P, PROT_NONE, FX_ANON, -1, 0), W_REP(MS_KIND_PROTECTION) },
		{ "5 PROT_WRITE", call_mmap(0, P, PROT_WRITE, FX_ANON, -1, 0), W_REP(MS_KIND_PROTECTION) },
		{ "5 RWX", call_mmap(0, P, FX_RW | PROT_EXEC, FX_ANON, -1, 0), W_REP(MS_KIND_PROTECTION) },
		{ "5 before 6", call_mmap(0, P, PROT_READ, FX_ANON | MAP_NORESERVE, -1, 0), W_REP(MS_KIND_PROTECTION) },
		{ "5 before 7", call_mmap(0, P, PROT_READ, FX_ANON, -1, P), W_REP(MS_KIND_PROTECTION) },
		/* 6: flags */
		{ "6 MAP_NORESERVE", call_mmap(0, P, FX_RW, FX_ANON | MAP_NORESERVE, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 MAP_POPULATE", call_mmap(0, P, FX_RW, FX_ANON | MAP_POPULATE, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 MAP_STACK", call_mmap(0, P, FX_RW, FX_ANON | MAP_STACK, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 MAP_FIXED_NOREPLACE", call_mmap(A, P, FX_RW, FX_ANON | MAP_FIXED_NOREPLACE, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 MAP_GROWSDOWN", call_mmap(0, P, FX_RW, FX_ANON | MAP_GROWSDOWN, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 MAP_HUGETLB", call_mmap(0, P, FX_RW, FX_ANON | MAP_HUGETLB, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 shared anonymous", call_mmap(0, P, FX_RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 private without MAP_ANONYMOUS", call_mmap(0, P, FX_RW, MAP_PRIVATE, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 before 7", call_mmap(0, P, FX_RW, FX_ANON | MAP_NORESERVE, -1, P), W_REP(MS_KIND_MAP_FLAGS) },
		{ "6 before 8", call_mmap(0, SIZE_MAX, FX_RW, FX_ANON | MAP_NORESERVE, -1, 0), W_REP(MS_KIND_MAP_FLAGS) },
		/* 7: offset */
		{ "7 off", call_mmap(0, P, FX_RW, FX_ANON, -1, P), W_REP(MS_KIND_MAP_OFFSET) },
		{ "7 off 1", call_mmap(0, P, FX_RW, FX_ANON, -1, 1), W_REP(MS_KIND_MAP_OFFSET) },
		{ "7 before 8", call_mmap(0, SIZE_MAX, FX_RW, FX_ANON, -1, P), W_REP(MS_KIND_MAP_OFFSET) },
		/* 8: round(len) fails */
		{ "8 SIZE_MAX", call_anon(0, SIZE_MAX), W_ERR(EINVAL) },
		{ "8 SIZE_MAX-1 (Miri's test)", call_anon(0, SIZE_MAX - 1), W_ERR(EINVAL) },
		{ "8 wraps to 0", call_anon(0, SIZE_MAX - P + 2), W_ERR(EINVAL) },
		{ "8 PTRDIFF_MAX", call_anon(0, pmax), W_ERR(EINVAL) },
		{ "8 rounds past PTRDIFF_MAX", call_anon(0, (pmax & ~(P - 1)) + 1), W_ERR(EINVAL) },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

Test(miri_mmap, checking_is_pure)
{
	ms_machine *m = fx_machine(P4, MS_POLICY_MIRI);
	ms_verdict v = fx_check(m, call_anon(A, P4));
	cr_assert_eq(v.action, MS_ACT_FORWARD);
	cr_expect_eq(ms_live_count(m), 0, "ms_check changed the table");
	ms_machine_destroy(m);
}

Test(miri_mmap, records_the_mapping_rounded)
{
	ms_machine *m = fx_machine(P4, MS_POLICY_MIRI);
	ms_verdict v = fx_run(m, with_stack(call_anon(0, P4 + 1), 41), A);
	EXPECT_VERDICT(v, W_FWD, "mmap");
	cr_assert_eq(ms_live_count(m), 1);
	EXPECT_LIVE(m, A + P4 + 7, A, 2 * P4, 41);
	ms_range_info r;
	cr_assert(ms_find_live(m, A, &r));
	cr_expect_eq(r.prot, FX_RW);
	cr_expect_not(r.file);
	cr_expect_eq(r.map_flags & (MAP_PRIVATE | MAP_ANONYMOUS), MAP_PRIVATE | MAP_ANONYMOUS);
	EXPECT_NOT_LIVE(m, A + 2 * P4);
	EXPECT_NOT_LIVE(m, A - 1);
	ms_machine_destroy(m);
}

/* allow_sealed_files=1: read-only private mappings of sealed memfds and
 * fs-verity files are accepted when they lie wholly within the file. */
Test(miri_mmap, sealed_files)
{
	const uint64_t P = P4;
	ms_config cfg = fx_config(P, MS_POLICY_MIRI);
	cfg.allow_sealed_files = true;
	ms_machine *m = fx_machine_with(&cfg);
	ms_file_facts unsealed = file_regular(2 * P);
	ms_file_facts invalid = file_sealed(2 * P);
	invalid.valid = false;
	const rule_case cases[] = {
		{ "sealed memfd", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), file_sealed(2 * P)), W_FWD },
		{ "verity file", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), file_verity(2 * P)), W_FWD },
		{ "whole file", with_file(call_mmap(0, 2 * P, PROT_READ, MAP_PRIVATE, 3, 0), file_sealed(2 * P)), W_FWD },
		{ "rule 7 skipped: offset inside", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, P), file_sealed(2 * P)), W_FWD },
		{ "rule 6 skipped: MAP_POPULATE", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE | MAP_POPULATE, 3, 0), file_sealed(2 * P)), W_FWD },
		{ "beyond the file", with_file(call_mmap(0, 2 * P, PROT_READ, MAP_PRIVATE, 3, 0), file_sealed(P)), REP_FILE },
		{ "offset runs past the file", with_file(call_mmap(0, 2 * P, PROT_READ, MAP_PRIVATE, 3, P), file_sealed(2 * P)), REP_FILE },
		{ "writable", with_file(call_mmap(0, P, FX_RW, MAP_PRIVATE, 3, 0), file_sealed(2 * P)), REP_FILE },
		{ "shared", with_file(call_mmap(0, P, PROT_READ, MAP_SHARED, 3, 0), file_sealed(2 * P)), REP_FILE },
		{ "not sealed", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), unsealed), REP_FILE },
		{ "facts not gathered", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), invalid), REP_FILE },
		{ "no facts", call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), REP_FILE },
		{ "still 1", with_file(call_mmap(0, P, PROT_READ, MAP_SHARED_VALIDATE, 3, 0), file_sealed(2 * P)), W_ERR(EINVAL) },
		{ "still 2", with_file(call_mmap(0, 0, PROT_READ, MAP_PRIVATE, 3, 0), file_sealed(2 * P)), W_ERR(EINVAL) },
		{ "anonymous unchanged", call_mmap(0, P, PROT_READ, FX_ANON, -1, 0), W_REP(MS_KIND_PROTECTION) },
	};
	RUN(m, cases);

	ms_call c = with_stack(with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0),
					 file_sealed(2 * P)), 9);
	ms_verdict v = fx_run(m, c, A);
	EXPECT_VERDICT(v, W_FWD, "sealed mmap");
	ms_range_info r;
	cr_assert(ms_find_live(m, A, &r), "accepted sealed mapping is not tracked");
	cr_expect(r.base == A && r.size == P && r.origin_stack == 9);
	cr_expect(r.file, "sealed mapping is not marked as a file mapping");
	cr_expect_eq(r.prot, PROT_READ);
	ms_machine_destroy(m);
}

Test(miri_mmap, sealed_files_need_the_option)
{
	ms_machine *m = fx_machine(P4, MS_POLICY_MIRI);
	ms_verdict v = fx_check(m, with_file(call_mmap(0, P4, PROT_READ, MAP_PRIVATE, 3, 0),
					      file_sealed(2 * P4)));
	EXPECT_VERDICT(v, REP_FILE, "allow_sealed_files=0");
	ms_machine_destroy(m);
}

/* ---- munmap, mprotect, madvise: page size is a parameter ---- */

/* M1 = [A, +2P) made at 11, M2 = [A+2P, +P) made at 12, D = [A+8P, +P)
 * made at 13 and unmapped at 14. A+20P is untracked. */
static ms_machine *layout(size_t P, ms_policy policy)
{
	ms_machine *m = fx_machine(P, policy);
	ASSERT_MAP(m, A, 2 * P, 11);
	ASSERT_MAP(m, A + 2 * P, P, 12);
	ASSERT_MAP(m, A + 8 * P, P, 13);
	ASSERT_UNMAP(m, A + 8 * P, P, 14);
	cr_assert_eq(ms_live_count(m), 2);
	return m;
}

static void munmap_rules(uint64_t P)
{
	const uint64_t pmax = PTRDIFF_MAX;
	ms_machine *m = layout(P, MS_POLICY_MIRI);
	const rule_case cases[] = {
		{ "whole M1", call_munmap(A, 2 * P), W_FWD },
		{ "whole M1, len rounded up", call_munmap(A, 2 * P - 1), W_FWD },
		{ "whole M1, len P+1", call_munmap(A, P + 1), W_FWD },
		{ "whole M2", call_munmap(A + 2 * P, P), W_FWD },
		/* 1 */
		{ "1 unaligned", call_munmap(A + 1, 2 * P), W_ERR(EINVAL) },
		{ "1 unaligned by half a page", call_munmap(A + P / 2, P), W_ERR(EINVAL) },
		{ "1 before 3", call_munmap(A + 8 * P + 8, P), W_ERR(EINVAL) },
		{ "1 before 4", call_munmap(A + 20 * P + 1, P), W_ERR(EINVAL) },
		{ "1 Miri's munmap(1, page)", call_munmap(1, P), W_ERR(EINVAL) },
		/* 2 */
		{ "2 SIZE_MAX", call_munmap(A, SIZE_MAX), W_ERR(EINVAL) },
		{ "2 Miri's munmap(page, SIZE_MAX-1)", call_munmap(P, SIZE_MAX - 1), W_ERR(EINVAL) },
		{ "2 PTRDIFF_MAX", call_munmap(A, pmax), W_ERR(EINVAL) },
		{ "2 before 3", call_munmap(A + 8 * P, SIZE_MAX), W_ERR(EINVAL) },
		{ "2 before 4", call_munmap(A + 20 * P, SIZE_MAX), W_ERR(EINVAL) },
		/* 3 */
		{ "3 dead", call_munmap(A + 8 * P, P), W_REP(MS_KIND_DOUBLE_UNMAP) },
		{ "3 dead, len 0", call_munmap(A + 8 * P, 0), W_REP(MS_KIND_DOUBLE_UNMAP) },
		{ "3 dead, long", call_munmap(A + 8 * P, 4 * P), W_REP(MS_KIND_DOUBLE_UNMAP) },
		/* 4 */
		{ "4 untracked", call_munmap(A + 20 * P, P), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "4 untracked, len 0", call_munmap(A + 20 * P, 0), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "4 untracked, runs into M1", call_munmap(A - P, 3 * P), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "4 NULL", call_munmap(0, P), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		/* 5 */
		{ "5 first page", call_munmap(A, P), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "5 not the base", call_munmap(A + P, P), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "5 len 0", call_munmap(A, 0), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "5 runs into M2", call_munmap(A, 3 * P), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "5 len 2P+1", call_munmap(A, 2 * P + 1), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "5 runs past M2", call_munmap(A + 2 * P, 2 * P), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "5 tail of M1 into M2", call_munmap(A + P, 2 * P), W_REP(MS_KIND_PARTIAL_UNMAP) },
	};
	RUN(m, cases);

	ms_verdict v = fx_check(m, with_stack(call_munmap(A, P), 77));
	EXPECT_RANGE(v, A, 2 * P, "partial-unmap names the mapping");
	cr_expect_eq(v.origin_stack, 11, "partial-unmap origin: %s", fx_describe(&v));
	char big[32], small[32];
	snprintf(big, sizeof big, "%llu", (unsigned long long)(2 * P));
	snprintf(small, sizeof small, "%llu", (unsigned long long)P);
	cr_expect(strstr(v.message, big) && strstr(v.message, small),
		  "message should give both sizes %s and %s: \"%s\"", big, small, v.message);

	v = fx_check(m, call_munmap(A + 8 * P, P));
	EXPECT_RANGE(v, A + 8 * P, P, "double-unmap names the dead range");
	EXPECT_STACKS(v, 13, 14, "double-unmap stacks");
	ms_machine_destroy(m);
}

Test(miri_munmap, rules_4k) { munmap_rules(4096); }
Test(miri_munmap, rules_16k) { munmap_rules(16384); }

Test(miri_munmap, len_rounds_to_16k_page)
{
	ms_machine *m = fx_machine(16384, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 4096, 1);
	EXPECT_LIVE(m, A, A, 16384, 1);
	ms_verdict v = fx_check(m, call_munmap(A, 4096));
	EXPECT_VERDICT(v, W_FWD, "munmap(p, 4096) of a 16K page");
	v = fx_check(m, call_munmap(A + 4096, 4096));
	EXPECT_VERDICT(v, W_ERR(EINVAL), "4K-aligned but not 16K-aligned");
	ms_machine_destroy(m);
}

Test(miri_munmap, records_dead_range)
{
	ms_machine *m = fx_machine(P4, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, 3 * P4, 5);
	ms_verdict v = fx_run(m, with_stack(call_munmap(A, 3 * P4), 6), 0);
	EXPECT_VERDICT(v, W_FWD, "munmap");
	cr_expect_eq(ms_live_count(m), 0);
	cr_expect_eq(ms_dead_count(m), 1);
	ms_range_info d;
	cr_assert(ms_find_dead(m, A + P4, &d), "unmapped range is not dead");
	cr_expect(d.base == A && d.size == 3 * P4 && d.origin_stack == 5 && d.unmap_stack == 6,
		  "dead [%#llx, +%#llx) origin %u unmap %u", (unsigned long long)d.base,
		  (unsigned long long)d.size, d.origin_stack, d.unmap_stack);
	v = fx_check(m, with_stack(call_munmap(A, 3 * P4), 7));
	EXPECT_VERDICT(v, W_REP(MS_KIND_DOUBLE_UNMAP), "second munmap");
	EXPECT_STACKS(v, 5, 6, "second munmap");
	ms_machine_destroy(m);
}

static void protect_rules(uint64_t P)
{
	ms_machine *m = layout(P, MS_POLICY_MIRI);
	const rule_case cases[] = {
		{ "whole M1", call_mprotect(A, 2 * P, FX_RW), W_FWD },
		{ "inside M1", call_mprotect(A + P, P, FX_RW), W_FWD },
		{ "one byte", call_mprotect(A, 1, FX_RW), W_FWD },
		{ "len rounds to M1", call_mprotect(A, 2 * P - 1, FX_RW), W_FWD },
		/* 1 */
		{ "1 unaligned", call_mprotect(A + 1, P, FX_RW), W_ERR(EINVAL) },
		{ "1 before 2", call_mprotect(A + 1, P, PROT_READ), W_ERR(EINVAL) },
		{ "1 before 3", call_mprotect(A + 1, SIZE_MAX, FX_RW), W_ERR(EINVAL) },
		/* 2 */
		{ "2 PROT_READ", call_mprotect(A, P, PROT_READ), W_REP(MS_KIND_PROTECTION) },
		{ "2 PROT_NONE", call_mprotect(A, P, PROT_NONE), W_REP(MS_KIND_PROTECTION) },
		{ "2 RWX", call_mprotect(A, P, FX_RW | PROT_EXEC), W_REP(MS_KIND_PROTECTION) },
		{ "2 before 3", call_mprotect(A, SIZE_MAX, PROT_READ), W_REP(MS_KIND_PROTECTION) },
		{ "2 before 4", call_mprotect(A + 20 * P, 0, PROT_NONE), W_REP(MS_KIND_PROTECTION) },
		{ "2 before 5", call_mprotect(A + 20 * P, P, PROT_READ), W_REP(MS_KIND_PROTECTION) },
		/* 3 */
		{ "3 SIZE_MAX", call_mprotect(A, SIZE_MAX, FX_RW), W_ERR(ENOMEM) },
		{ "3 SIZE_MAX-1", call_mprotect(A, SIZE_MAX - 1, FX_RW), W_ERR(ENOMEM) },
		{ "3 PTRDIFF_MAX", call_mprotect(A, PTRDIFF_MAX, FX_RW), W_ERR(ENOMEM) },
		{ "3 before 5", call_mprotect(A + 20 * P, SIZE_MAX, FX_RW), W_ERR(ENOMEM) },
		/* 4 */
		{ "4 len 0 untracked", call_mprotect(A + 20 * P, 0, FX_RW), W_FWD },
		{ "4 len 0 dead", call_mprotect(A + 8 * P, 0, FX_RW), W_FWD },
		{ "4 len 0 inside", call_mprotect(A + P, 0, FX_RW), W_FWD },
		/* 5 */
		{ "5 spans M1 and M2", call_mprotect(A, 3 * P, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 tail of M1 into M2", call_mprotect(A + P, 2 * P, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 M1 len 2P+1", call_mprotect(A, 2 * P + 1, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 M2 into untracked", call_mprotect(A + 2 * P, 2 * P, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 untracked", call_mprotect(A + 20 * P, P, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 untracked into M1", call_mprotect(A - P, 2 * P, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 dead", call_mprotect(A + 8 * P, P, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

Test(miri_mprotect, rules_4k) { protect_rules(4096); }
Test(miri_mprotect, rules_16k) { protect_rules(16384); }

static void advise_rules(uint64_t P)
{
	ms_machine *m = layout(P, MS_POLICY_MIRI);
	const rule_case cases[] = {
		{ "MADV_NORMAL", call_madvise(A, 2 * P, MADV_NORMAL), W_FWD },
		{ "MADV_RANDOM", call_madvise(A, P, MADV_RANDOM), W_FWD },
		{ "MADV_SEQUENTIAL", call_madvise(A + P, P, MADV_SEQUENTIAL), W_FWD },
		{ "MADV_WILLNEED", call_madvise(A, 1, MADV_WILLNEED), W_FWD },
		/* 1 */
		{ "1 unaligned", call_madvise(A + 1, P, MADV_NORMAL), W_ERR(EINVAL) },
		{ "1 before 2", call_madvise(A + 1, P, MADV_DONTNEED), W_ERR(EINVAL) },
		/* 2 */
		{ "2 MADV_DONTNEED", call_madvise(A, P, MADV_DONTNEED), W_REP(MS_KIND_MADVISE_ADVICE) },
		{ "2 MADV_FREE", call_madvise(A, P, MADV_FREE), W_REP(MS_KIND_MADVISE_ADVICE) },
		{ "2 MADV_HUGEPAGE", call_madvise(A, P, MADV_HUGEPAGE), W_REP(MS_KIND_MADVISE_ADVICE) },
		{ "2 MADV_REMOVE", call_madvise(A, P, MADV_REMOVE), W_REP(MS_KIND_MADVISE_ADVICE) },
		{ "2 MADV_DONTFORK", call_madvise(A, P, MADV_DONTFORK), W_REP(MS_KIND_MADVISE_ADVICE) },
		{ "2 before 3", call_madvise(A, SIZE_MAX, MADV_DONTNEED), W_REP(MS_KIND_MADVISE_ADVICE) },
		{ "2 before 5", call_madvise(A + 20 * P, P, MADV_DONTNEED), W_REP(MS_KIND_MADVISE_ADVICE) },
		/* 3 */
		{ "3 SIZE_MAX-1", call_madvise(A, SIZE_MAX - 1, MADV_NORMAL), W_ERR(ENOMEM) },
		{ "3 before 5", call_madvise(A + 20 * P, SIZE_MAX, MADV_NORMAL), W_ERR(ENOMEM) },
		/* 4 */
		{ "4 len 0 untracked", call_madvise(A + 20 * P, 0, MADV_NORMAL), W_FWD },
		{ "4 len 0 dead", call_madvise(A + 8 * P, 0, MADV_WILLNEED), W_FWD },
		/* 5 */
		{ "5 spans M1 and M2", call_madvise(A, 3 * P, MADV_NORMAL), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 M2 into untracked", call_madvise(A + 2 * P, 2 * P, MADV_NORMAL), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 untracked", call_madvise(A + 20 * P, P, MADV_NORMAL), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "5 dead", call_madvise(A + 8 * P, P, MADV_NORMAL), W_REP(MS_KIND_OUT_OF_BOUNDS) },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

Test(miri_madvise, rules_4k) { advise_rules(4096); }
Test(miri_madvise, rules_16k) { advise_rules(16384); }

/* ---- mremap ---- */

Test(miri_mremap, rules_in_order)
{
	const uint64_t P = P4;
	ms_machine *m = layout(P, MS_POLICY_MIRI);
	const int MM = MREMAP_MAYMOVE;
	const rule_case cases[] = {
		{ "grow", call_mremap(A, 2 * P, 3 * P, MM), W_FWD },
		{ "shrink", call_mremap(A, 2 * P, P, MM), W_FWD },
		{ "same size", call_mremap(A + 2 * P, P, P, MM), W_FWD },
		{ "new size unaligned", call_mremap(A, 2 * P, P + 1, MM), W_FWD },
		/* 1 */
		{ "1 unaligned", call_mremap(A + 1, 2 * P, 3 * P, MM), W_ERR(EINVAL) },
		{ "1 Miri's mremap(1, page, page)", call_mremap(1, P, P, MM), W_ERR(EINVAL) },
		{ "1 new size 0", call_mremap(A, 2 * P, 0, MM), W_ERR(EINVAL) },
		{ "1 Miri's mremap(NULL, page, 0)", call_mremap(0, P, 0, MM), W_ERR(EINVAL) },
		{ "1 before 2", call_mremap(A + 1, 2 * P, P, MM | MREMAP_FIXED), W_ERR(EINVAL) },
		{ "1 before 3", call_mremap(A + 1, 2 * P, P, 0), W_ERR(EINVAL) },
		{ "1 before 4", call_mremap(A + 8 * P, P, 0, MM), W_ERR(EINVAL) },
		/* 2 */
		{ "2 MREMAP_FIXED", call_mremap_to(A, 2 * P, 2 * P, MM | MREMAP_FIXED, A + 40 * P), W_REP(MS_KIND_MREMAP_FLAGS) },
		{ "2 MREMAP_DONTUNMAP", call_mremap(A, 2 * P, 2 * P, MM | MREMAP_DONTUNMAP), W_REP(MS_KIND_MREMAP_FLAGS) },
		{ "2 before 3", call_mremap_to(A, 2 * P, 2 * P, MREMAP_FIXED, A + 40 * P), W_REP(MS_KIND_MREMAP_FLAGS) },
		{ "2 before 4", call_mremap_to(A + 20 * P, P, P, MM | MREMAP_FIXED, A + 40 * P), W_REP(MS_KIND_MREMAP_FLAGS) },
		/* 3 */
		{ "3 no MAYMOVE grow", call_mremap(A, 2 * P, 3 * P, 0), W_ERR(EINVAL) },
		{ "3 no MAYMOVE shrink", call_mremap(A, 2 * P, P, 0), W_ERR(EINVAL) },
		{ "3 Miri's mremap(NULL, page, page, 0)", call_mremap(0, P, P, 0), W_ERR(EINVAL) },
		{ "3 before 4", call_mremap(A + 8 * P, P, P, 0), W_ERR(EINVAL) },
		/* 4 */
		{ "4 dead", call_mremap(A + 8 * P, P, 2 * P, MM), W_REP(MS_KIND_DOUBLE_UNMAP) },
		{ "4 untracked", call_mremap(A + 20 * P, P, 2 * P, MM), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "4 not the base", call_mremap(A + P, P, 2 * P, MM), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "4 old_size short", call_mremap(A, P, 2 * P, MM), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "4 old_size not rounded", call_mremap(A, 2 * P - 1, 3 * P, MM), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "4 old_size 0", call_mremap(A, 0, P, MM), W_REP(MS_KIND_PARTIAL_UNMAP) },
		{ "4 old_size into M2", call_mremap(A, 3 * P, 4 * P, MM), W_REP(MS_KIND_PARTIAL_UNMAP) },
	};
	RUN(m, cases);

	ms_verdict v = fx_check(m, call_mremap(A + 8 * P, P, 2 * P, MM));
	EXPECT_STACKS(v, 13, 14, "mremap of a dead range");
	EXPECT_RANGE(v, A + 8 * P, P, "mremap of a dead range");
	v = fx_check(m, call_mremap(A, P, 2 * P, MM));
	EXPECT_RANGE(v, A, 2 * P, "partial mremap");
	cr_expect_eq(v.origin_stack, 11);
	ms_machine_destroy(m);
}

Test(miri_mremap, old_size_is_not_rounded)
{
	ms_machine *m = fx_machine(P4, MS_POLICY_MIRI);
	ASSERT_MAP(m, A, P4, 1);
	ms_verdict v = fx_check(m, call_mremap(A, 4095, 2 * P4, MREMAP_MAYMOVE));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "old_size 4095 on a 4096 mapping");
	v = fx_check(m, call_mremap(A, 4096, 2 * P4, MREMAP_MAYMOVE));
	EXPECT_VERDICT(v, W_FWD, "old_size 4096");
	ms_machine_destroy(m);
}

/* ---- free / realloc of a mapping ---- */

static void free_rules(ms_policy policy)
{
	const uint64_t P = P4;
	ms_machine *m = layout(P, policy);
	const rule_case cases[] = {
		{ "free(base)", call_free(A), W_REP(MS_KIND_FREE_OF_MAPPING) },
		{ "free(inner page)", call_free(A + P), W_REP(MS_KIND_FREE_OF_MAPPING) },
		{ "free(M2)", call_free(A + 2 * P), W_REP(MS_KIND_FREE_OF_MAPPING) },
		{ "realloc(base)", call_realloc(A, 64), W_REP(MS_KIND_FREE_OF_MAPPING) },
		{ "realloc(inner page, 0)", call_realloc(A + P, 0), W_REP(MS_KIND_FREE_OF_MAPPING) },
		{ "free(not page-aligned)", call_free(A + 16), W_FWD },
		{ "realloc(not page-aligned)", call_realloc(A + P + 8, 64), W_FWD },
		{ "free(untracked)", call_free(A + 20 * P), W_FWD },
		{ "free(NULL)", call_free(0), W_FWD },
		{ "realloc(NULL)", call_realloc(0, 64), W_FWD },
		{ "free(dead)", call_free(A + 8 * P), W_FWD },
	};
	RUN(m, cases);
	ms_verdict v = fx_check(m, call_free(A + P));
	EXPECT_RANGE(v, A, 2 * P, "free-of-mapping names the mapping");
	cr_expect_eq(v.origin_stack, 11, "free-of-mapping origin: %s", fx_describe(&v));
	ms_machine_destroy(m);
}

Test(free_of_mapping, miri) { free_rules(MS_POLICY_MIRI); }
Test(free_of_mapping, native) { free_rules(MS_POLICY_NATIVE); }

/* ---- calls Miri has no shim for ---- */

static const ms_call_id others[] = {
	MS_CALL_MSYNC, MS_CALL_MLOCK, MS_CALL_MUNLOCK, MS_CALL_MLOCKALL,
	MS_CALL_MINCORE, MS_CALL_PKEY_MPROTECT, MS_CALL_REMAP_FILE_PAGES,
	MS_CALL_POSIX_MADVISE, MS_CALL_BRK, MS_CALL_SBRK,
};

Test(miri_other_calls, unsupported)
{
	ms_machine *m = layout(P4, MS_POLICY_MIRI);
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		ms_verdict v = fx_check(m, call_args(others[i], 3, A, P4, 0));
		EXPECT_VERDICT(v, W_REP(MS_KIND_UNSUPPORTED_CALL), ms_call_name(others[i]));
		v = fx_check(m, call_args(others[i], 3, A + 20 * P4, P4, 0));
		EXPECT_VERDICT(v, W_REP(MS_KIND_UNSUPPORTED_CALL), ms_call_name(others[i]));
	}
	ms_machine_destroy(m);
}

Test(native_other_calls, forwarded)
{
	ms_machine *m = layout(P4, MS_POLICY_NATIVE);
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		ms_verdict v = fx_check(m, call_args(others[i], 3, A, P4, 0));
		EXPECT_VERDICT(v, W_FWD, ms_call_name(others[i]));
	}
	ms_machine_destroy(m);
}

/* file-truncated is a warning of policy native only (SPEC §3.3 table). */
Test(miri_access, no_file_truncated)
{
	ms_machine *m = fx_machine(P4, MS_POLICY_MIRI);
	ms_call c = with_file(call_mmap(0, 2 * P4, PROT_READ, MAP_PRIVATE, 3, 0), file_regular(2 * P4));
	fx_run(m, c, A);
	cr_assert(ms_find_live(m, A, &(ms_range_info){ 0 }), "file mapping made on carrying on is not tracked");
	ms_verdict v;
	ms_check_access(m, A + 16, &v);
	EXPECT_VERDICT(v, W_FWD, "SIGBUS in a file mapping under miri");
	ms_machine_destroy(m);
}
