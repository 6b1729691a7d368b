/* Defects found by reviewing the runtime against SPEC §2-§4: each test
 * failed before its fix. */
#include "expect.h"

TestSuite(review, .timeout = 120);

/* A signal handler that forks while its thread holds the table lock: the
 * fork handler must not wait for the lock this very thread holds. */
Test(review, fork_in_signal_handler)
{
	const char *const policies[] = {"policy=miri", "policy=native"};
	for (size_t i = 0; i < 2; i++) {
		it_run r = {0};
		it_run_prog(&r, &(it_opts){.options = policies[i], .timeout_s = 30},
			    PROG("review_fork_signal"));
		cr_assert(!r.timed_out, "deadlocked; " RUN_CONTEXT(&r));
		expect_clean(&r, "done");
		it_run_free(&r);
	}
}

/* An access fault on memory that is mapped, but by a call the runtime
 * never saw, at an address whose earlier mapping was unmapped and has left
 * quarantine: not a use after unmap, and the program's handler gets it. */
Test(review, fault_on_unseen_mapping_over_dead_range)
{
	const char *const policies[] = {"policy=miri:quarantine_mb=0",
					"policy=native:quarantine_mb=0"};
	for (size_t i = 0; i < 2; i++) {
		it_run r = {0};
		it_run_prog(&r, &(it_opts){.options = policies[i]}, PROG("review_foreign_prot_none"));
		expect_clean(&r, "done");
		if (!strstr(r.out, "address taken"))
			expect_out(&r, "handled\n");
		it_run_free(&r);
	}
}

/* signal() with SIG_ERR installs nothing: a later fault must not jump to
 * address -1. */
Test(review, signal_with_sig_err_is_refused)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "policy=native"}, PROG("signal_sig_err"));
	expect_clean(&r, "refused=1 kept=1\n");
	it_run_free(&r);
}

/* Under native, a thread that remaps pages of its own stack (a JVM
 * committing its guard zones) maps over nothing of anyone else's; the same
 * call over another thread's stack is map-fixed-untracked. */
Test(review, map_fixed_on_own_stack_is_not_foreign)
{
	it_run own = {0};
	it_run_prog(&own, &(it_opts){.options = "policy=native"}, PROG("fixed_on_stack"), "own");
	expect_clean(&own, "own remapped\ndone\n");
	it_run_free(&own);
	it_run other = {0};
	it_run_prog(&other, &(it_opts){.options = "policy=native"}, PROG("fixed_on_stack"), "other");
	expect_one(&other, "map-fixed-untracked", 66);
	it_run_free(&other);
}
