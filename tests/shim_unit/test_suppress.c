#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "suppress.h"

static suppress_set set;
static char err[512];

static int parse(const char *text)
{
	return suppress_parse(&set, "s.supp", text, strlen(text), err, sizeof err);
}

Test(glob, stars_and_questions)
{
	cr_assert(glob_match("*", ""));
	cr_assert(glob_match("*", "abc"));
	cr_assert(glob_match("abc", "abc"));
	cr_assert_not(glob_match("abc", "abcd"));
	cr_assert_not(glob_match("abcd", "abc"));
	cr_assert(glob_match("a?c", "abc"));
	cr_assert_not(glob_match("a?c", "ac"));
	cr_assert(glob_match("chunk_*", "chunk_trim"));
	cr_assert_not(glob_match("chunk_*", "xchunk_trim"));
	cr_assert(glob_match("*trim", "chunk_trim"));
	cr_assert(glob_match("*a*b*c*", "xxaxxbxxcxx"));
	cr_assert_not(glob_match("*a*b*c*", "xxcxxbxxaxx"));
	cr_assert(glob_match("**x", "x"));
	cr_assert(glob_match("*aab", "aaaab"));
	cr_assert_not(glob_match("", "a"));
	cr_assert(glob_match("", ""));
}

static const ms_frame frames[] = {
	{.pc = 1, .module = "/usr/lib/libchunk.so.2", .function = "chunk_trim"},
	{.pc = 2, .module = "/work/app", .function = "main"},
	{.pc = 3},
};

Test(suppress, parses_rules_comments_and_blank_lines)
{
	cr_assert_eq(parse("# comment\n\n  partial-unmap : chunk_*  \r\n*:libfoo.so\nleak:ns::f*"), 0, "%s", err);
	cr_assert_eq(set.count, 3);
	cr_assert_str_eq(set.rules[0].glob, "chunk_*");
	cr_assert_eq(set.rules[0].kinds, 1u << MS_KIND_PARTIAL_UNMAP);
	cr_assert_str_eq(set.rules[1].glob, "libfoo.so");
	cr_assert_str_eq(set.rules[2].glob, "ns::f*");
	for (int k = 1; k < MS_KIND_COUNT; k++)
		cr_assert(set.rules[1].kinds & (1u << k));
	cr_assert_not(set.rules[1].kinds & 1u);
}

Test(suppress, errors_give_file_line_column)
{
	cr_assert_eq(parse("leak:x\n\n   nonsense:x\n"), -1);
	cr_assert_str_eq(err, "mapsan: s.supp:3:4: unknown kind 'nonsense'");
	cr_assert_eq(parse("leak x\n"), -1);
	cr_assert_str_eq(err, "mapsan: s.supp:1:1: expected KIND:GLOB, got 'leak x'");
	cr_assert_eq(parse("# c\nleak:   \n"), -1);
	cr_assert_str_eq(err, "mapsan: s.supp:2:6: empty pattern after 'leak:'");
	cr_assert_eq(parse(":x\n"), -1);
	cr_assert_str_eq(err, "mapsan: s.supp:1:1: unknown kind ''");
}

Test(suppress, too_many_rules)
{
	static char text[SUPPRESS_RULES_MAX * 8 + 16];
	size_t n = 0;
	for (int i = 0; i <= SUPPRESS_RULES_MAX; i++)
		n += (size_t)sprintf(text + n, "leak:a\n");
	cr_assert_eq(parse(text), -1);
	cr_assert_str_eq(err, "mapsan: s.supp:257:1: too many rules (at most 256)");
}

Test(suppress, matches_function_or_module_basename_of_that_kind)
{
	cr_assert_eq(parse("partial-unmap:chunk_t?im\nleak:libchunk.so*\n*:/work/*\n"), 0);
	cr_assert(suppress_match(&set, false, MS_KIND_PARTIAL_UNMAP, frames, 3));
	cr_assert_not(suppress_match(&set, false, MS_KIND_DOUBLE_UNMAP, frames, 1));
	cr_assert(suppress_match(&set, false, MS_KIND_LEAK, frames, 1));
	/* a glob with '/' matches the whole module path */
	cr_assert(suppress_match(&set, false, MS_KIND_DOUBLE_UNMAP, frames, 2));
	cr_assert_not(suppress_match(&set, false, MS_KIND_DOUBLE_UNMAP, frames + 2, 1));
	cr_assert_not(suppress_match(&set, false, MS_KIND_LEAK, NULL, 0));
}

Test(suppress, builtin_rules_cover_rust_std_signal_stack)
{
	static const ms_frame v0[] = {
		{.pc = 1, .module = "/bin/prog",
		 .function = "_RNvNtNtNtNtNtCsjrHSEGnQ3l9_3std3sys3pal4unix14stack_overflow3imp12make_handler"},
	};
	static const ms_frame legacy[] = {
		{.pc = 1, .function = "_ZN3std3sys4unix14stack_overflow3imp12make_handler17h0123456789abcdefE"},
	};
	static const ms_frame demangled[] = {
		{.pc = 1, .function = "std::sys::pal::unix::stack_overflow::imp::make_handler"},
	};
	set.count = 0;
	cr_assert(suppress_match(&set, true, MS_KIND_PROTECTION, v0, 1));
	cr_assert(suppress_match(&set, true, MS_KIND_PROTECTION, legacy, 1));
	cr_assert(suppress_match(&set, true, MS_KIND_PROTECTION, demangled, 1));
	cr_assert_not(suppress_match(&set, false, MS_KIND_PROTECTION, v0, 1));
	cr_assert_not(suppress_match(&set, true, MS_KIND_USE_AFTER_UNMAP, v0, 1));
	cr_assert_not(suppress_match(&set, true, MS_KIND_PROTECTION, frames, 3));
}
