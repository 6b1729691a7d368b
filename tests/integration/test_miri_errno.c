/* Miri's own mmap scenarios (tests/pass-dep/libc/mmap.rs) as C programs:
 * under policy miri the program sees Miri's errno, with no report. */
#include "expect.h"

TestSuite(miri_errno, .timeout = 30);

static void expect_case(const char *policy, const char *which)
{
	char opts[64];
	snprintf(opts, sizeof opts, "policy=%s", policy);
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = opts}, PROG("errno_miri"), which);
	cr_assert_eq(r.nreports, 0, "an errno outcome is not a report; " RUN_CONTEXT(&r));
	expect_exit(&r, 0);
	expect_out(&r, "ok");
	it_run_free(&r);
}

Test(miri_errno, mmap_munmap_basic) { expect_case("miri", "basic"); }
Test(miri_errno, mmap_len0_einval) { expect_case("miri", "len0"); }
Test(miri_errno, mmap_shared_validate_einval) { expect_case("miri", "shared_validate"); }
Test(miri_errno, mmap_shared_validate_file_einval) { expect_case("miri", "shared_validate_file"); }
Test(miri_errno, munmap_unaligned_einval) { expect_case("miri", "munmap_unaligned"); }
Test(miri_errno, munmap_overflow_einval) { expect_case("miri", "munmap_overflow"); }
Test(miri_errno, madvise_overflow_enomem) { expect_case("miri", "madvise_huge"); }
Test(miri_errno, mremap_null_einval) { expect_case("miri", "mremap_null"); }
Test(miri_errno, mremap_grow) { expect_case("miri", "mremap_grow"); }
Test(miri_errno, mremap_shrink) { expect_case("miri", "mremap_shrink"); }

/* Under native the kernel judges: the same calls give its errno. */
Test(miri_errno, native_mmap_len0_einval) { expect_case("native", "len0"); }
Test(miri_errno, native_anon_shared_validate_einval) { expect_case("native", "shared_validate"); }
Test(miri_errno, native_munmap_unaligned_einval) { expect_case("native", "munmap_unaligned"); }
Test(miri_errno, native_mremap_grow) { expect_case("native", "mremap_grow"); }

/* MAP_SHARED_VALIDATE is legal natively: the kernel maps a file with it. */
Test(miri_errno, native_shared_validate_maps)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "policy=native"}, PROG("errno_miri"), "shared_validate_file");
	cr_assert_eq(r.nreports, 0, RUN_CONTEXT(&r));
	expect_exit(&r, 1);
	expect_out(&r, "mmap file MAP_SHARED_VALIDATE: succeeded");
	it_run_free(&r);
}

Test(miri_errno, native_failures_keep_kernel_errno)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "policy=native"}, PROG("errno_keep"), "fail");
	cr_assert_eq(r.nreports, 0, RUN_CONTEXT(&r));
	expect_exit(&r, 0);
	expect_out(&r, "ok");
	it_run_free(&r);
}

Test(miri_errno, success_leaves_errno)
{
	for (int native = 0; native < 2; native++) {
		it_run r = {0};
		it_run_prog(&r, &(it_opts){.options = native ? "policy=native" : "policy=miri"},
			    PROG("errno_keep"), "keep");
		cr_assert_eq(r.nreports, 0, RUN_CONTEXT(&r));
		expect_exit(&r, 0);
		expect_out(&r, "ok");
		it_run_free(&r);
	}
}
