/* The launcher, build/bin/mapsan, around real programs. */
#include "expect.h"

#include <regex.h>
#include <stdlib.h>

TestSuite(launcher, .timeout = 60);

/* The launcher sets LD_PRELOAD itself; the test sets nothing. */
#define BARE (&(it_opts){.raw_options = true, .preload = ""})

static char *both(const it_run *r)
{
	size_t len = strlen(r->out) + strlen(r->err) + 2;
	char *all = malloc(len);
	snprintf(all, len, "%s\n%s", r->out, r->err);
	return all;
}

static bool matches(const char *text, const char *pattern)
{
	regex_t re;
	cr_assert_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE), 0);
	bool hit = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return hit;
}

Test(launcher, chunk_demo_symbolized)
{
	it_run r = {0};
	it_run_prog(&r, BARE, IT_LAUNCHER, "--", IT_CHUNK_DEMO);
	expect_exit(&r, 66);
	char *all = both(&r);
	cr_assert(matches(all, "ERROR: mapsan: .*partial-unmap"), "%s", all);
	cr_assert(matches(all, "#0 0x[0-9a-f]+ in "), "frames: %s", all);
	cr_assert(matches(all, "in chunk_trim [^ ]*allocators/chunk\\.c:[0-9]+"),
		  "the trim's frame has file and line: %s", all);
	cr_assert(matches(all, "in chunk_alloc [^ ]*allocators/chunk\\.c:[0-9]+"), "%s", all);
	cr_assert(matches(all, "in chunk_map [^ ]*allocators/chunk\\.c:[0-9]+"),
		  "the origin stack is symbolized too: %s", all);
	cr_assert(matches(all, "SUMMARY: mapsan: partial-unmap"), "%s", all);
	cr_assert(!strstr(r.out, "checksum"), "halted at the first trim");
	free(all);
	it_run_free(&r);
}

/* The line in allocators/buggy.c that holds marker. */
static int buggy_line(const char *marker)
{
	const char *path = IT_BUGGY_SOURCE;
	FILE *f = fopen(path, "r");
	cr_assert(f, "cannot read %s", path);
	char line[512];
	int n = 0, found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, marker))
			found = n;
	}
	fclose(f);
	cr_assert(found, "no %s in %s", marker, path);
	return found;
}

/* The access stack's innermost frame is the faulting instruction itself,
 * not a return address: it must name the access's own line, while the
 * unmapping stack names the munmap call's. */
Test(launcher, use_after_unmap_names_the_access_line)
{
	it_run r = {0};
	it_run_prog(&r, BARE, IT_LAUNCHER, "--", IT_BUGGY_DEMO, "use");
	expect_exit(&r, 66);
	char *all = both(&r), want[128];
	snprintf(want, sizeof want, "SUMMARY: mapsan: use-after-unmap in buggy_use_after_unmap [^ ]*buggy\\.c:%d$",
		 buggy_line("BUGGY-USE"));
	cr_assert(matches(all, want), "want %s in: %s", want, all);
	snprintf(want, sizeof want, "unmapped here:\n +#0 0x[0-9a-f]+ in buggy_use_after_unmap [^ ]*buggy\\.c:%d$",
		 buggy_line("BUGGY-UNMAP"));
	cr_assert(matches(all, want), "want %s in: %s", want, all);
	free(all);
	it_run_free(&r);
}

Test(launcher, chunk_demo_native_clean)
{
	it_run r = {0};
	it_run_prog(&r, BARE, IT_LAUNCHER, "--policy", "native", "--", IT_CHUNK_DEMO);
	expect_exit(&r, 0);
	expect_out(&r, "checksum 20");
	char *all = both(&r);
	cr_assert(!strstr(all, "ERROR"), "%s", all);
	free(all);
	it_run_free(&r);
}

Test(launcher, keeps_command_status)
{
	it_run r = {0};
	it_run_prog(&r, BARE, IT_LAUNCHER, "--", "/bin/sh", "-c", "exit 3");
	expect_exit(&r, 3);
	it_run_free(&r);
}

Test(launcher, keep_going_and_json)
{
	it_run r = {0};
	it_prepare(&r);
	char json_path[256];
	snprintf(json_path, sizeof json_path, "%s/out.json", r.dir);
	it_run_prog(&r, BARE, IT_LAUNCHER, "--keep-going", "--json", json_path, "--",
		    IT_CHUNK_DEMO);
	expect_out(&r, "checksum 20");
	expect_exit(&r, 66);
	size_t len;
	char *text = it_slurp(json_path, &len);
	cr_assert(text, "--json wrote %s", json_path);
	cr_assert(strstr(text, "partial-unmap"), "%s", text);
	/* One JSON object per line, or one JSON document: either parses. */
	json *doc = json_parse(text, len);
	if (!doc) {
		char *line = strtok(text, "\n");
		cr_assert(line);
		for (; line; line = strtok(NULL, "\n")) {
			json *v = json_parse(line, strlen(line));
			cr_assert(v, "not JSON: %s", line);
			json_free(v);
		}
	}
	json_free(doc);
	free(text);
	it_run_free(&r);
}

Test(launcher, sarif)
{
	it_run r = {0};
	it_prepare(&r);
	char path[256];
	snprintf(path, sizeof path, "%s/out.sarif", r.dir);
	it_run_prog(&r, BARE, IT_LAUNCHER, "--sarif", path, "--", IT_BUGGY_DEMO, "double");
	expect_exit(&r, 66);
	size_t len;
	char *text = it_slurp(path, &len);
	cr_assert(text, "--sarif wrote %s", path);
	json *doc = json_parse(text, len);
	cr_assert(doc, "SARIF is JSON");
	cr_assert_str_eq(json_get_str(doc, "version"), "2.1.0");
	const json *runs = json_get(doc, "runs");
	cr_assert(runs && runs->type == JSON_ARRAY && runs->count >= 1);
	const json *results = json_get(runs->items[0], "results");
	cr_assert(results && results->type == JSON_ARRAY && results->count == 1,
		  "one result: %s", text);
	cr_assert_str_eq(json_get_str(results->items[0], "ruleId"), "double-unmap");
	json_free(doc);
	free(text);
	it_run_free(&r);
}

Test(launcher, collects_children)
{
	it_run r = {0};
	it_run_prog(&r, BARE, IT_LAUNCHER, "--", PROG("fork_child_err"));
	expect_out(&r, "done");
	expect_exit(&r, 66);
	char *all = both(&r);
	cr_assert(matches(all, "ERROR: mapsan: .*double-unmap"), "the child's report: %s", all);
	free(all);
	it_run_free(&r);
}

Test(launcher, prepends_to_ld_preload)
{
	it_run r = {0};
	char env[512];
	snprintf(env, sizeof env, "LD_PRELOAD=%s", IT_JEMALLOC);
	it_run_prog(&r, &(it_opts){.raw_options = true, .preload = "",
				   .env = (const char *const[]){env, NULL}},
		    IT_LAUNCHER, "--policy", "native", "--", PROG("show_preload"));
	expect_exit(&r, 0);
	expect_out(&r, "mapsan loaded, jemalloc loaded");
	const char *line = strstr(r.out, "LD_PRELOAD=");
	cr_assert(line, RUN_CONTEXT(&r));
	const char *m = strstr(line, "libmapsan.so"), *j = strstr(line, "libjemalloc");
	cr_assert(m && j && m < j, "the runtime comes first: %s", line);
	it_run_free(&r);
}
