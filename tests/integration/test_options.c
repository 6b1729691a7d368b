/* One test per MAPSAN_OPTIONS key of SPEC §2, each on a real program. */
#include "expect.h"

#include <fcntl.h>
#include <regex.h>
#include <sys/stat.h>

TestSuite(options, .timeout = 30);

Test(options, policy)
{
	it_run miri = {0}, native = {0};
	it_run_prog(&miri, &(it_opts){.options = "policy=miri"}, PROG("partial_unmap"));
	expect_one(&miri, "partial-unmap", 66);
	it_run_prog(&native, &(it_opts){.options = "policy=native"}, PROG("partial_unmap"));
	expect_clean(&native, "done");
	it_run_free(&miri);
	it_run_free(&native);
}

Test(options, policy_default_is_miri)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("map_flags"));
	expect_one(&r, "map-flags", 66);
	it_run_free(&r);
}

/* halt_on_error=1: exit 66 at the first report, and the call was never
 * forwarded: the page a partial munmap named is still mapped. */
Test(options, halt_on_error_leaves_memory)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "halt_on_error=1"}, PROG("halt_probe"));
	cr_assert_eq(it_count(&r, "partial-unmap"), 1, RUN_CONTEXT(&r));
	cr_assert_eq(r.nreports, 1, RUN_CONTEXT(&r));
	expect_out(&r, "child exit 66");
	expect_out(&r, "page intact");
	it_run_free(&r);
}

Test(options, halt_on_error_off_carries_on)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "halt_on_error=0"}, PROG("several_bugs"));
	cr_assert_eq(r.nreports, 3, RUN_CONTEXT(&r));
	cr_assert_str_eq(json_get_str(r.reports[0], "kind"), "partial-unmap");
	cr_assert_str_eq(json_get_str(r.reports[1], "kind"), "double-unmap");
	cr_assert_str_eq(json_get_str(r.reports[2], "kind"), "map-flags");
	expect_exit(&r, 0);
	expect_out(&r, "finished");
	it_run_free(&r);

	/* The first report is the same with or without halting. */
	it_run h = {0};
	it_run_prog(&h, &(it_opts){.options = "halt_on_error=1"}, PROG("several_bugs"));
	expect_one(&h, "partial-unmap", 66);
	cr_assert(!strstr(h.out, "after partial"), RUN_CONTEXT(&h));
	it_run_free(&h);
}

Test(options, halt_on_error_off_forwards)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "halt_on_error=0"}, PROG("halt_probe"));
	cr_assert_eq(it_count(&r, "partial-unmap"), 1, RUN_CONTEXT(&r));
	expect_out(&r, "child exit 0");
	expect_out(&r, "page gone");
	it_run_free(&r);
}

Test(options, exitcode)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "exitcode=7"}, PROG("double_unmap"));
	expect_one(&r, "double-unmap", 7);
	it_run_free(&r);
}

Test(options, abort_on_error)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "abort_on_error=1"}, PROG("double_unmap"));
	cr_assert_eq(it_count(&r, "double-unmap"), 1, RUN_CONTEXT(&r));
	cr_assert_eq(r.sig, SIGABRT, "want SIGABRT; " RUN_CONTEXT(&r));
	it_run_free(&r);
}

Test(options, log_path_file_per_pid)
{
	it_run r = {0};
	it_prepare(&r);
	char opts[256];
	snprintf(opts, sizeof opts, "log_path=%s/log", r.dir);
	it_run_prog(&r, &(it_opts){.options = opts, .raw_options = true}, PROG("double_unmap"));
	expect_exit(&r, 66);
	char name[64];
	snprintf(name, sizeof name, "log.%d", (int)r.pid);
	struct stat st;
	cr_assert_eq(lstat(it_path(&r, name), &st), 0, "%s was created; " RUN_FMT, name, RUN_ARGS(&r));
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, 0600, "mode %o", st.st_mode & 07777);
	char *text = it_slurp(it_path(&r, name), NULL);
	cr_assert(text && strstr(text, "double-unmap"), "the report is in the file: %s", text);
	cr_assert(!strstr(r.err, "double-unmap"), "and not on stderr: %s", r.err);
	free(text);
	it_run_free(&r);
}

/* The log file is created O_EXCL|O_NOFOLLOW: neither a file already there
 * nor a symlink planted there is written through. The report is not lost
 * either: it goes to stderr, or the run stops with a line naming the log. */
Test(options, log_path_never_clobbers)
{
	for (int symlinked = 0; symlinked < 2; symlinked++) {
		it_run r = {0};
		it_prepare(&r);
		char victim[256], script[1024], opts[300];
		snprintf(victim, sizeof victim, "%s/victim", r.dir);
		int fd = open(victim, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		cr_assert_geq(fd, 0);
		cr_assert_eq(write(fd, "precious\n", 9), 9);
		close(fd);
		snprintf(opts, sizeof opts, "log_path=%s/log", r.dir);
		/* The pid is known only inside the child: a shell plants the
		 * file under its own pid, then becomes the program (preloaded
		 * only from the exec on). */
		snprintf(script, sizeof script,
			 "%s %s %s/log.$$ && export LD_PRELOAD=%s && exec %s",
			 symlinked ? "ln -s" : "cp", victim, r.dir, IT_RUNTIME, PROG("double_unmap"));
		it_run_prog(&r, &(it_opts){.options = opts, .raw_options = true, .preload = ""},
			    "/bin/sh", "-c", script);
		char *text = it_slurp(victim, NULL);
		cr_assert_str_eq(text, "precious\n", "the existing file was written through");
		free(text);
		cr_assert(strstr(r.err, "double-unmap") || (r.exited && r.code == 2 && strstr(r.err, "log")),
			  "the report went somewhere; " RUN_CONTEXT(&r));
		it_run_free(&r);
	}
}

Test(options, log_format_text)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "log_format=text", .raw_options = true}, PROG("partial_unmap"));
	expect_exit(&r, 66);
	char head[64];
	snprintf(head, sizeof head, "==%d==ERROR: mapsan:", (int)r.pid);
	expect_err(&r, head);
	expect_err(&r, "partial-unmap");
	expect_err(&r, "SUMMARY: mapsan: partial-unmap");
	expect_err(&r, "    #0 0x");
	it_run_free(&r);
}

static void expect_frames_valid(const json *rep, const char *key)
{
	const json *s = json_get(rep, key);
	if (!s)
		return;
	cr_assert_eq(s->type, JSON_ARRAY);
	for (size_t i = 0; i < s->count; i++) {
		const json *f = s->items[i];
		cr_assert(json_get_str(f, "pc"), "%s frame %zu has pc", key, i);
		cr_assert(json_get_str(f, "module"), "%s frame %zu has module", key, i);
		cr_assert(json_get_str(f, "offset"), "%s frame %zu has offset", key, i);
	}
}

Test(options, log_format_json)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "halt_on_error=0"}, PROG("several_bugs"));
	cr_assert_eq(r.bad_lines, 0, "every log line is one JSON object");
	cr_assert_eq(r.nreports, 3, RUN_CONTEXT(&r));
	for (size_t i = 0; i < r.nreports; i++) {
		const json *rep = r.reports[i];
		cr_assert_eq(rep->type, JSON_OBJECT);
		static const char *const strs[] = {"kind", "severity", "call", "message"};
		for (size_t k = 0; k < 4; k++)
			cr_assert(json_get_str(rep, strs[k]), "report %zu has string %s", i, strs[k]);
		cr_assert(json_get_len(rep, "args") > 0, "report %zu has args", i);
		const json *pid = json_get(rep, "pid");
		cr_assert(pid && pid->type == JSON_NUMBER && (pid_t)pid->number == r.pid,
			  "report %zu has the program's pid", i);
		cr_assert_eq(r.report_file_pid[i], (int)r.pid, "the file is named for the pid");
		cr_assert(json_get_len(rep, "stack") > 0, "report %zu has a stack", i);
		expect_frames_valid(rep, "stack");
		expect_frames_valid(rep, "origin_stack");
		expect_frames_valid(rep, "unmap_stack");
	}
	cr_assert_str_eq(json_get_str(r.reports[1], "severity"), "ub");
	cr_assert_str_eq(json_get_str(r.reports[2], "severity"), "unsupported");
	it_run_free(&r);
}

Test(options, stack_depth)
{
	it_run off = {0}, two = {0}, deflt = {0};
	it_run_prog(&off, &(it_opts){.options = "stack_depth=0"}, PROG("double_unmap"));
	expect_one(&off, "double-unmap", 66);
	cr_assert_eq(json_get_len(off.reports[0], "stack"), 0, "stack_depth=0: no frames");
	cr_assert(json_get_len(off.reports[0], "origin_stack") <= 0, "no origin frames either");

	it_run_prog(&two, &(it_opts){.options = "stack_depth=2"}, PROG("double_unmap"));
	expect_one(&two, "double-unmap", 66);
	long n = json_get_len(two.reports[0], "stack");
	cr_assert(n >= 1 && n <= 2, "stack_depth=2: %ld frames", n);

	it_run_prog(&deflt, NULL, PROG("double_unmap"));
	expect_one(&deflt, "double-unmap", 66);
	cr_assert_gt(json_get_len(deflt.reports[0], "stack"), 2, "default depth reaches main");
	it_run_free(&off);
	it_run_free(&two);
	it_run_free(&deflt);
}

Test(options, quarantine_default_catches_reuse)
{
	it_run r = {0};
	it_run_prog(&r, NULL, PROG("reuse_after_unmap"));
	expect_out(&r, "fresh");
	expect_one(&r, "use-after-unmap", 66);
	it_run_free(&r);
}

/* Without a quarantine the kernel may hand the address straight back, and
 * then the stale store lands in the new mapping, unseen. */
Test(options, quarantine_off)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "quarantine_mb=0"}, PROG("reuse_after_unmap"));
	if (strstr(r.out, "reused")) {
		expect_clean(&r, "done");
	} else {
		expect_out(&r, "fresh");
		expect_one(&r, "use-after-unmap", 66);
	}
	it_run_free(&r);
}

Test(options, ignore)
{
	it_run one = {0}, list = {0}, other = {0};
	it_run_prog(&one, &(it_opts){.options = "ignore=partial-unmap"}, PROG("partial_unmap"));
	expect_clean(&one, "done");
	it_run_prog(&list, &(it_opts){.options = "halt_on_error=0:ignore=map-flags,partial-unmap"},
		    PROG("several_bugs"));
	expect_one(&list, "double-unmap", 0);
	expect_out(&list, "finished");
	it_run_prog(&other, &(it_opts){.options = "ignore=map-flags"}, PROG("partial_unmap"));
	expect_one(&other, "partial-unmap", 66);
	it_run_free(&one);
	it_run_free(&list);
	it_run_free(&other);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void run_suppressed(it_run *r, const char *lines)
{
	it_prepare(r);
	char supp[256], opts[300];
	snprintf(supp, sizeof supp, "%s/supp", r->dir);
	write_file(supp, lines);
	snprintf(opts, sizeof opts, "suppressions=%s", supp);
	it_run_prog(r, &(it_opts){.options = opts}, IT_CHUNK_DEMO);
}

Test(options, suppressions_function)
{
	it_run hit = {0}, miss = {0}, glob = {0}, module = {0};
	run_suppressed(&hit, "# chunk trimming is known\npartial-unmap:chunk_trim\n");
	expect_clean(&hit, "checksum 20");
	run_suppressed(&glob, "partial-unmap:chunk_t*\n");
	expect_clean(&glob, "checksum 20");
	run_suppressed(&module, "partial-unmap:*libchunk.so*\n");
	expect_clean(&module, "checksum 20");
	run_suppressed(&miss, "partial-unmap:no_such_function\ndouble-unmap:chunk_trim\n");
	expect_one(&miss, "partial-unmap", 66);
	it_run_free(&hit);
	it_run_free(&miss);
	it_run_free(&glob);
	it_run_free(&module);
}

Test(options, suppressions_bad_line)
{
	it_run r = {0};
	run_suppressed(&r, "partial-unmap:chunk_trim\nno-such-kind:chunk_trim\n");
	expect_exit(&r, 2);
	char want[300];
	snprintf(want, sizeof want, "%s/supp:2:[0-9]+: ", r.dir);
	regex_t re;
	cr_assert_eq(regcomp(&re, want, REG_EXTENDED | REG_NOSUB), 0);
	cr_assert_eq(regexec(&re, r.err, 0, NULL, 0), 0, "FILE:LINE:COL: message; " RUN_FMT, RUN_ARGS(&r));
	regfree(&re);
	cr_assert_eq(r.nreports, 0);
	cr_assert(!strstr(r.out, "checksum"), "the program never ran");
	it_run_free(&r);
}

Test(options, suppressions_missing_file)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "suppressions=/nonexistent/mapsan.supp"}, IT_CHUNK_DEMO);
	expect_exit(&r, 2);
	expect_err(&r, "/nonexistent/mapsan.supp");
	it_run_free(&r);
}

Test(options, detect_leaks)
{
	it_run on = {0}, off = {0};
	it_run_prog(&on, &(it_opts){.options = "detect_leaks=1"}, PROG("leak"));
	expect_one(&on, "leak", 0);
	it_run_prog(&off, NULL, PROG("leak"));
	expect_clean(&off, "done");
	it_run_free(&on);
	it_run_free(&off);
}

Test(options, fail_mmap_nth)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "fail_mmap=3"}, PROG("fail_mmap"), "5");
	expect_exit(&r, 0);
	cr_assert_eq(r.nreports, 0, "fault injection is not a report");
	cr_assert(strstr(r.out, "1 ok\n2 ok\n3 ENOMEM\n4 ok\n5 ok\n"), RUN_CONTEXT(&r));
	it_run_free(&r);
}

static size_t count_lines(const char *text, const char *what)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

Test(options, fail_mmap_share)
{
	it_run all = {0}, half = {0}, again = {0}, reseeded = {0};
	it_run_prog(&all, &(it_opts){.options = "fail_mmap=100%"}, PROG("fail_mmap"), "16");
	cr_assert_eq(count_lines(all.out, " ENOMEM\n"), 16, RUN_CONTEXT(&all));

	it_run_prog(&half, &(it_opts){.options = "fail_mmap=50%:seed=1"}, PROG("fail_mmap"), "200");
	size_t failed = count_lines(half.out, " ENOMEM\n");
	cr_assert(failed >= 50 && failed <= 150, "about half of 200 failed: %zu", failed);
	cr_assert_eq(count_lines(half.out, " ok\n") + failed, 200, RUN_CONTEXT(&half));

	it_run_prog(&again, &(it_opts){.options = "fail_mmap=50%:seed=1"}, PROG("fail_mmap"), "200");
	cr_assert_str_eq(again.out, half.out, "the same seed fails the same calls");
	it_run_prog(&reseeded, &(it_opts){.options = "fail_mmap=50%:seed=2"}, PROG("fail_mmap"), "200");
	cr_assert_str_neq(reseeded.out, half.out, "another seed fails other calls");
	it_run_free(&all);
	it_run_free(&half);
	it_run_free(&again);
	it_run_free(&reseeded);
}

Test(options, help_lists_every_option)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "help=1", .raw_options = true}, PROG("partial_unmap"));
	expect_exit(&r, 0);
	static const char *const keys[] = {
		"policy", "halt_on_error", "exitcode", "abort_on_error", "log_path",
		"log_format", "stack_depth", "quarantine_mb", "ignore", "suppressions",
		"detect_leaks", "fail_mmap", "trace", "default_suppressions",
		"allow_sealed_files", "halt_on_warnings", "check_msync", "seed", "help",
	};
	size_t len = strlen(r.out) + strlen(r.err) + 2;
	char *all = malloc(len);
	snprintf(all, len, "%s\n%s", r.out, r.err);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert(strstr(all, keys[i]), "help names %s:\n%s", keys[i], all);
	cr_assert(!strstr(r.out, "done"), "help=1 does not run the program");
	free(all);
	it_run_free(&r);
}

Test(options, default_suppressions_rust)
{
	it_run on = {0}, off = {0};
	it_run_prog(&on, &(it_opts){.options = "halt_on_error=0"}, IT_RUST_PROG);
	cr_assert_eq(on.nreports, 0, "Rust std's own mappings are suppressed; " RUN_CONTEXT(&on));
	expect_out(&on, "sum 21");
	it_run_prog(&off, &(it_opts){.options = "halt_on_error=0:default_suppressions=0"}, IT_RUST_PROG);
	cr_assert_gt(off.nreports, 0, "without them, std's guard pages are reported; " RUN_CONTEXT(&off));
	expect_out(&off, "sum 21");
	it_run_free(&on);
	it_run_free(&off);
}

Test(options, allow_sealed_files)
{
	it_run on = {0}, off = {0};
	it_run_prog(&on, &(it_opts){.options = "allow_sealed_files=1"}, PROG("sealed_memfd"));
	expect_clean(&on, "done");
	it_run_prog(&off, &(it_opts){.options = "allow_sealed_files=0"}, PROG("sealed_memfd"));
	expect_one(&off, "file-mapping", 66);
	it_run_free(&on);
	it_run_free(&off);
}

Test(options, allow_sealed_files_needs_the_seals)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = "allow_sealed_files=1"}, PROG("file_mapping"));
	expect_one(&r, "file-mapping", 66);
	it_run_free(&r);
}

Test(options, halt_on_warnings)
{
	it_run on = {0}, off = {0};
	it_run_prog(&on, &(it_opts){.options = "policy=native:halt_on_warnings=1"}, PROG("map_beyond_eof"));
	expect_one(&on, "map-beyond-eof", 66);
	cr_assert(!strstr(on.out, "done"), RUN_CONTEXT(&on));
	it_run_prog(&off, &(it_opts){.options = "policy=native"}, PROG("map_beyond_eof"));
	expect_one(&off, "map-beyond-eof", 0);
	expect_out(&off, "done");
	it_run_free(&on);
	it_run_free(&off);
}

Test(options, check_msync)
{
	it_run on = {0}, synced = {0}, off = {0};
	it_run_prog(&on, &(it_opts){.options = "policy=native:check_msync=1"}, PROG("msync_file"), "nosync");
	cr_assert_eq(it_count(&on, "msync-unchecked"), 1, RUN_CONTEXT(&on));
	expect_out(&on, "done");
	it_run_prog(&synced, &(it_opts){.options = "policy=native:check_msync=1"}, PROG("msync_file"));
	cr_assert_eq(it_count(&synced, "msync-unchecked"), 0, RUN_CONTEXT(&synced));
	it_run_prog(&off, &(it_opts){.options = "policy=native"}, PROG("msync_file"), "nosync");
	cr_assert_eq(it_count(&off, "msync-unchecked"), 0, RUN_CONTEXT(&off));
	expect_out(&off, "done");
	it_run_free(&on);
	it_run_free(&synced);
	it_run_free(&off);
}

/* A bad option is one line naming the key, then exit 2, before the
 * program runs. */
static void expect_bad_option(const char *options, const char *key)
{
	it_run r = {0};
	it_run_prog(&r, &(it_opts){.options = options, .raw_options = true}, PROG("partial_unmap"));
	expect_exit(&r, 2);
	expect_err(&r, key);
	cr_assert_eq(count_lines(r.err, "\n"), 1, "one line: %s", r.err);
	cr_assert(!strstr(r.out, "done"), "the program never ran");
	it_run_free(&r);
}

Test(options, bad_unknown_key) { expect_bad_option("policy=miri:no_such_key=1", "no_such_key"); }
Test(options, bad_policy_value) { expect_bad_option("policy=strict", "policy"); }
Test(options, bad_number) { expect_bad_option("exitcode=lots", "exitcode"); }
Test(options, bad_bool) { expect_bad_option("halt_on_error=maybe", "halt_on_error"); }
Test(options, bad_format) { expect_bad_option("log_format=xml", "log_format"); }
Test(options, bad_ignore_kind) { expect_bad_option("ignore=partial-unmap,nonsense", "ignore"); }
Test(options, bad_fail_mmap) { expect_bad_option("fail_mmap=12x", "fail_mmap"); }
Test(options, bad_missing_value) { expect_bad_option("stack_depth", "stack_depth"); }

/* trace records the run, or, where it is not built, is refused like any
 * bad option: never silently ignored. */
Test(options, trace_is_not_ignored)
{
	it_run r = {0};
	it_prepare(&r);
	char opts[300];
	snprintf(opts, sizeof opts, "trace=%s/trace", r.dir);
	it_run_prog(&r, &(it_opts){.options = opts}, PROG("errno_miri"), "basic");
	char name[64];
	snprintf(name, sizeof name, "trace.%d", (int)r.pid);
	char *trace = it_slurp(it_path(&r, name), NULL);
	if (trace) {
		cr_assert(strstr(trace, "mmap"), "the trace records the calls: %s", trace);
	} else {
		expect_exit(&r, 2);
		expect_err(&r, "trace");
	}
	free(trace);
	it_run_free(&r);
}
