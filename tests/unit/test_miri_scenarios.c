/* Miri's own mmap tests, replayed against the machine under policy miri:
 * tests/pass-dep/libc/mmap.rs and the fail-dep mmap_* / munmap_* cases.
 * The test plays the program and the kernel; the kernel hands out
 * addresses from K upwards. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include "support/expect.h"

#define K FX_BASE
#define MM MREMAP_MAYMOVE

typedef struct {
	ms_machine *m;
	uint64_t page;
	uint64_t next; /* the fake kernel's next free address */
	uint32_t stack;
} scenario;

static scenario start(uint64_t page)
{
	scenario s = { fx_machine(page, MS_POLICY_MIRI), page, K, 100 };
	return s;
}

static uint64_t rounded(const scenario *s, uint64_t len)
{
	return (len + s->page - 1) & ~(s->page - 1);
}

/* The program calls mmap; the kernel places it at the next free address. */
static uint64_t do_mmap(scenario *s, uint64_t len, ms_verdict *v)
{
	ms_call c = with_stack(call_anon(0, len), ++s->stack);
	*v = fx_check(s->m, c);
	if (v->action == MS_ACT_FAIL)
		return UINT64_MAX;
	uint64_t at = s->next;
	s->next += rounded(s, len) + s->page;
	cr_assert(ms_record(s->m, &c, at));
	return at;
}

static uint64_t map_ok(scenario *s, uint64_t len)
{
	ms_verdict v;
	uint64_t at = do_mmap(s, len, &v);
	ASSERT_VERDICT(v, W_FWD, "mmap");
	return at;
}

static ms_verdict do_call(scenario *s, ms_call c, uint64_t result)
{
	return fx_run(s->m, with_stack(c, ++s->stack), result);
}

Test(miri_pass, mmap_munmap)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, s.page);
	cr_expect_eq(ms_live_count(s.m), 1);
	ms_verdict v;
	ms_check_access(s.m, ptr + 17, &v);
	EXPECT_VERDICT(v, W_FWD, "writes to the fresh mapping are fine");
	v = do_call(&s, call_munmap(ptr, s.page), 0);
	EXPECT_VERDICT(v, W_FWD, "munmap(ptr, page)");
	cr_expect_eq(ms_live_count(s.m), 0);
	ms_machine_destroy(s.m);
}

Test(miri_pass, mmap_error_conditions)
{
	scenario s = start(4096);
	const uint64_t P = s.page;
	ms_verdict v;
	v = do_call(&s, call_mmap(0, P, FX_RW, MAP_PRIVATE | MAP_SHARED, -1, 0), 0);
	EXPECT_VERDICT(v, W_ERR(EINVAL), "can't be both private and shared");
	do_mmap(&s, 0, &v);
	EXPECT_VERDICT(v, W_ERR(EINVAL), "can't map no memory");
	do_mmap(&s, SIZE_MAX - 1, &v);
	EXPECT_VERDICT(v, W_ERR(EINVAL), "length cannot be rounded up");
	v = do_call(&s, call_munmap(1, P), 0);
	EXPECT_VERDICT(v, W_ERR(EINVAL), "munmap of an unaligned address");
	v = do_call(&s, call_munmap(P, SIZE_MAX - 1), 0);
	EXPECT_VERDICT(v, W_ERR(EINVAL), "munmap length cannot be rounded up");
	cr_expect_eq(ms_live_count(s.m), 0);
	cr_expect_eq(ms_dead_count(s.m), 0);
	ms_machine_destroy(s.m);
}

Test(miri_pass, mremap_grow_and_shrink)
{
	scenario s = start(4096);
	const uint64_t P = s.page;
	uint64_t ptr = map_ok(&s, P);
	/* grow: the kernel moves it */
	uint64_t moved = s.next;
	s.next += 4 * P;
	ms_verdict v = do_call(&s, call_mremap(ptr, P, 2 * P, MM), moved);
	EXPECT_VERDICT(v, W_FWD, "mremap(ptr, page, 2*page, MAYMOVE)");
	EXPECT_LIVE(s.m, moved + P, moved, 2 * P, s.stack);
	/* shrink in place */
	v = do_call(&s, call_mremap(moved, 2 * P, P, MM), moved);
	EXPECT_VERDICT(v, W_FWD, "shrink");
	v = do_call(&s, call_munmap(moved, P), 0);
	EXPECT_VERDICT(v, W_FWD, "munmap(ptr, page)");
	cr_expect_eq(ms_live_count(s.m), 0);
	ms_machine_destroy(s.m);
}

Test(miri_pass, mremap_grow_then_munmap_whole)
{
	scenario s = start(4096);
	const uint64_t P = s.page;
	uint64_t ptr = map_ok(&s, P);
	ms_verdict v = do_call(&s, call_mremap(ptr, P, 2 * P, MM), ptr);
	EXPECT_VERDICT(v, W_FWD, "grow in place");
	v = do_call(&s, call_munmap(ptr, 2 * P), 0);
	EXPECT_VERDICT(v, W_FWD, "munmap(ptr, 2*page)");
	ms_machine_destroy(s.m);
}

Test(miri_pass, mremap_error_conditions)
{
	scenario s = start(4096);
	const uint64_t P = s.page;
	ms_verdict v = fx_check(s.m, call_mremap(1, P, P, MM));
	EXPECT_VERDICT(v, W_ERR(EINVAL), "not aligned");
	v = fx_check(s.m, call_mremap(0, P, 0, MM));
	EXPECT_VERDICT(v, W_ERR(EINVAL), "zero size");
	v = fx_check(s.m, call_mremap(0, P, P, 0));
	EXPECT_VERDICT(v, W_ERR(EINVAL), "not setting MREMAP_MAYMOVE");
	ms_machine_destroy(s.m);
}

Test(miri_pass, mprotect_and_madvise)
{
	scenario s = start(4096);
	const uint64_t P = s.page;
	uint64_t ptr = map_ok(&s, 4 * P);
	static const int advice[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED };
	ms_verdict v = do_call(&s, call_mprotect(ptr, 4 * P, FX_RW), 0);
	EXPECT_VERDICT(v, W_FWD, "mprotect RW over the mapping");
	v = do_call(&s, call_mprotect(ptr + P, 2 * P, FX_RW), 0);
	EXPECT_VERDICT(v, W_FWD, "mprotect RW inside");
	for (size_t i = 0; i < 4; i++) {
		v = do_call(&s, call_madvise(ptr + P, P, advice[i]), 0);
		EXPECT_VERDICT(v, W_FWD, "madvise with a supported advice");
	}
	v = do_call(&s, call_madvise(ptr, 0, MADV_NORMAL), 0);
	EXPECT_VERDICT(v, W_FWD, "madvise of zero length");
	v = do_call(&s, call_munmap(ptr, 4 * P), 0);
	EXPECT_VERDICT(v, W_FWD, "munmap");
	ms_machine_destroy(s.m);
}

Test(miri_pass, page_size_16k)
{
	scenario s = start(16384);
	uint64_t ptr = map_ok(&s, 4096);
	ms_verdict v = do_call(&s, call_munmap(ptr, 4096), 0);
	EXPECT_VERDICT(v, W_FWD, "munmap(ptr, 4096) on 16 KiB pages");
	ms_machine_destroy(s.m);
}

/* ---- fail-dep ---- */

Test(miri_fail, munmap_partial)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, 2 * s.page);
	ms_verdict v = fx_check(s.m, call_munmap(ptr, 1));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "incorrect layout on deallocation");
	cr_expect(strstr(v.message, "8192") && strstr(v.message, "4096"),
		  "message should give both sizes: \"%s\"", v.message);
	EXPECT_RANGE(v, ptr, 2 * s.page, "partial-unmap");
	ms_machine_destroy(s.m);
}

Test(miri_fail, munmap_zero_length)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, s.page);
	ms_verdict v = fx_check(s.m, call_munmap(ptr, 0));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "munmap(ptr, 0)");
	ms_machine_destroy(s.m);
}

Test(miri_fail, munmap_interior)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, 3 * s.page);
	ms_verdict v = fx_check(s.m, call_munmap(ptr + s.page, s.page));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "munmap of an interior page");
	EXPECT_RANGE(v, ptr, 3 * s.page, "interior munmap");
	ms_machine_destroy(s.m);
}

Test(miri_fail, munmap_spanning_two_mappings)
{
	scenario s = start(4096);
	const uint64_t P = s.page;
	/* The kernel places the second mapping right after the first. */
	uint64_t a = map_ok(&s, P);
	s.next = a + P;
	uint64_t b = map_ok(&s, P);
	cr_assert_eq(b, a + P);
	ms_verdict v = fx_check(s.m, call_munmap(a, 2 * P));
	EXPECT_VERDICT(v, W_REP(MS_KIND_PARTIAL_UNMAP), "one munmap for two mappings");
	EXPECT_RANGE(v, a, P, "spanning munmap names the first mapping");
	ms_machine_destroy(s.m);
}

Test(miri_fail, double_munmap)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, s.page);
	uint32_t made = s.stack;
	ms_verdict v = do_call(&s, call_munmap(ptr, s.page), 0);
	EXPECT_VERDICT(v, W_FWD, "first munmap");
	uint32_t freed = s.stack;
	v = fx_check(s.m, call_munmap(ptr, s.page));
	EXPECT_VERDICT(v, W_REP(MS_KIND_DOUBLE_UNMAP), "second munmap");
	EXPECT_STACKS(v, made, freed, "double munmap reports both sites");
	ms_machine_destroy(s.m);
}

Test(miri_fail, munmap_never_mapped)
{
	/* fail-dep/libc/munmap.rs: munmap(1 << 30, 4096) */
	scenario s = start(4096);
	ms_verdict v = fx_check(s.m, call_munmap(1ULL << 30, 4096));
	EXPECT_VERDICT(v, W_REP(MS_KIND_UNMAP_UNTRACKED), "munmap of memory never mapped");
	ms_machine_destroy(s.m);
}

Test(miri_fail, mmap_use_after_munmap)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, 4096);
	uint32_t made = s.stack;
	do_call(&s, call_munmap(ptr, 4096), 0);
	ms_verdict v;
	ms_check_access(s.m, ptr, &v);
	EXPECT_VERDICT(v, W_REP(MS_KIND_USE_AFTER_UNMAP), "*(ptr as *mut u8)");
	EXPECT_STACKS(v, made, s.stack, "use-after-unmap");
	ms_machine_destroy(s.m);
}

Test(miri_fail, mmap_invalid_dealloc)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, 4096);
	ms_verdict v = fx_check(s.m, call_free(ptr));
	EXPECT_VERDICT(v, W_REP(MS_KIND_FREE_OF_MAPPING), "libc::free(ptr)");
	ms_machine_destroy(s.m);
}

Test(miri_fail, mprotect_out_of_bounds)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, 4096);
	ms_verdict v = fx_check(s.m, call_mprotect(ptr, 2 * 4096, FX_RW));
	EXPECT_VERDICT(v, W_REP(MS_KIND_OUT_OF_BOUNDS), "mprotect past the end");
	ms_machine_destroy(s.m);
}

Test(miri_fail, madvise_out_of_bounds)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, 4096);
	ms_verdict v = fx_check(s.m, call_madvise(ptr, 2 * 4096, MADV_NORMAL));
	EXPECT_VERDICT(v, W_REP(MS_KIND_OUT_OF_BOUNDS), "madvise past the end");
	v = fx_check(s.m, call_madvise(ptr + 4096, 4096, MADV_NORMAL));
	EXPECT_VERDICT(v, W_REP(MS_KIND_OUT_OF_BOUNDS), "madvise after the end");
	ms_machine_destroy(s.m);
}

Test(miri_fail, mremap_of_freed)
{
	scenario s = start(4096);
	uint64_t ptr = map_ok(&s, 4096);
	do_call(&s, call_munmap(ptr, 4096), 0);
	ms_verdict v = fx_check(s.m, call_mremap(ptr, 4096, 8192, MM));
	EXPECT_VERDICT(v, W_REP(MS_KIND_DOUBLE_UNMAP), "mremap after munmap");
	ms_machine_destroy(s.m);
}

Test(miri_fail, unsupported_map_fixed)
{
	scenario s = start(4096);
	ms_verdict v = fx_check(s.m, call_mmap(K, 4096, FX_RW, FX_ANON | MAP_FIXED, -1, 0));
	EXPECT_VERDICT(v, W_REP(MS_KIND_MAP_FIXED), "MAP_FIXED");
	cr_expect_eq(v.severity, MS_SEV_UNSUPPORTED);
	ms_machine_destroy(s.m);
}
