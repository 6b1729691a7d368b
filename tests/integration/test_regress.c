/* Regressions found by users' runs: each test failed before its fix. */
#include "expect.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

TestSuite(regress, .timeout = 120);

#define JEMALLOC_PATH "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"

static void fork_in_thread(const char *options)
{
	if (access(JEMALLOC_PATH, R_OK) != 0)
		cr_skip_test("%s is missing", JEMALLOC_PATH);
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = options, .preload = IT_RUNTIME " " JEMALLOC_PATH,
				   .timeout_s = 20},
		    PROG("fork_in_thread"));
	cr_assert(!r.timed_out, "fork deadlocked in the allocator's atfork handler; " RUN_CONTEXT(&r));
	expect_exit(&r, 0);
	expect_out(&r, "done");
	it_run_free(&r);
}

/* jemalloc registered its pthread_atfork handlers before the runtime did,
 * so its prepare handler runs after ours, on the forking thread that holds
 * the table lock, and calls madvise. */
Test(regress, fork_with_jemalloc_native)
{
	fork_in_thread("policy=native");
}

Test(regress, fork_with_jemalloc_miri_keep_going)
{
	fork_in_thread("policy=miri:halt_on_error=0");
}

/* libunwind's per-thread cache, mapped under the guard, lands where a
 * program mapping was unmapped and released; its unmap at thread exit is
 * the runtime's own and no double-unmap. */
Test(regress, libunwind_cache_on_dead_range)
{
	const char *const policies[] = {"policy=native:quarantine_mb=0",
					"policy=miri:quarantine_mb=0"};
	for (size_t i = 0; i < 2; i++) {
		it_run r = {0};
		it_run_prog(&r, &(it_opts){.options = policies[i]}, PROG("thread_cache_reuse"), "200");
		expect_clean(&r, "done");
		it_run_free(&r);
	}
}

/* The number after the next occurrence of label; 0 when there is none. */
static int pid_after(const char *label, const char **cursor)
{
	const char *p = strstr(*cursor, label);
	if (!p)
		return 0;
	*cursor = p + strlen(label);
	return atoi(*cursor);
}

/* Every process leaves its log file, clean ones too: the launcher counts
 * processes by them. */
Test(regress, clean_processes_leave_log_files)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("fork_two_clean"));
	expect_clean(&r, "parent ");
	const char *cursor = r.out;
	int pids[3];
	pids[0] = pid_after("child ", &cursor);
	pids[1] = pid_after("child ", &cursor);
	pids[2] = pid_after("parent ", &cursor);
	cr_assert_eq(r.log_files, 3, "want one log file per process; " RUN_CONTEXT(&r));
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "r.%d", pids[i]);
		cr_assert(pids[i] > 0 && access(it_path(&r, name), F_OK) == 0,
			  "no log file %s; " RUN_FMT, name, RUN_ARGS(&r));
	}
	it_run_free(&r);
}

/* exec keeps the pid: the new image leaves a file of its own beside the
 * old image's, and neither loses its reports. */
Test(regress, exec_leaves_second_log_file)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("exec_other"), PROG("double_unmap"));
	expect_one(&r, "double-unmap", 66);
	cr_assert_eq(r.log_files, 2, RUN_CONTEXT(&r));
	char name[48];
	snprintf(name, sizeof name, "r.%d", (int)r.pid);
	cr_assert(access(it_path(&r, name), F_OK) == 0, "the first image's file");
	snprintf(name, sizeof name, "r.%d.1", (int)r.pid);
	cr_assert(access(it_path(&r, name), F_OK) == 0, "the new image's file");
	cr_assert_eq(r.report_file_pid[0], r.pid);
	it_run_free(&r);
}
