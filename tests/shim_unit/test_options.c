#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"

static shim_options o;
static char err[512];

static int parse(const char *text)
{
	return options_parse(text, &o, err, sizeof err);
}

Test(options, defaults_match_the_spec)
{
	cr_assert_eq(parse(NULL), 0);
	cr_assert_eq(o.policy, MS_POLICY_MIRI);
	cr_assert(o.halt_on_error);
	cr_assert_eq(o.exitcode, 66);
	cr_assert_not(o.abort_on_error);
	cr_assert_str_eq(o.log_path, "");
	cr_assert_not(o.log_json);
	cr_assert_eq(o.stack_depth, 32);
	cr_assert_eq(o.quarantine_mb, 64);
	cr_assert_eq(o.ignore_mask, 0);
	cr_assert_str_eq(o.suppressions, "");
	cr_assert_not(o.detect_leaks);
	cr_assert_eq(o.fail_mmap_nth, 0);
	cr_assert_eq(o.fail_mmap_share, 0.0);
	cr_assert(o.default_suppressions);
	cr_assert_not(o.allow_sealed_files);
	cr_assert_not(o.halt_on_warnings);
	cr_assert_not(o.check_msync);
	cr_assert_eq(parse(""), 0);
	cr_assert_eq(o.exitcode, 66);
}

Test(options, global_starts_with_defaults)
{
	cr_assert_eq(shim_opts.exitcode, 66);
	cr_assert_eq(shim_opts.stack_depth, 32);
	cr_assert(shim_opts.halt_on_error);
	cr_assert(shim_opts.default_suppressions);
}

Test(options, every_option_parses)
{
	cr_assert_eq(parse("policy=native:halt_on_error=0:exitcode=3:abort_on_error=true:"
			   "log_path=/tmp/x:log_format=json:stack_depth=64:quarantine_mb=0:"
			   "ignore=leak,partial-unmap:suppressions=/tmp/s:detect_leaks=1:"
			   "fail_mmap=7:seed=0x10:default_suppressions=false:allow_sealed_files=1:"
			   "halt_on_warnings=1:check_msync=1"), 0, "%s", err);
	cr_assert_eq(o.policy, MS_POLICY_NATIVE);
	cr_assert_not(o.halt_on_error);
	cr_assert_eq(o.exitcode, 3);
	cr_assert(o.abort_on_error);
	cr_assert_str_eq(o.log_path, "/tmp/x");
	cr_assert(o.log_json);
	cr_assert_eq(o.stack_depth, 64);
	cr_assert_eq(o.quarantine_mb, 0);
	cr_assert_eq(o.ignore_mask, (1u << MS_KIND_LEAK) | (1u << MS_KIND_PARTIAL_UNMAP));
	cr_assert_str_eq(o.suppressions, "/tmp/s");
	cr_assert(o.detect_leaks);
	cr_assert_eq(o.fail_mmap_nth, 7);
	cr_assert_eq(o.seed, 16);
	cr_assert_not(o.default_suppressions);
	cr_assert(o.allow_sealed_files);
	cr_assert(o.halt_on_warnings);
	cr_assert(o.check_msync);
}

Test(options, separators_spaces_and_repeats)
{
	cr_assert_eq(parse(" :exitcode=5::exitcode = 9 : stack_depth=0:"), 0, "%s", err);
	cr_assert_eq(o.exitcode, 9);
	cr_assert_eq(o.stack_depth, 0);
}

Test(options, quoted_path_may_hold_colons)
{
	cr_assert_eq(parse("log_path='/tmp/a:b':exitcode=1"), 0, "%s", err);
	cr_assert_str_eq(o.log_path, "/tmp/a:b");
	cr_assert_eq(o.exitcode, 1);
	cr_assert_eq(parse("log_path=\"/x\""), 0);
	cr_assert_str_eq(o.log_path, "/x");
	cr_assert_eq(parse("log_path='/x"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: unterminated quote in value of 'log_path' at column 10");
	cr_assert_eq(parse("log_path='/x'y"), -1);
}

Test(options, fail_mmap_share)
{
	cr_assert_eq(parse("fail_mmap=5%"), 0, "%s", err);
	cr_assert_float_eq(o.fail_mmap_share, 0.05, 1e-12);
	cr_assert_eq(o.fail_mmap_nth, 0);
	cr_assert_eq(parse("fail_mmap=100%"), 0);
	cr_assert_float_eq(o.fail_mmap_share, 1.0, 1e-12);
	cr_assert_eq(parse("fail_mmap=0.5%"), 0);
	cr_assert_float_eq(o.fail_mmap_share, 0.005, 1e-12);
	cr_assert_eq(parse("fail_mmap=0%"), 0);
	cr_assert_eq(o.fail_mmap_share, 0.0);
	const char *bad[] = {"fail_mmap=101%", "fail_mmap=100.5%", "fail_mmap=%", "fail_mmap=5.%",
			     "fail_mmap=x%", "fail_mmap=-1", "fail_mmap=0x5%", "fail_mmap="};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(parse(bad[i]), -1, "%s accepted", bad[i]);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: bad value '' for fail_mmap "
			      "(expected N for the Nth call, or a share N% with 0 <= N <= 100) at column 11");
}

Test(options, unknown_option_names_key_and_column)
{
	cr_assert_eq(parse("exitcode=1:foo=2"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: unknown option 'foo' at column 12");
	cr_assert_eq(parse("halt_on_error=1:exitcodes=1"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: unknown option 'exitcodes' at column 17");
}

Test(options, bad_values_name_key_expectation_and_column)
{
	cr_assert_eq(parse("policy=miri:exitcode=x"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: bad value 'x' for exitcode (expected an integer 0..255) at column 22");
	cr_assert_eq(parse("exitcode=256"), -1);
	cr_assert_eq(parse("stack_depth=65"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: bad value '65' for stack_depth (expected an integer 0..64) at column 13");
	cr_assert_eq(parse("halt_on_error=yes"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: bad value 'yes' for halt_on_error (expected 0, 1, true or false) at column 15");
	cr_assert_eq(parse("policy=strict"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: bad value 'strict' for policy (expected miri or native) at column 8");
	cr_assert_eq(parse("log_format=xml"), -1);
	cr_assert_eq(parse("seed=99999999999999999999"), -1);
	cr_assert_eq(parse("exitcode="), -1);
}

Test(options, ignore_points_at_the_bad_kind)
{
	cr_assert_eq(parse("ignore=leak,bogus"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: bad value 'bogus' for ignore "
			      "(expected comma-separated kinds such as partial-unmap,leak) at column 13");
	cr_assert_eq(parse("ignore="), 0);
	cr_assert_eq(o.ignore_mask, 0);
	cr_assert_eq(parse("ignore=none"), -1);
}

Test(options, missing_equals)
{
	cr_assert_eq(parse("exitcode=1:verbose"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: expected key=value, got 'verbose' at column 12");
}

Test(options, trace_is_an_error_not_ignored)
{
	cr_assert_eq(parse("exitcode=1:trace=/tmp/t"), -1);
	cr_assert_str_eq(err, "mapsan: MAPSAN_OPTIONS: trace: not built yet at column 12");
}

Test(options, help_is_reported)
{
	cr_assert_eq(parse("help=1"), 1);
	cr_assert_eq(parse("help=0"), 0);
}

Test(options, long_values_are_cut_in_messages_and_bounded)
{
	char text[6000] = "log_format=";
	memset(text + 11, 'a', 200);
	cr_assert_eq(parse(text), -1);
	cr_assert(strlen(err) < 200);
	cr_assert_not_null(strstr(err, "...'"));
	memcpy(text, "log_path=", 9);
	memset(text + 9, 'a', 5000);
	text[5009] = '\0';
	cr_assert_eq(parse(text), -1);
	char small[16];
	cr_assert_eq(options_parse("foo=1", &o, small, sizeof small), -1);
	cr_assert_eq(strlen(small), sizeof small - 1);
}

/* options_load: the process-level behaviour, in a child whose stderr we read. */

static int run_load(const char *env, char *out, size_t cap)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 2);
		setenv("MAPSAN_OPTIONS", env, 1);
		options_load();
		options_load();
		_exit(shim_opts.exitcode == 7 && shim_opts.log_json ? 99 : 98);
	}
	close(p[1]);
	size_t len = 0;
	ssize_t r;
	while (len + 1 < cap && (r = read(p[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char out[16384];

Test(options_load, bad_option_prints_one_line_and_exits_2)
{
	cr_assert_eq(run_load("exitcode=1:nope=1", out, sizeof out), 2);
	cr_assert_str_eq(out, "mapsan: MAPSAN_OPTIONS: unknown option 'nope' at column 12\n");
}

Test(options_load, help_lists_every_option_and_exits_0)
{
	cr_assert_eq(run_load("help=1", out, sizeof out), 0);
	const char *names[] = {"policy=miri", "halt_on_error=1", "exitcode=66", "abort_on_error=0",
			       "log_path=", "log_format=text", "stack_depth=32", "quarantine_mb=64",
			       "ignore=", "suppressions=", "detect_leaks=0", "fail_mmap=", "seed=0",
			       "trace=", "default_suppressions=1", "allow_sealed_files=0",
			       "halt_on_warnings=0", "check_msync=0", "help=0"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char want[64];
		snprintf(want, sizeof want, "\n  %s", names[i]);
		cr_assert_not_null(strstr(out, want), "help lacks %s", names[i]);
	}
}

Test(options_load, loads_and_is_idempotent)
{
	cr_assert_eq(run_load("exitcode=7:log_format=json", out, sizeof out), 99);
	cr_assert_str_eq(out, "");
}

Test(options_load, missing_suppressions_file_exits_2)
{
	cr_assert_eq(run_load("suppressions=/nonexistent/mapsan.supp", out, sizeof out), 2);
	cr_assert_str_eq(out, "mapsan: /nonexistent/mapsan.supp: suppressions file: no such file\n");
}

static int temp_file(const char *text, char *path, size_t cap)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	fputs(text, f);
	fflush(f);
	snprintf(path, cap, "/proc/self/fd/%d", fileno(f));
	return fileno(f);
}

Test(options_load, bad_suppressions_line_exits_2)
{
	char path[64], env[128];
	temp_file("# ok\nleak:*\n  bogus : foo\n", path, sizeof path);
	snprintf(env, sizeof env, "suppressions=%s", path);
	cr_assert_eq(run_load(env, out, sizeof out), 2);
	char want[128];
	snprintf(want, sizeof want, "mapsan: %s:3:3: unknown kind 'bogus'\n", path);
	cr_assert_str_eq(out, want);
}

Test(options_load, good_suppressions_file_loads)
{
	char path[64], env[128];
	temp_file("# ok\nleak:*\n\n*:libfoo.so\n", path, sizeof path);
	snprintf(env, sizeof env, "exitcode=7:log_format=json:suppressions=%s", path);
	cr_assert_eq(run_load(env, out, sizeof out), 99);
	cr_assert_str_eq(out, "");
}
