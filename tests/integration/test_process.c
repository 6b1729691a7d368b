/* Processes and threads: fork, exec, threads, signal handlers. */
#include "expect.h"

#include <signal.h>
#include <stdlib.h>

TestSuite(process, .timeout = 60);

/* The run's one report, a double-unmap, came from the child the program
 * printed as "child PID ... exit 66"; returns that pid. */
static int expect_child_reported(it_run *r)
{
	expect_exit(r, 0);
	expect_out(r, "done");
	const char *line = strstr(r->out, "child ");
	cr_assert(line, RUN_CONTEXT(r));
	int child = atoi(line + 6);
	cr_assert(strstr(line, "exit 66"), "the child halted; " RUN_CONTEXT(r));
	expect_one(r, "double-unmap", 0);
	const json *pid = json_get(r->reports[0], "pid");
	cr_assert(pid && (int)pid->number == child, "the report carries the child's pid %d", child);
	return child;
}

Test(process, child_after_fork_is_checked)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("fork_child_err"));
	int child = expect_child_reported(&r);
	cr_assert_eq(r.report_file_pid[0], child, "in the child's own log file");
	it_run_free(&r);
}

Test(process, eight_threads_churn_clean)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.timeout_s = 40}, PROG("threads_churn"));
	cr_assert(!r.timed_out, "no deadlock");
	expect_clean(&r, "done");
	it_run_free(&r);
}

Test(process, fork_while_other_thread_in_munmap)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.timeout_s = 30}, PROG("fork_during_munmap"));
	cr_assert(!r.timed_out, "a child deadlocked on the runtime's lock; " RUN_CONTEXT(&r));
	expect_clean(&r, "0 children failed");
	it_run_free(&r);
}

Test(process, own_segv_handler_after_startup)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("own_segv"));
	expect_out(&r, "handled\n");
	cr_assert(!strstr(r.out, "not handled"), RUN_CONTEXT(&r));
	expect_one(&r, "use-after-unmap", 66);
	it_run_free(&r);
}

Test(process, foreign_fault_keeps_default_action)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("null_deref"));
	expect_out(&r, "about to crash");
	cr_assert_eq(r.sig, SIGSEGV, "killed by SIGSEGV as without the runtime; " RUN_FMT, RUN_ARGS(&r));
	cr_assert_eq(r.nreports, 0, RUN_CONTEXT(&r));
	it_run_free(&r);
}

/* Reports from many threads at once: each written whole, none lost. */
Test(process, concurrent_reports_whole)
{
	for (int text = 0; text < 2; text++) {
		it_run r = {0};
		it_run_prog(&r, &(it_opts){.options = text ? "halt_on_error=0:stack_depth=8:log_format=text"
							   : "halt_on_error=0:stack_depth=8",
					   .raw_options = text},
			    PROG("threads_reports"));
		expect_exit(&r, 0);
		expect_out(&r, "done");
		if (text) {
			size_t errors = 0, summaries = 0;
			for (const char *p = r.err; (p = strstr(p, "==ERROR: mapsan:")); p++)
				errors++;
			for (const char *p = r.err; (p = strstr(p, "\nSUMMARY: mapsan: double-unmap")); p++)
				summaries++;
			cr_assert_eq(errors, 320, "every report made it to stderr");
			cr_assert_eq(summaries, 320, "each ends with its own summary");
		} else {
			cr_assert_eq(r.bad_lines, 0, "no line was torn");
			cr_assert_eq(it_count(&r, "double-unmap"), 320, RUN_CONTEXT(&r));
			cr_assert_eq(r.nreports, 320, RUN_CONTEXT(&r));
		}
		it_run_free(&r);
	}
}

Test(process, exec_runs_checked)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("exec_other"), PROG("double_unmap"));
	expect_out(&r, "exec ");
	expect_one(&r, "double-unmap", 66);
	const json *pid = json_get(r.reports[0], "pid");
	cr_assert(pid && (pid_t)pid->number == r.pid, "exec keeps the pid");
	it_run_free(&r);
}

Test(process, exec_clean_stays_clean)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("exec_other"), PROG("errno_miri"), "basic");
	expect_clean(&r, "ok");
	it_run_free(&r);
}

static void expect_spawned_child_checked(const char *how)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("spawn_child"), how, PROG("double_unmap"));
	expect_child_reported(&r);
	it_run_free(&r);
}

Test(process, posix_spawn_child_is_checked) { expect_spawned_child_checked("posix_spawn"); }
Test(process, vfork_child_is_checked) { expect_spawned_child_checked("vfork"); }

Test(process, spawn_clean_child)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "detect_leaks=1"}, PROG("spawn_child"), "vfork",
		    PROG("errno_miri"), "basic");
	expect_clean(&r, "exit 0");
	it_run_free(&r);
}
