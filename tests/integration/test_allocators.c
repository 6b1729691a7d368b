/* The example allocators and Debian's allocators under the runtime. */
#include "expect.h"

#include <stdlib.h>

TestSuite(allocators, .timeout = 60);

/* Kinds each allocator produced on every observed run of the workload:
 * jemalloc maps with MAP_NORESERVE, purges with MADV_DONTNEED/MADV_FREE and
 * probes sbrk for its dss; mimalloc maps with MAP_NORESERVE; tcmalloc grows
 * its heap with sbrk. */
#define JEMALLOC_REQUIRED "map-flags", "madvise-advice", "unsupported-call",
#define MIMALLOC_REQUIRED "map-flags",
#define TCMALLOC_REQUIRED "unsupported-call",

#define MIRI (&(it_opts){.options = "policy=miri"})
#define NATIVE (&(it_opts){.options = "policy=native"})

static bool stack_has(const json *rep, const char *key, const char *function)
{
	const json *s = json_get(rep, key);
	for (size_t i = 0; s && i < s->count; i++) {
		const char *f = json_get_str(s->items[i], "function");
		if (f && strcmp(f, function) == 0)
			return true;
	}
	return false;
}

Test(allocators, arena_is_miri_clean)
{
	it_run miri = {0}, native = {0};
	it_run_prog(&miri, MIRI, IT_ARENA_DEMO);
	expect_clean(&miri, "sum 333283335000");
	it_run_prog(&native, NATIVE, IT_ARENA_DEMO);
	expect_clean(&native, "sum 333283335000");
	it_run_free(&miri);
	it_run_free(&native);
}

Test(allocators, arena_leaves_no_mapping)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "detect_leaks=1"}, IT_ARENA_DEMO);
	expect_clean(&r, "sum 333283335000");
	it_run_free(&r);
}

Test(allocators, chunk_trim_is_partial_unmap)
{
	it_run r = {0};
	it_run_prog(&r, MIRI, IT_CHUNK_DEMO);
	expect_one(&r, "partial-unmap", 66);
	const json *rep = r.reports[0];
	cr_assert(stack_has(rep, "stack", "chunk_trim"), "the stack names chunk_trim");
	cr_assert(stack_has(rep, "stack", "chunk_alloc"), "and its caller chunk_alloc");
	cr_assert(stack_has(rep, "stack", "main"), "unwound through DWARF up to main");
	cr_assert(stack_has(rep, "origin_stack", "chunk_map"), "the mapping came from chunk_map");
	it_run_free(&r);
}

Test(allocators, chunk_keep_going)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "halt_on_error=0"}, IT_CHUNK_DEMO);
	cr_assert_geq(r.nreports, 4, "every chunk is trimmed; " RUN_CONTEXT(&r));
	cr_assert_eq(it_count(&r, "partial-unmap"), r.nreports,
		     "trims only: chunk_free of the trimmed rest is whole; " RUN_CONTEXT(&r));
	expect_exit(&r, 0);
	expect_out(&r, "checksum 20");
	it_run_free(&r);
}

Test(allocators, chunk_native_is_clean)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "policy=native:detect_leaks=1"}, IT_CHUNK_DEMO);
	expect_clean(&r, "checksum 20");
	it_run_free(&r);
}

Test(allocators, chunk_miri_build_is_clean)
{
	it_run miri = {0}, native = {0};
	it_run_prog(&miri, &(it_opts){.options = "detect_leaks=1"}, IT_CHUNK_DEMO_MIRI);
	expect_clean(&miri, "checksum 20");
	it_run_prog(&native, NATIVE, IT_CHUNK_DEMO_MIRI);
	expect_clean(&native, "checksum 20");
	it_run_free(&miri);
	it_run_free(&native);
}

static void expect_buggy(const it_opts *o, const char *mode, const char *kind)
{
	it_run r = {0};
	it_run_prog(&r, o, IT_BUGGY_DEMO, mode);
	if (kind) {
		expect_one(&r, kind, 66);
		cr_assert(json_get_len(r.reports[0], "stack") > 0, RUN_CONTEXT(&r));
	} else {
		expect_clean(&r, "returned 0");
	}
	it_run_free(&r);
}

Test(allocators, buggy_overrun) { expect_buggy(MIRI, "overrun", "partial-unmap"); }
Test(allocators, buggy_double) { expect_buggy(MIRI, "double", "double-unmap"); }
Test(allocators, buggy_use) { expect_buggy(MIRI, "use", "use-after-unmap"); }
Test(allocators, buggy_free) { expect_buggy(MIRI, "free", "free-of-mapping"); }
Test(allocators, buggy_clean) { expect_buggy(MIRI, "clean", NULL); }
Test(allocators, buggy_double_native) { expect_buggy(NATIVE, "double", "double-unmap"); }
Test(allocators, buggy_use_native) { expect_buggy(NATIVE, "use", "use-after-unmap"); }
Test(allocators, buggy_free_native) { expect_buggy(NATIVE, "free", "free-of-mapping"); }
Test(allocators, buggy_clean_native) { expect_buggy(NATIVE, "clean", NULL); }

/* ---- Debian's allocators as the process's malloc ---- */

static char *plain_output(const char *malloc_lib)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.preload = malloc_lib}, PROG("malloc_workload"));
	expect_exit(&r, 0);
	expect_out(&r, "checksum ");
	char *out = strdup(r.out);
	it_run_free(&r);
	return out;
}

static const char *preload_with(const char *malloc_lib)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s %s", IT_RUNTIME, malloc_lib);
	return buf;
}

static void expect_native_clean(const char *malloc_lib)
{
	char *want = plain_output(malloc_lib);
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "policy=native", .preload = preload_with(malloc_lib)},
		    PROG("malloc_workload"));
	expect_clean(&r, "checksum ");
	cr_assert_str_eq(r.out, want, "same output as without mapsan");
	it_run_free(&r);
	free(want);
}

Test(allocators, glibc_malloc_native) { expect_native_clean(""); }
Test(allocators, jemalloc_native) { expect_native_clean(IT_JEMALLOC); }
Test(allocators, mimalloc_native) { expect_native_clean(IT_MIMALLOC); }
Test(allocators, tcmalloc_native) { expect_native_clean(IT_TCMALLOC); }

/* The first intercepted call may come from another preloaded allocator's
 * initialisation, before the runtime's constructor has run. */
Test(allocators, allocator_preloaded_first)
{
	char preload[1024];
	snprintf(preload, sizeof preload, "%s %s", IT_JEMALLOC, IT_RUNTIME);
	for (int native = 0; native < 2; native++) {
		it_run r = {0};
		it_run_prog(&r, &(it_opts){.options = native ? "policy=native" : "policy=miri:ignore=map-flags,madvise-advice,unsupported-call",
					   .preload = preload},
			    PROG("malloc_workload"));
		expect_clean(&r, "checksum ");
		it_run_free(&r);
	}
	it_run m = {0};
	it_run_prog(&m, &(it_opts){.options = "policy=miri:halt_on_error=0", .preload = preload},
		    PROG("malloc_workload"));
	cr_assert_gt(it_count(&m, "map-flags"), 0, "jemalloc's calls are still seen; " RUN_FMT, RUN_ARGS(&m));
	expect_exit(&m, 0);
	it_run_free(&m);
}

/* glibc's malloc maps through libc's internal __mmap, which LD_PRELOAD
 * cannot see: nothing to report even under Miri's rules. */
Test(allocators, glibc_malloc_miri)
{
	it_run r = {0};
	it_run_prog(&r, MIRI, PROG("malloc_workload"));
	expect_clean(&r, "checksum ");
	it_run_free(&r);
}

/* Under Miri's rules, each allocator shows the calls it really makes. Only
 * kinds an allocator can produce are allowed; those seen on every run are
 * required. */
static void expect_miri_kinds(const char *malloc_lib, const char *const *required,
			      const char *const *allowed)
{
	char *want = plain_output(malloc_lib);
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "policy=miri:halt_on_error=0",
				   .preload = preload_with(malloc_lib)},
		    PROG("malloc_workload"));
	expect_exit(&r, 0);
	cr_assert_str_eq(r.out, want, "same output as without mapsan; " RUN_CONTEXT(&r));
	for (size_t i = 0; required[i]; i++)
		cr_assert_gt(it_count(&r, required[i]), 0, "want %s; " RUN_FMT, required[i], RUN_ARGS(&r));
	for (size_t i = 0; i < r.nreports; i++) {
		const char *k = json_get_str(r.reports[i], "kind");
		bool ok = false;
		for (size_t j = 0; allowed[j] && !ok; j++)
			ok = strcmp(k, allowed[j]) == 0;
		cr_assert(ok, "unexpected kind %s; " RUN_FMT, k, RUN_ARGS(&r));
	}
	it_run_free(&r);
	free(want);
}

#define ALLOCATOR_KINDS "partial-unmap", "map-flags", "madvise-advice", "unsupported-call", \
	"map-fixed", "protection", "mremap-flags", "out-of-bounds"

Test(allocators, jemalloc_miri)
{
	expect_miri_kinds(IT_JEMALLOC, (const char *const[]){JEMALLOC_REQUIRED NULL},
			  (const char *const[]){ALLOCATOR_KINDS, NULL});
}

Test(allocators, mimalloc_miri)
{
	expect_miri_kinds(IT_MIMALLOC, (const char *const[]){MIMALLOC_REQUIRED NULL},
			  (const char *const[]){ALLOCATOR_KINDS, NULL});
}

Test(allocators, tcmalloc_miri)
{
	expect_miri_kinds(IT_TCMALLOC, (const char *const[]){TCMALLOC_REQUIRED NULL},
			  (const char *const[]){ALLOCATOR_KINDS, NULL});
}
