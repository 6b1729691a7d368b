#include <criterion/criterion.h>
#include <string.h>

#include "json.h"

static bool parse(const char *text, jv *out)
{
	return json_parse(text, strlen(text), out);
}

Test(json, report_line_shape)
{
	jv v;
	uint64_t u;

	cr_assert(parse("{\"kind\":\"partial-unmap\",\"pid\":4242,\"args\":[\"0x7f3a2c000000\",\"0x1000\"],"
			"\"mapping\":{\"base\":\"0x10\",\"size\":8192},\"stack\":[]}", &v));
	cr_assert_str_eq(json_str(json_get(&v, "kind")), "partial-unmap");
	cr_assert(json_u64(json_get(&v, "pid"), &u));
	cr_assert_eq(u, 4242);
	const jv *args = json_get(&v, "args");
	cr_assert_eq(args->type, JV_ARR);
	cr_assert_eq(args->n, 2);
	cr_assert(json_u64(&args->items[0], &u));
	cr_assert_eq(u, 0x7f3a2c000000ull);
	cr_assert(json_u64(json_get(json_get(&v, "mapping"), "size"), &u));
	cr_assert_eq(u, 8192);
	cr_assert_eq(json_get(&v, "stack")->n, 0);
	cr_assert_null(json_get(&v, "origin_stack"));
	json_free(&v);
}

Test(json, string_escapes)
{
	jv v;

	cr_assert(parse("\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\u20ac\\ud83d\\ude00\"", &v));
	cr_assert_str_eq(v.str, "a\"b\\c/d\n\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	json_free(&v);
	cr_assert(parse("\"lone \\ud800 surrogate\"", &v));
	cr_assert_str_eq(v.str, "lone \xef\xbf\xbd surrogate");
	json_free(&v);
}

Test(json, words_and_numbers)
{
	jv v;
	uint64_t u;

	cr_assert(parse(" [true, false, null, 18446744073709551615, -1, 1.5e3] ", &v));
	cr_assert_eq(v.n, 6);
	cr_assert(v.items[0].type == JV_BOOL && v.items[0].b);
	cr_assert(v.items[1].type == JV_BOOL && !v.items[1].b);
	cr_assert_eq(v.items[2].type, JV_NULL);
	cr_assert(json_u64(&v.items[3], &u));
	cr_assert_eq(u, UINT64_MAX);
	cr_assert_not(json_u64(&v.items[4], &u));
	cr_assert_not(json_u64(&v.items[5], &u));
	json_free(&v);
}

Test(json, last_duplicate_key_wins)
{
	jv v;

	cr_assert(parse("{\"k\":\"first\",\"k\":\"second\"}", &v));
	cr_assert_str_eq(json_str(json_get(&v, "k")), "second");
	json_free(&v);
}

Test(json, malformed_input_is_rejected)
{
	static const char *const bad[] = {
		"", "{", "{\"kind\":}", "{\"kind\" \"x\"}", "[1,]", "[1 2]", "\"open",
		"\"bad \\x escape\"", "\"ctrl \x01 char\"", "{\"a\":1}}", "tru", "{1:2}",
		"\"\\u12\"", "nul", "{\"a\":1,}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		jv v;
		cr_assert_not(parse(bad[i], &v), "accepted: %s", bad[i]);
	}
}

Test(json, nesting_is_bounded)
{
	char deep[301];
	jv v;

	/* Balanced, but deeper than any report: refused rather than recursed. */
	memset(deep, '[', 150);
	memset(deep + 150, ']', 150);
	deep[300] = '\0';
	cr_assert_not(parse(deep, &v));
	memset(deep, 0, sizeof deep);
	memset(deep, '[', 10);
	memset(deep + 10, ']', 10);
	cr_assert(parse(deep, &v));
	json_free(&v);
}

Test(json, truncated_line_is_rejected)
{
	const char *line = "{\"kind\":\"partial-unmap\",\"message\":\"cut here";
	jv v;

	cr_assert_not(json_parse(line, strlen(line), &v));
	cr_assert_not(json_parse("{\"a\":1}", 5, &v));
}
