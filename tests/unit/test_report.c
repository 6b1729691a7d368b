#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mapsan/machine.h"

static char buf[8192];

/* ---- a minimal JSON validator: the launcher parses what we write ---- */

typedef struct {
	const char *p;
	int depth;
} jp;

static bool j_value(jp *j);

static void j_ws(jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool j_string(jp *j)
{
	if (*j->p++ != '"')
		return false;
	while (*j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c == '\0' || c < 0x20)
			return false;
		if (c == '\\') {
			j->p++;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						return false;
				j->p += 4;
			} else if (!*j->p || !strchr("\"\\/bfnrt", *j->p)) {
				return false;
			}
		}
		j->p++;
	}
	j->p++;
	return true;
}

static bool j_number(jp *j)
{
	const char *s = j->p;
	if (*j->p == '-')
		j->p++;
	while (*j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s && !(j->p - s > 1 && *s == '0');
}

static bool j_container(jp *j, char close, bool object)
{
	j->p++;
	j_ws(j);
	if (*j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		j_ws(j);
		if (object) {
			if (!j_string(j))
				return false;
			j_ws(j);
			if (*j->p++ != ':')
				return false;
		}
		if (!j_value(j))
			return false;
		j_ws(j);
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static bool j_value(jp *j)
{
	j_ws(j);
	if (++j->depth > 32)
		return false;
	bool ok;
	switch (*j->p) {
	case '{': ok = j_container(j, '}', true); break;
	case '[': ok = j_container(j, ']', false); break;
	case '"': ok = j_string(j); break;
	case 't': ok = !strncmp(j->p, "true", 4) && (j->p += 4); break;
	case 'f': ok = !strncmp(j->p, "false", 5) && (j->p += 5); break;
	case 'n': ok = !strncmp(j->p, "null", 4) && (j->p += 4); break;
	default: ok = j_number(j); break;
	}
	j->depth--;
	return ok;
}

/* One object, then exactly one newline. */
static bool json_line_valid(const char *s)
{
	jp j = {s, 0};
	if (*s != '{' || !j_value(&j))
		return false;
	return strcmp(j.p, "\n") == 0;
}

Test(json_validator, rejects_broken_json)
{
	cr_assert(json_line_valid("{\"a\":[1,\"x\"]}\n"));
	cr_assert_not(json_line_valid("{\"a\":[1,\"x\"}\n"));
	cr_assert_not(json_line_valid("{\"a\":\"\x01\"}\n"));
	cr_assert_not(json_line_valid("{\"a\":1}"));
	cr_assert_not(json_line_valid("{\"a\":1}\n{}\n"));
}

/* ---- fixtures ---- */

static const ms_frame call_frames[] = {
	{.pc = 0x55d1c0a01234, .module = "/abs/libchunk.so", .offset = 0x1234,
	 .function = "chunk_trim", .file = "allocators/chunk.c", .line = 88},
	{.pc = 0x55d1c0a01456, .module = "/abs/libchunk.so", .offset = 0x1456,
	 .function = "chunk_alloc"},
	{.pc = 0x55d1c0a01789, .module = "/abs/libchunk.so", .offset = 0x1789},
};

static const ms_frame origin_frames[] = {
	{.pc = 0x55d1c0a01111, .module = "/abs/libchunk.so", .offset = 0x1111,
	 .function = "chunk_map", .file = "allocators/chunk.c", .line = 61},
};

static const ms_frame unmap_frames[] = {
	{.pc = 0x55d1c0a02222, .module = "/abs/libchunk.so", .offset = 0x2222,
	 .function = "chunk_free"},
};

static ms_report partial_unmap(void)
{
	return (ms_report){
		.kind = MS_KIND_PARTIAL_UNMAP,
		.call = MS_CALL_MUNMAP,
		.nargs = 2,
		.arg = {0x7f3a2c000000, 0x1000},
		.pid = 4242,
		.message = "mapping has size 8192, but munmap gave size 4096",
		.map_base = 0x7f3a2c000000,
		.map_size = 8192,
		.stack = {call_frames, 3},
		.origin = {origin_frames, 1},
	};
}

/* ---- text ---- */

Test(text, ub_report_with_origin)
{
	ms_report r = partial_unmap();
	size_t n = ms_report_text(buf, sizeof buf, &r);
	const char *want =
		"==4242==ERROR: mapsan: Undefined Behavior: partial-unmap: mapping has size 8192, but munmap gave size 4096\n"
		"    #0 0x55d1c0a01234 in chunk_trim allocators/chunk.c:88\n"
		"    #1 0x55d1c0a01456 in chunk_alloc (/abs/libchunk.so+0x1456)\n"
		"    #2 0x55d1c0a01789 (/abs/libchunk.so+0x1789)\n"
		"  the mapping [0x7f3a2c000000, +8192) was created here:\n"
		"    #0 0x55d1c0a01111 in chunk_map allocators/chunk.c:61\n"
		"SUMMARY: mapsan: partial-unmap in chunk_trim allocators/chunk.c:88\n";
	cr_assert_str_eq(buf, want);
	cr_assert_eq(n, strlen(want));
}

Test(text, unsupported_header)
{
	ms_report r = {.kind = MS_KIND_PROTECTION, .call = MS_CALL_MPROTECT, .pid = 7,
		       .message = "mprotect with PROT_NONE", .stack = {call_frames + 1, 1}};
	ms_report_text(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"==7==ERROR: mapsan: unsupported operation: protection: mprotect with PROT_NONE\n"
		"    #0 0x55d1c0a01456 in chunk_alloc (/abs/libchunk.so+0x1456)\n"
		"SUMMARY: mapsan: protection in chunk_alloc\n");
}

Test(text, warning_header_and_module_summary)
{
	ms_report r = {.kind = MS_KIND_LEAK, .call = MS_CALL_EXIT, .pid = 1,
		       .message = "8192 bytes still mapped", .stack = {call_frames + 2, 1}};
	ms_report_text(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"==1==WARNING: mapsan: leak: 8192 bytes still mapped\n"
		"    #0 0x55d1c0a01789 (/abs/libchunk.so+0x1789)\n"
		"SUMMARY: mapsan: leak (/abs/libchunk.so+0x1789)\n");
}

Test(text, no_stack_summary_names_the_call)
{
	ms_report r = {.kind = MS_KIND_UNMAP_UNTRACKED, .call = MS_CALL_MUNMAP, .pid = 3,
		       .message = "no mapping at 0x1000 (heap)"};
	ms_report_text(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"==3==ERROR: mapsan: Undefined Behavior: unmap-untracked: no mapping at 0x1000 (heap)\n"
		"SUMMARY: mapsan: unmap-untracked in munmap\n");
}

Test(text, unmapped_section_and_unknown_module)
{
	ms_frame f = {.pc = 0x10, .offset = 0x10};
	ms_report r = {.kind = MS_KIND_DOUBLE_UNMAP, .call = MS_CALL_MUNMAP, .pid = 9,
		       .message = "m", .map_base = 0x2000, .map_size = 4096,
		       .stack = {&f, 1}, .origin = {origin_frames, 1},
		       .unmapped = {unmap_frames, 1}};
	ms_report_text(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"==9==ERROR: mapsan: Undefined Behavior: double-unmap: m\n"
		"    #0 0x10 (<unknown module>+0x10)\n"
		"  the mapping [0x2000, +4096) was created here:\n"
		"    #0 0x55d1c0a01111 in chunk_map allocators/chunk.c:61\n"
		"  it was unmapped here:\n"
		"    #0 0x55d1c0a02222 in chunk_free (/abs/libchunk.so+0x2222)\n"
		"SUMMARY: mapsan: double-unmap (<unknown module>+0x10)\n");
}

Test(text, mapping_without_origin_stack)
{
	ms_report r = {.kind = MS_KIND_OUT_OF_BOUNDS, .call = MS_CALL_MADVISE, .pid = 2,
		       .message = "m", .map_base = 0x3000, .map_size = 8192};
	ms_report_text(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"==2==ERROR: mapsan: Undefined Behavior: out-of-bounds: m\n"
		"  the mapping [0x3000, +8192) was created at an unknown place (no stack recorded)\n"
		"SUMMARY: mapsan: out-of-bounds in madvise\n");
}

Test(text, origin_stack_without_range)
{
	ms_report r = {.kind = MS_KIND_FREE_OF_MAPPING, .call = MS_CALL_FREE, .pid = 2,
		       .message = "", .origin = {origin_frames, 1}};
	ms_report_text(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"==2==ERROR: mapsan: Undefined Behavior: free-of-mapping\n"
		"  the mapping was created here:\n"
		"    #0 0x55d1c0a01111 in chunk_map allocators/chunk.c:61\n"
		"SUMMARY: mapsan: free-of-mapping in free\n");
}

Test(text, file_without_line_or_function)
{
	ms_frame f = {.pc = 0x20, .module = "/m", .offset = 0x20, .file = "a.c"};
	ms_report r = {.kind = MS_KIND_MAP_FIXED, .call = MS_CALL_MMAP, .pid = 5,
		       .message = "x", .stack = {&f, 1}};
	ms_report_text(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"==5==ERROR: mapsan: unsupported operation: map-fixed: x\n"
		"    #0 0x20 a.c\n"
		"SUMMARY: mapsan: map-fixed a.c\n");
}

Test(text, truncation_is_safe_and_length_exact)
{
	ms_report r = partial_unmap();
	size_t full = ms_report_text(buf, sizeof buf, &r);
	cr_assert(full < sizeof buf);
	for (size_t cap = 0; cap <= full + 1; cap++) {
		char *big = malloc(cap + 16);
		memset(big, 'Z', cap + 16);
		size_t n = ms_report_text(big, cap, &r);
		cr_assert_eq(n, full);
		cr_assert_eq(big[cap], 'Z', "wrote past cap %zu", cap);
		if (cap) {
			cr_assert_eq(strlen(big), cap - 1 < full ? cap - 1 : full);
			cr_assert_eq(memcmp(big, buf, strlen(big)), 0);
		}
		free(big);
	}
}

/* ---- JSON ---- */

Test(json, exact_shape)
{
	ms_report r = partial_unmap();
	r.unmapped = (ms_stack){unmap_frames, 1};
	size_t n = ms_report_json(buf, sizeof buf, &r);
	const char *want =
		"{\"kind\":\"partial-unmap\",\"severity\":\"ub\",\"call\":\"munmap\","
		"\"args\":[\"0x7f3a2c000000\",\"0x1000\"],\"pid\":4242,"
		"\"message\":\"mapping has size 8192, but munmap gave size 4096\","
		"\"mapping\":{\"base\":\"0x7f3a2c000000\",\"size\":8192},"
		"\"stack\":["
		"{\"pc\":\"0x55d1c0a01234\",\"module\":\"/abs/libchunk.so\",\"offset\":\"0x1234\","
		"\"function\":\"chunk_trim\",\"file\":\"allocators/chunk.c\",\"line\":88},"
		"{\"pc\":\"0x55d1c0a01456\",\"module\":\"/abs/libchunk.so\",\"offset\":\"0x1456\","
		"\"function\":\"chunk_alloc\"},"
		"{\"pc\":\"0x55d1c0a01789\",\"module\":\"/abs/libchunk.so\",\"offset\":\"0x1789\"}],"
		"\"origin_stack\":[{\"pc\":\"0x55d1c0a01111\",\"module\":\"/abs/libchunk.so\","
		"\"offset\":\"0x1111\",\"function\":\"chunk_map\",\"file\":\"allocators/chunk.c\",\"line\":61}],"
		"\"unmap_stack\":[{\"pc\":\"0x55d1c0a02222\",\"module\":\"/abs/libchunk.so\","
		"\"offset\":\"0x2222\",\"function\":\"chunk_free\"}]}\n";
	cr_assert_str_eq(buf, want);
	cr_assert_eq(n, strlen(want));
	cr_assert(json_line_valid(buf));
}

Test(json, optional_sections_absent)
{
	ms_report r = {.kind = MS_KIND_MAP_FLAGS, .call = MS_CALL_MMAP, .nargs = 6,
		       .arg = {0, 4096, 3, 0x22 | 0x4000, (uint64_t)-1, 0}, .pid = 12,
		       .message = "flags"};
	ms_report_json(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"{\"kind\":\"map-flags\",\"severity\":\"unsupported\",\"call\":\"mmap\","
		"\"args\":[\"0x0\",\"0x1000\",\"0x3\",\"0x4022\",\"0xffffffffffffffff\",\"0x0\"],"
		"\"pid\":12,\"message\":\"flags\",\"stack\":[]}\n");
	cr_assert(json_line_valid(buf));
}

Test(json, warning_severity_and_null_fields)
{
	ms_report r = {.kind = MS_KIND_MSYNC_UNCHECKED, .call = MS_CALL_MSYNC, .pid = 1};
	ms_report_json(buf, sizeof buf, &r);
	cr_assert_str_eq(buf,
		"{\"kind\":\"msync-unchecked\",\"severity\":\"warning\",\"call\":\"msync\","
		"\"args\":[],\"pid\":1,\"message\":\"\",\"stack\":[]}\n");
}

Test(json, escaping)
{
	ms_frame f = {.pc = 1, .module = "/tmp/a \"b\"\\c.so", .offset = 1,
		      .function = "f\tg\n\x01\x1f"};
	ms_report r = {.kind = MS_KIND_UNMAP_UNTRACKED, .call = MS_CALL_MUNMAP, .pid = 1,
		       .message = "a \"quoted\" \\ path\r\x7f", .stack = {&f, 1}};
	ms_report_json(buf, sizeof buf, &r);
	cr_assert(json_line_valid(buf), "%s", buf);
	cr_assert_not_null(strstr(buf, "\"message\":\"a \\\"quoted\\\" \\\\ path\\u000d\\u007f\""));
	cr_assert_not_null(strstr(buf, "\"module\":\"/tmp/a \\\"b\\\"\\\\c.so\""));
	cr_assert_not_null(strstr(buf, "\"function\":\"f\\u0009g\\u000a\\u0001\\u001f\""));
}

Test(json, utf8_passes_through)
{
	ms_report r = {.kind = MS_KIND_LEAK, .call = MS_CALL_EXIT, .pid = 1,
		       .message = "caf\xc3\xa9"};
	ms_report_json(buf, sizeof buf, &r);
	cr_assert_not_null(strstr(buf, "\"message\":\"caf\xc3\xa9\""));
	cr_assert(json_line_valid(buf));
}

Test(json, negative_pid_and_line_only_when_known)
{
	ms_frame f = {.pc = 2, .module = "/m", .offset = 2, .file = "x.c"};
	ms_report r = {.kind = MS_KIND_LEAK, .call = MS_CALL_EXIT, .pid = -1,
		       .stack = {&f, 1}};
	ms_report_json(buf, sizeof buf, &r);
	cr_assert_not_null(strstr(buf, "\"pid\":-1,"));
	cr_assert_not_null(strstr(buf, "\"file\":\"x.c\"}"));
	cr_assert(json_line_valid(buf));
}

Test(json, truncation_is_safe_and_length_exact)
{
	ms_report r = partial_unmap();
	size_t full = ms_report_json(buf, sizeof buf, &r);
	cr_assert(full < sizeof buf);
	for (size_t cap = 0; cap <= full + 1; cap++) {
		char *big = malloc(cap + 16);
		memset(big, 'Z', cap + 16);
		size_t n = ms_report_json(big, cap, &r);
		cr_assert_eq(n, full);
		cr_assert_eq(big[cap], 'Z', "wrote past cap %zu", cap);
		if (cap) {
			cr_assert_eq(strlen(big), cap - 1 < full ? cap - 1 : full);
			cr_assert_eq(memcmp(big, buf, strlen(big)), 0);
		}
		free(big);
	}
}

Test(json, every_kind_renders_valid_json)
{
	for (int k = 1; k < MS_KIND_COUNT; k++) {
		ms_report r = partial_unmap();
		r.kind = (ms_kind)k;
		ms_report_json(buf, sizeof buf, &r);
		cr_assert(json_line_valid(buf), "kind %d: %s", k, buf);
		cr_assert_not_null(strstr(buf, ms_kind_name((ms_kind)k)));
		size_t n = ms_report_text(buf, sizeof buf, &r);
		cr_assert(n > 0 && buf[n - 1] == '\n');
		cr_assert_not_null(strstr(buf, "SUMMARY: mapsan: "));
	}
}
