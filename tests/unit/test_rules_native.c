/* Policy native (SPEC §3.2) and the warnings of file mappings (§3.3). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>

#include "support/expect.h"

#define A FX_BASE
#define MM MREMAP_MAYMOVE

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
		cr_expect(v.action != MS_ACT_FAIL, "%s: native never fails a call itself",
			  cases[i].name);
		cr_expect(v.action != MS_ACT_REPORT || v.severity != MS_SEV_UNSUPPORTED,
			  "%s: native reported an unsupported kind: %s", cases[i].name,
			  fx_describe(&v));
	}
}

#define RUN(m, cases) run_cases((m), (cases), sizeof(cases) / sizeof((cases)[0]))

static fx_foreign no_foreign = { 0, 0, 0 };

/* M1 = [A, +2P) made at 11, M2 = [A+2P, +P) made at 12, D = [A+8P, +P)
 * made at 13 and unmapped at 14, F = [A+30P, +2P) foreign. */
static ms_machine *layout(size_t P, fx_foreign *foreign)
{
	ms_config cfg = fx_config(P, MS_POLICY_NATIVE);
	cfg.os = fx_os(foreign);
	ms_machine *m = fx_machine_with(&cfg);
	ASSERT_MAP(m, A, 2 * P, 11);
	ASSERT_MAP(m, A + 2 * P, P, 12);
	ASSERT_MAP(m, A + 8 * P, P, 13);
	ASSERT_UNMAP(m, A + 8 * P, P, 14);
	return m;
}

Test(native_mmap, arguments_are_the_kernels)
{
	const uint64_t P = 4096;
	ms_machine *m = layout(P, &no_foreign);
	const rule_case cases[] = {
		{ "MAP_SHARED_VALIDATE", call_mmap(0, P, FX_RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), W_FWD },
		{ "no type", call_mmap(0, P, FX_RW, MAP_ANONYMOUS, -1, 0), W_FWD },
		{ "len 0", call_anon(0, 0), W_FWD },
		{ "len SIZE_MAX", call_anon(0, SIZE_MAX), W_FWD },
		{ "file, no facts", call_mmap(0, P, FX_RW, MAP_PRIVATE, 3, 0), W_FWD },
		{ "PROT_READ", call_mmap(0, P, PROT_READ, FX_ANON, -1, 0), W_FWD },
		{ "PROT_EXEC", call_mmap(0, P, PROT_READ | PROT_EXEC, FX_ANON, -1, 0), W_FWD },
		{ "MAP_NORESERVE", call_mmap(0, P, FX_RW, FX_ANON | MAP_NORESERVE, -1, 0), W_FWD },
		{ "MAP_STACK", call_mmap(0, P, FX_RW, FX_ANON | MAP_STACK, -1, 0), W_FWD },
		{ "offset", call_mmap(0, P, FX_RW, FX_ANON, -1, P), W_FWD },
		{ "MAP_FIXED over nothing", call_mmap(A + 40 * P, P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_FWD },
		{ "MAP_FIXED over own mapping", call_mmap(A, 3 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_FWD },
		{ "MAP_FIXED inside own mapping", call_mmap(A + P, P, PROT_NONE, FX_ANON | MAP_FIXED, -1, 0), W_FWD },
		{ "MAP_FIXED over dead", call_mmap(A + 8 * P, P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_FWD },
		{ "MAP_FIXED_NOREPLACE", call_mmap(A, P, FX_RW, FX_ANON | MAP_FIXED_NOREPLACE, -1, 0), W_FWD },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

Test(native_mmap, map_fixed_over_foreign_pages)
{
	const uint64_t P = 4096;
	fx_foreign f = { A + 30 * P, A + 32 * P, 0 };
	ms_machine *m = layout(P, &f);
	const rule_case cases[] = {
		{ "over foreign", call_mmap(A + 30 * P, P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_REP(MS_KIND_MAP_FIXED_UNTRACKED) },
		{ "runs into foreign", call_mmap(A + 28 * P, 3 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_REP(MS_KIND_MAP_FIXED_UNTRACKED) },
		{ "starts in foreign", call_mmap(A + 31 * P, 4 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_REP(MS_KIND_MAP_FIXED_UNTRACKED) },
		{ "unrounded len reaches foreign", call_mmap(A + 29 * P, P + 1, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_REP(MS_KIND_MAP_FIXED_UNTRACKED) },
		{ "just before foreign", call_mmap(A + 28 * P, 2 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_FWD },
		{ "just after foreign", call_mmap(A + 32 * P, 2 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_FWD },
		{ "own mapping", call_mmap(A, 2 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), W_FWD },
		{ "not MAP_FIXED: the hint is only a hint", call_mmap(A + 30 * P, P, FX_RW, FX_ANON, -1, 0), W_FWD },
	};
	RUN(m, cases);
	cr_expect_gt(f.asked, 0, "range_foreign was never asked");
	ms_verdict v = fx_check(m, with_stack(call_mmap(A + 30 * P, P, FX_RW, FX_ANON | MAP_FIXED, -1, 0), 3));
	cr_expect_eq(v.severity, MS_SEV_UB);
	ms_machine_destroy(m);
}

Test(native_mmap, map_fixed_over_tracked_and_foreign)
{
	/* Pages the table tracks are the program's own, but a foreign page
	 * anywhere in the range is still someone else's memory. */
	const uint64_t P = 4096;
	fx_foreign f = { A + 3 * P, A + 4 * P, 0 };
	ms_machine *m = layout(P, &f);
	ms_verdict v = fx_check(m, call_mmap(A, 4 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0));
	EXPECT_VERDICT(v, W_REP(MS_KIND_MAP_FIXED_UNTRACKED), "M1+M2+foreign");
	v = fx_check(m, call_mmap(A, 3 * P, FX_RW, FX_ANON | MAP_FIXED, -1, 0));
	EXPECT_VERDICT(v, W_FWD, "M1+M2");
	ms_machine_destroy(m);
}

Test(native_mmap, no_range_foreign_means_no)
{
	ms_machine *m = fx_machine(4096, MS_POLICY_NATIVE);
	ms_verdict v = fx_check(m, call_mmap(A, 4096, FX_RW, FX_ANON | MAP_FIXED, -1, 0));
	EXPECT_VERDICT(v, W_FWD, "range_foreign NULL");
	ms_machine_destroy(m);
}

static void munmap_rules(uint64_t P)
{
	ms_machine *m = layout(P, &no_foreign);
	const rule_case cases[] = {
		{ "whole M1", call_munmap(A, 2 * P), W_FWD },
		{ "partial: first page", call_munmap(A, P), W_FWD },
		{ "partial: second page", call_munmap(A + P, P), W_FWD },
		{ "spans M1 and M2", call_munmap(A, 3 * P), W_FWD },
		{ "tail of M1 into M2", call_munmap(A + P, 2 * P), W_FWD },
		{ "len rounded", call_munmap(A + P, P + 1), W_FWD },
		{ "kernel's EINVAL: unaligned", call_munmap(A + 1, P), W_FWD },
		{ "kernel's EINVAL: unaligned on dead", call_munmap(A + 8 * P + 1, P), W_FWD },
		{ "kernel's EINVAL: len 0", call_munmap(A, 0), W_FWD },
		{ "kernel's EINVAL: SIZE_MAX", call_munmap(A, SIZE_MAX), W_FWD },
		{ "dead", call_munmap(A + 8 * P, P), W_REP(MS_KIND_DOUBLE_UNMAP) },
		{ "ends in dead", call_munmap(A + 7 * P, 2 * P), W_REP(MS_KIND_DOUBLE_UNMAP) },
		{ "untracked", call_munmap(A + 20 * P, P), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "M2 runs into untracked", call_munmap(A + 2 * P, 2 * P), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "untracked then M1", call_munmap(A - P, 2 * P), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "last page untracked by rounding", call_munmap(A, 3 * P + 1), W_REP(MS_KIND_UNMAP_UNTRACKED) },
	};
	RUN(m, cases);
	ms_verdict v = fx_check(m, call_munmap(A + 7 * P, 2 * P));
	EXPECT_STACKS(v, 13, 14, "double-unmap stacks");
	EXPECT_RANGE(v, A + 8 * P, P, "double-unmap names the dead range");
	ms_machine_destroy(m);
}

Test(native_munmap, rules_4k) { munmap_rules(4096); }
Test(native_munmap, rules_16k) { munmap_rules(16384); }

Test(native_mremap, rules)
{
	const uint64_t P = 4096;
	ms_machine *m = layout(P, &no_foreign);
	const rule_case cases[] = {
		{ "shrink without MAYMOVE", call_mremap(A, 2 * P, P, 0), W_FWD },
		{ "grow without MAYMOVE", call_mremap(A, 2 * P, 3 * P, 0), W_FWD },
		{ "grow with MAYMOVE", call_mremap(A, 2 * P, 3 * P, MM), W_FWD },
		{ "part of a mapping", call_mremap(A + P, P, 4 * P, MM), W_FWD },
		{ "old_size unrounded", call_mremap(A, 2 * P - 1, 3 * P, MM), W_FWD },
		{ "MREMAP_FIXED", call_mremap_to(A, 2 * P, 2 * P, MM | MREMAP_FIXED, A + 40 * P), W_FWD },
		{ "MREMAP_DONTUNMAP", call_mremap(A, 2 * P, 2 * P, MM | MREMAP_DONTUNMAP), W_FWD },
		{ "kernel's EINVAL: unaligned", call_mremap(A + 1, P, 2 * P, MM), W_FWD },
		{ "kernel's EINVAL: new size 0", call_mremap(A, 2 * P, 0, MM), W_FWD },
		{ "dead", call_mremap(A + 8 * P, P, 2 * P, MM), W_REP(MS_KIND_DOUBLE_UNMAP) },
		{ "untracked", call_mremap(A + 20 * P, P, 2 * P, MM), W_REP(MS_KIND_UNMAP_UNTRACKED) },
		{ "M2 runs into untracked", call_mremap(A + 2 * P, 2 * P, 3 * P, MM), W_REP(MS_KIND_UNMAP_UNTRACKED) },
	};
	RUN(m, cases);
	/* The kernel refuses new_size 0 with EINVAL before it looks at the
	 * range, as it refuses an unaligned address: no memory is touched. */
	const rule_case einval[] = {
		{ "kernel's EINVAL: new size 0 on dead", call_mremap(A + 8 * P, P, 0, MM), W_FWD },
		{ "kernel's EINVAL: new size 0 on untracked", call_mremap(A + 20 * P, P, 0, MM), W_FWD },
		{ "kernel's EINVAL: unaligned on dead", call_mremap(A + 8 * P + 1, P, P, MM), W_FWD },
	};
	RUN(m, einval);
	ms_verdict v = fx_check(m, call_mremap(A + 8 * P, P, 2 * P, MM));
	EXPECT_STACKS(v, 13, 14, "mremap of a dead range");
	ms_machine_destroy(m);
}

static void protect_rules(uint64_t P)
{
	ms_machine *m = layout(P, &no_foreign);
	const rule_case cases[] = {
		{ "PROT_READ", call_mprotect(A, 2 * P, PROT_READ), W_FWD },
		{ "PROT_NONE part", call_mprotect(A + P, P, PROT_NONE), W_FWD },
		{ "spans M1 and M2", call_mprotect(A, 3 * P, PROT_READ), W_FWD },
		{ "kernel's EINVAL: unaligned", call_mprotect(A + 1, P, PROT_READ), W_FWD },
		{ "len 0 untracked", call_mprotect(A + 20 * P, 0, PROT_READ), W_FWD },
		{ "kernel's ENOMEM: SIZE_MAX", call_mprotect(A, SIZE_MAX, PROT_READ), W_FWD },
		{ "dead", call_mprotect(A + 8 * P, P, PROT_READ), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "ends in dead", call_mprotect(A + 7 * P, 2 * P, PROT_READ), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "untracked", call_mprotect(A + 20 * P, P, PROT_READ), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "M2 runs into untracked", call_mprotect(A + 2 * P, 2 * P, PROT_READ), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "rounded into untracked", call_mprotect(A, 3 * P + 1, FX_RW), W_REP(MS_KIND_OUT_OF_BOUNDS) },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

Test(native_mprotect, rules_4k) { protect_rules(4096); }
Test(native_mprotect, rules_16k) { protect_rules(16384); }

Test(native_madvise, rules)
{
	const uint64_t P = 4096;
	ms_machine *m = layout(P, &no_foreign);
	const rule_case cases[] = {
		{ "MADV_DONTNEED", call_madvise(A, 2 * P, MADV_DONTNEED), W_FWD },
		{ "MADV_FREE spanning", call_madvise(A, 3 * P, MADV_FREE), W_FWD },
		{ "kernel's EINVAL: unaligned", call_madvise(A + 1, P, MADV_NORMAL), W_FWD },
		{ "len 0 on dead", call_madvise(A + 8 * P, 0, MADV_DONTNEED), W_FWD },
		{ "dead", call_madvise(A + 8 * P, P, MADV_DONTNEED), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "untracked", call_madvise(A + 20 * P, P, MADV_NORMAL), W_REP(MS_KIND_OUT_OF_BOUNDS) },
		{ "M2 runs into untracked", call_madvise(A + 2 * P, 2 * P, MADV_DONTNEED), W_REP(MS_KIND_OUT_OF_BOUNDS) },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

/* ---- use after unmap (both policies) ---- */

static void use_after_unmap(ms_policy policy)
{
	const uint64_t P = 4096;
	ms_machine *m = fx_machine(P, policy);
	ASSERT_MAP(m, A, 2 * P, 21);
	ASSERT_UNMAP(m, A, 2 * P, 22);
	ASSERT_MAP(m, A + 4 * P, P, 23);
	ms_verdict v;
	ms_check_access(m, A + P + 100, &v);
	EXPECT_VERDICT(v, W_REP(MS_KIND_USE_AFTER_UNMAP), "access to a dead range");
	EXPECT_STACKS(v, 21, 22, "use-after-unmap stacks");
	EXPECT_RANGE(v, A, 2 * P, "use-after-unmap names the dead range");
	ms_check_access(m, A + 4 * P + 8, &v);
	EXPECT_VERDICT(v, W_FWD, "fault in a live anonymous mapping is not ours");
	ms_check_access(m, A + 20 * P, &v);
	EXPECT_VERDICT(v, W_FWD, "fault in untracked memory is not ours");
	ms_check_access(m, 0, &v);
	EXPECT_VERDICT(v, W_FWD, "NULL dereference is not ours");
	ms_machine_destroy(m);
}

Test(use_after_unmap, miri) { use_after_unmap(MS_POLICY_MIRI); }
Test(use_after_unmap, native) { use_after_unmap(MS_POLICY_NATIVE); }

/* ---- leaks (both policies) ---- */

static void leak(ms_policy policy)
{
	ms_machine *m = fx_machine(4096, policy);
	ASSERT_MAP(m, A, 3 * 4096, 31);
	ms_range_info r;
	cr_assert(ms_find_live(m, A, &r));
	ms_verdict v;
	ms_check_leak(m, &r, &v);
	EXPECT_VERDICT(v, W_REP(MS_KIND_LEAK), "live mapping at exit");
	EXPECT_RANGE(v, A, 3 * 4096, "leak");
	cr_expect_eq(v.origin_stack, 31);
	cr_expect_eq(v.severity, MS_SEV_WARNING);
	ms_machine_destroy(m);
}

Test(leak, miri) { leak(MS_POLICY_MIRI); }
Test(leak, native) { leak(MS_POLICY_NATIVE); }

/* ---- warnings of file mappings (native) ---- */

Test(native_file, map_beyond_eof)
{
	const uint64_t P = 4096;
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	const rule_case cases[] = {
		{ "within", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), file_regular(P)), W_FWD },
		{ "whole file", with_file(call_mmap(0, 2 * P, PROT_READ, MAP_PRIVATE, 3, 0), file_regular(2 * P)), W_FWD },
		{ "offset within", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, P), file_regular(2 * P)), W_FWD },
		{ "two pages of a one-page file", with_file(call_mmap(0, 2 * P, PROT_READ, MAP_PRIVATE, 3, 0), file_regular(P)), W_REP(MS_KIND_MAP_BEYOND_EOF) },
		{ "offset at EOF", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, P), file_regular(P)), W_REP(MS_KIND_MAP_BEYOND_EOF) },
		{ "empty file", with_file(call_mmap(0, P, PROT_READ, MAP_PRIVATE, 3, 0), file_regular(0)), W_REP(MS_KIND_MAP_BEYOND_EOF) },
		{ "shared too", with_file(call_mmap(0, 4 * P, PROT_READ, MAP_SHARED, 3, 0), file_regular(P)), W_REP(MS_KIND_MAP_BEYOND_EOF) },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

Test(native_file, shared_writable_file)
{
	const uint64_t P = 4096;
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ms_file_facts dev = file_regular(4 * P);
	dev.regular = false;
	const rule_case cases[] = {
		{ "shared RW", with_file(call_mmap(0, P, FX_RW, MAP_SHARED, 3, 0), file_regular(4 * P)), W_REP(MS_KIND_SHARED_WRITABLE_FILE) },
		{ "shared W", with_file(call_mmap(0, P, PROT_WRITE, MAP_SHARED, 3, 0), file_regular(4 * P)), W_REP(MS_KIND_SHARED_WRITABLE_FILE) },
		{ "shared read-only", with_file(call_mmap(0, P, PROT_READ, MAP_SHARED, 3, 0), file_regular(4 * P)), W_FWD },
		{ "private RW", with_file(call_mmap(0, P, FX_RW, MAP_PRIVATE, 3, 0), file_regular(4 * P)), W_FWD },
		{ "shared RW device", with_file(call_mmap(0, P, FX_RW, MAP_SHARED, 3, 0), dev), W_FWD },
		{ "shared RW anonymous", call_mmap(0, P, FX_RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0), W_FWD },
		{ "MAP_SHARED_VALIDATE RW", with_file(call_mmap(0, P, FX_RW, MAP_SHARED_VALIDATE, 3, 0), file_regular(4 * P)), W_REP(MS_KIND_SHARED_WRITABLE_FILE) },
		/* The kernel refuses a mapping with neither MAP_SHARED nor
		 * MAP_PRIVATE (EINVAL): no mapping, no hazard. */
		{ "no type: kernel's EINVAL", with_file(call_mmap(0, P, FX_RW, 0, 3, 0), file_regular(4 * P)), W_FWD },
	};
	RUN(m, cases);
	ms_machine_destroy(m);
}

Test(native_file, file_truncated)
{
	const uint64_t P = 4096;
	ms_machine *m = fx_machine(P, MS_POLICY_NATIVE);
	ms_call c = with_stack(with_file(call_mmap(0, 2 * P, PROT_READ, MAP_PRIVATE, 3, 0),
					 file_regular(2 * P)), 51);
	ms_verdict v = fx_run(m, c, A);
	EXPECT_VERDICT(v, W_FWD, "file mmap");
	ms_range_info r;
	cr_assert(ms_find_live(m, A, &r));
	cr_expect(r.file, "file mapping not marked as such");
	ASSERT_MAP(m, A + 4 * P, P, 52);
	ms_check_access(m, A + P + 16, &v);
	EXPECT_VERDICT(v, W_REP(MS_KIND_FILE_TRUNCATED), "SIGBUS in a file mapping");
	EXPECT_RANGE(v, A, 2 * P, "file-truncated");
	cr_expect_eq(v.origin_stack, 51);
	ms_check_access(m, A + 4 * P, &v);
	EXPECT_VERDICT(v, W_FWD, "fault in an anonymous mapping");
	ms_machine_destroy(m);
}

static ms_machine *msync_machine(bool check)
{
	ms_config cfg = fx_config(4096, MS_POLICY_NATIVE);
	cfg.check_msync = check;
	return fx_machine_with(&cfg);
}

static ms_call shared_file_map(int prot)
{
	return with_stack(with_file(call_mmap(0, 2 * 4096, prot, MAP_SHARED, 3, 0),
				    file_regular(8 * 4096)), 61);
}

Test(native_file, msync_unchecked)
{
	ms_machine *m = msync_machine(true);
	fx_run(m, shared_file_map(FX_RW), A);
	cr_assert(ms_find_live(m, A, &(ms_range_info){ 0 }));
	ms_verdict v = fx_check(m, call_munmap(A, 2 * 4096));
	EXPECT_VERDICT(v, W_REP(MS_KIND_MSYNC_UNCHECKED), "munmap without msync");
	EXPECT_RANGE(v, A, 2 * 4096, "msync-unchecked");
	cr_expect_eq(v.origin_stack, 61);

	v = fx_run(m, call_msync(A, 2 * 4096, MS_SYNC), 0);
	EXPECT_VERDICT(v, W_FWD, "msync under native");
	v = fx_check(m, call_munmap(A, 2 * 4096));
	EXPECT_VERDICT(v, W_FWD, "munmap after msync");
	ms_machine_destroy(m);
}

Test(native_file, msync_failed_does_not_count)
{
	ms_machine *m = msync_machine(true);
	fx_run(m, shared_file_map(FX_RW), A);
	fx_run(m, call_msync(A, 2 * 4096, MS_SYNC), fx_err(EIO));
	ms_verdict v = fx_check(m, call_munmap(A, 2 * 4096));
	EXPECT_VERDICT(v, W_REP(MS_KIND_MSYNC_UNCHECKED), "msync failed with EIO");
	ms_machine_destroy(m);
}

Test(native_file, msync_unchecked_only_when_asked)
{
	ms_machine *m = msync_machine(false);
	fx_run(m, shared_file_map(FX_RW), A);
	ms_verdict v = fx_check(m, call_munmap(A, 2 * 4096));
	EXPECT_VERDICT(v, W_FWD, "check_msync=0");
	ms_machine_destroy(m);
}

Test(native_file, msync_unchecked_needs_a_writable_shared_file)
{
	ms_machine *m = msync_machine(true);
	fx_run(m, shared_file_map(PROT_READ), A);
	ms_verdict v = fx_check(m, call_munmap(A, 2 * 4096));
	EXPECT_VERDICT(v, W_FWD, "read-only shared file");
	fx_run(m, with_file(call_mmap(0, 4096, FX_RW, MAP_PRIVATE, 3, 0), file_regular(8 * 4096)),
	       A + 4 * 4096);
	v = fx_check(m, call_munmap(A + 4 * 4096, 4096));
	EXPECT_VERDICT(v, W_FWD, "private file");
	fx_run(m, call_mmap(0, 4096, FX_RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0), A + 8 * 4096);
	v = fx_check(m, call_munmap(A + 8 * 4096, 4096));
	EXPECT_VERDICT(v, W_FWD, "shared anonymous");
	ms_machine_destroy(m);
}
