/* One real program per report kind, under the policy that reports it. */
#include "expect.h"

#define MIRI(...) (&(it_opts){.options = "policy=miri" __VA_ARGS__})
#define NATIVE(...) (&(it_opts){.options = "policy=native" __VA_ARGS__})

TestSuite(kinds, .timeout = 30);

static const json *only_report(const it_run *r)
{
	return r->nreports ? r->reports[0] : NULL;
}

static void expect_severity(const it_run *r, const char *sev)
{
	const char *got = json_get_str(only_report(r), "severity");
	cr_assert(got && strcmp(got, sev) == 0, "want severity %s, got %s", sev, got ? got : "none");
}

Test(kinds, partial_unmap)
{
	it_run r = {0};
	it_run_prog(&r, MIRI(), PROG("partial_unmap"));
	expect_one(&r, "partial-unmap", 66);
	expect_severity(&r, "ub");
	const json *rep = only_report(&r);
	cr_assert_str_eq(json_get_str(rep, "call"), "munmap");
	const char *msg = json_get_str(rep, "message");
	cr_assert(msg && strstr(msg, "8192") && strstr(msg, "4096"),
		  "the message gives both sizes: %s", msg ? msg : "(none)");
	cr_assert_gt(json_get_len(rep, "origin_stack"), 0, "where the mapping was made");
	cr_assert(!strstr(r.out, "done"), "halted before the program went on");
	it_run_free(&r);
}

Test(kinds, unmap_untracked_heap)
{
	it_run r = {0};
	it_run_prog(&r, MIRI(), PROG("unmap_untracked"), "heap");
	expect_one(&r, "unmap-untracked", 66);
	const char *msg = json_get_str(r.reports[0], "message");
	cr_assert(msg && strstr(msg, "heap"), "says the memory is the heap: %s", msg ? msg : "(none)");
	it_run_free(&r);
}

Test(kinds, unmap_untracked_stack)
{
	it_run r = {0};
	it_run_prog(&r, NATIVE(), PROG("unmap_untracked"), "stack");
	expect_one(&r, "unmap-untracked", 66);
	const char *msg = json_get_str(r.reports[0], "message");
	cr_assert(msg && strstr(msg, "stack"), "says the memory is a stack: %s", msg ? msg : "(none)");
	it_run_free(&r);
}

Test(kinds, unmap_untracked_library)
{
	it_run r = {0};
	it_run_prog(&r, MIRI(), PROG("unmap_untracked"), "lib");
	expect_one(&r, "unmap-untracked", 66);
	const char *msg = json_get_str(r.reports[0], "message");
	cr_assert(msg && strstr(msg, "libc"), "names the module: %s", msg ? msg : "(none)");
	it_run_free(&r);
}

Test(kinds, double_unmap)
{
	for (int native = 0; native < 2; native++) {
		it_run r = {0};
		it_run_prog(&r, native ? NATIVE() : MIRI(), PROG("double_unmap"));
		expect_one(&r, "double-unmap", 66);
		const json *rep = only_report(&r);
		cr_assert_gt(json_get_len(rep, "origin_stack"), 0, "where it was mapped");
		cr_assert_gt(json_get_len(rep, "unmap_stack"), 0, "where it was unmapped");
		it_run_free(&r);
	}
}

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

Test(kinds, use_after_unmap)
{
	for (int native = 0; native < 2; native++) {
		it_run r = {0};
		it_run_prog(&r, native ? NATIVE() : MIRI(), PROG("use_after_unmap"));
		expect_one(&r, "use-after-unmap", 66);
		const json *rep = only_report(&r);
		cr_assert_gt(json_get_len(rep, "stack"), 0, "the access stack");
		cr_assert_gt(json_get_len(rep, "origin_stack"), 0, "where it was mapped");
		cr_assert_gt(json_get_len(rep, "unmap_stack"), 0, "where it was unmapped");
		cr_assert(stack_has(rep, "origin_stack", "make_mapping") || stack_has(rep, "origin_stack", "main"),
			  "origin stack reaches the program");
		cr_assert(!strstr(r.out, "read "), "the load never completed");
		it_run_free(&r);
	}
}

Test(kinds, out_of_bounds_miri)
{
	it_run r = {0};
	it_run_prog(&r, MIRI(), PROG("out_of_bounds"), "beyond");
	expect_one(&r, "out-of-bounds", 66);
	cr_assert_str_eq(json_get_str(r.reports[0], "call"), "madvise");
	it_run_free(&r);
}

Test(kinds, out_of_bounds_native)
{
	it_run r = {0};
	it_run_prog(&r, NATIVE(), PROG("out_of_bounds"), "dead");
	expect_one(&r, "out-of-bounds", 66);
	cr_assert_str_eq(json_get_str(r.reports[0], "call"), "mprotect");
	it_run_free(&r);
}

Test(kinds, free_of_mapping)
{
	for (int native = 0; native < 2; native++) {
		it_run r = {0};
		it_run_prog(&r, native ? NATIVE() : MIRI(), PROG("free_of_mapping"));
		expect_one(&r, "free-of-mapping", 66);
		cr_assert_str_eq(json_get_str(r.reports[0], "call"), "free");
		it_run_free(&r);
	}
}

Test(kinds, map_fixed_untracked_heap)
{
	it_run r = {0};
	it_run_prog(&r, NATIVE(), PROG("map_fixed_untracked"), "heap");
	expect_one(&r, "map-fixed-untracked", 66);
	it_run_free(&r);
}

Test(kinds, map_fixed_untracked_library)
{
	it_run r = {0};
	it_run_prog(&r, NATIVE(), PROG("map_fixed_untracked"), "lib");
	expect_one(&r, "map-fixed-untracked", 66);
	it_run_free(&r);
}

/* The unsupported kinds of policy miri: each program is fine natively. */
static void expect_unsupported(const char *prog, const char *arg, const char *kind)
{
	it_run r = {0};
	it_run_argv(&r, MIRI(), (const char *const[]){prog, arg, NULL});
	expect_one(&r, kind, 66);
	expect_severity(&r, "unsupported");
	it_run_free(&r);

	it_run n = {0};
	it_run_argv(&n, NATIVE(), (const char *const[]){prog, arg, NULL});
	expect_clean(&n, "done");
	it_run_free(&n);
}

Test(kinds, file_mapping) { expect_unsupported(PROG("file_mapping"), NULL, "file-mapping"); }
Test(kinds, map_fixed) { expect_unsupported(PROG("map_fixed"), NULL, "map-fixed"); }
Test(kinds, protection) { expect_unsupported(PROG("protection"), NULL, "protection"); }
Test(kinds, map_flags) { expect_unsupported(PROG("map_flags"), NULL, "map-flags"); }
Test(kinds, map_offset) { expect_unsupported(PROG("map_offset"), NULL, "map-offset"); }
Test(kinds, madvise_advice) { expect_unsupported(PROG("madvise_advice"), NULL, "madvise-advice"); }
Test(kinds, mremap_flags) { expect_unsupported(PROG("mremap_flags"), NULL, "mremap-flags"); }
Test(kinds, unsupported_call_mlock) { expect_unsupported(PROG("unsupported_call"), "mlock", "unsupported-call"); }
Test(kinds, unsupported_call_msync) { expect_unsupported(PROG("unsupported_call"), "msync", "unsupported-call"); }
Test(kinds, unsupported_call_sbrk) { expect_unsupported(PROG("unsupported_call"), "sbrk", "unsupported-call"); }

Test(kinds, leak)
{
	for (int native = 0; native < 2; native++) {
		it_run r = {0};
		it_run_prog(&r, native ? NATIVE(":detect_leaks=1") : MIRI(":detect_leaks=1"), PROG("leak"));
		expect_one(&r, "leak", 0);
		expect_severity(&r, "warning");
		expect_out(&r, "done");
		cr_assert(json_get_len(r.reports[0], "origin_stack") > 0 ||
			  json_get_len(r.reports[0], "stack") > 0, "a leak says where the mapping was made");
		it_run_free(&r);
	}
}

/* The warnings about file mappings: policy native, and the program goes on. */
static void expect_warning(const char *prog, const char *options, const char *kind)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = options}, prog);
	expect_one(&r, kind, 0);
	expect_severity(&r, "warning");
	expect_out(&r, "done");
	it_run_free(&r);
}

Test(kinds, map_beyond_eof) { expect_warning(PROG("map_beyond_eof"), "policy=native", "map-beyond-eof"); }
Test(kinds, shared_writable_file) { expect_warning(PROG("shared_writable_file"), "policy=native", "shared-writable-file"); }

Test(kinds, msync_unchecked)
{
	it_run r = {0};
	it_run_prog(&r, NATIVE(":check_msync=1"), PROG("msync_file"), "nosync");
	cr_assert_eq(it_count(&r, "msync-unchecked"), 1, RUN_CONTEXT(&r));
	expect_exit(&r, 0);
	expect_out(&r, "done");
	it_run_free(&r);
}

Test(kinds, file_truncated)
{
	it_run r = {0};
	it_run_prog(&r, NATIVE(), PROG("file_truncated"));
	cr_assert_eq(it_count(&r, "file-truncated"), 1, RUN_CONTEXT(&r));
	cr_assert(!(r.exited && r.code == 0), "the access cannot succeed; " RUN_CONTEXT(&r));
	cr_assert(!strstr(r.out, "done"), RUN_CONTEXT(&r));
	it_run_free(&r);
}
