/* Kind and call names, severities and parsing (SPEC §3.3). */
#include <criterion/criterion.h>
#include <string.h>

#include <mapsan/machine.h>

static const struct {
	ms_kind kind;
	const char *name;
	ms_severity sev;
} kinds[] = {
	{ MS_KIND_PARTIAL_UNMAP, "partial-unmap", MS_SEV_UB },
	{ MS_KIND_UNMAP_UNTRACKED, "unmap-untracked", MS_SEV_UB },
	{ MS_KIND_DOUBLE_UNMAP, "double-unmap", MS_SEV_UB },
	{ MS_KIND_USE_AFTER_UNMAP, "use-after-unmap", MS_SEV_UB },
	{ MS_KIND_OUT_OF_BOUNDS, "out-of-bounds", MS_SEV_UB },
	{ MS_KIND_FREE_OF_MAPPING, "free-of-mapping", MS_SEV_UB },
	{ MS_KIND_MAP_FIXED_UNTRACKED, "map-fixed-untracked", MS_SEV_UB },
	{ MS_KIND_FILE_MAPPING, "file-mapping", MS_SEV_UNSUPPORTED },
	{ MS_KIND_MAP_FIXED, "map-fixed", MS_SEV_UNSUPPORTED },
	{ MS_KIND_PROTECTION, "protection", MS_SEV_UNSUPPORTED },
	{ MS_KIND_MAP_FLAGS, "map-flags", MS_SEV_UNSUPPORTED },
	{ MS_KIND_MAP_OFFSET, "map-offset", MS_SEV_UNSUPPORTED },
	{ MS_KIND_MADVISE_ADVICE, "madvise-advice", MS_SEV_UNSUPPORTED },
	{ MS_KIND_MREMAP_FLAGS, "mremap-flags", MS_SEV_UNSUPPORTED },
	{ MS_KIND_UNSUPPORTED_CALL, "unsupported-call", MS_SEV_UNSUPPORTED },
	{ MS_KIND_LEAK, "leak", MS_SEV_WARNING },
	{ MS_KIND_MAP_BEYOND_EOF, "map-beyond-eof", MS_SEV_WARNING },
	{ MS_KIND_SHARED_WRITABLE_FILE, "shared-writable-file", MS_SEV_WARNING },
	{ MS_KIND_FILE_TRUNCATED, "file-truncated", MS_SEV_WARNING },
	{ MS_KIND_MSYNC_UNCHECKED, "msync-unchecked", MS_SEV_WARNING },
};

#define N_KINDS (sizeof kinds / sizeof kinds[0])

Test(kinds, table_covers_every_kind)
{
	cr_assert_eq(N_KINDS, MS_KIND_COUNT - 1, "SPEC §3.3 lists %zu kinds, enum has %d",
		     N_KINDS, MS_KIND_COUNT - 1);
	for (size_t i = 0; i < N_KINDS; i++)
		for (size_t j = i + 1; j < N_KINDS; j++)
			cr_assert_neq(kinds[i].kind, kinds[j].kind);
}

Test(kinds, names)
{
	for (size_t i = 0; i < N_KINDS; i++) {
		const char *got = ms_kind_name(kinds[i].kind);
		cr_expect(got && strcmp(got, kinds[i].name) == 0, "kind %d: want %s, got %s",
			  kinds[i].kind, kinds[i].name, got ? got : "(null)");
	}
}

Test(kinds, severities)
{
	for (size_t i = 0; i < N_KINDS; i++)
		cr_expect_eq(ms_kind_severity(kinds[i].kind), kinds[i].sev,
			     "%s: wrong severity %d", kinds[i].name,
			     ms_kind_severity(kinds[i].kind));
}

Test(kinds, severity_names)
{
	cr_expect_str_eq(ms_severity_name(MS_SEV_UB), "ub");
	cr_expect_str_eq(ms_severity_name(MS_SEV_UNSUPPORTED), "unsupported");
	cr_expect_str_eq(ms_severity_name(MS_SEV_WARNING), "warning");
}

Test(kinds, parse_round_trip)
{
	for (size_t i = 0; i < N_KINDS; i++) {
		ms_kind k = MS_KIND_NONE;
		const char *name = kinds[i].name;
		cr_expect(ms_kind_parse(name, strlen(name), &k), "%s does not parse", name);
		cr_expect_eq(k, kinds[i].kind, "%s parses to %d", name, k);
	}
}

Test(kinds, parse_uses_length_not_nul)
{
	ms_kind k = MS_KIND_NONE;
	const char *line = "double-unmap:my_func*";
	cr_expect(ms_kind_parse(line, strlen("double-unmap"), &k));
	cr_expect_eq(k, MS_KIND_DOUBLE_UNMAP);
	/* A prefix of a name is not that name. */
	cr_expect_not(ms_kind_parse("double", 6, &k));
	cr_expect_not(ms_kind_parse("leak", 3, &k));
}

Test(kinds, parse_rejects_unknown)
{
	static const char *bad[] = { "", "partial_unmap", "Partial-Unmap", "leaks",
				     "partial-unmap ", "ub", "none" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ms_kind k = MS_KIND_NONE;
		cr_expect_not(ms_kind_parse(bad[i], strlen(bad[i]), &k), "\"%s\" parsed", bad[i]);
	}
}

static const struct {
	ms_call_id id;
	const char *name;
} calls[] = {
	{ MS_CALL_MMAP, "mmap" },
	{ MS_CALL_MUNMAP, "munmap" },
	{ MS_CALL_MREMAP, "mremap" },
	{ MS_CALL_MPROTECT, "mprotect" },
	{ MS_CALL_MADVISE, "madvise" },
	{ MS_CALL_FREE, "free" },
	{ MS_CALL_REALLOC, "realloc" },
	{ MS_CALL_MSYNC, "msync" },
	{ MS_CALL_MLOCK, "mlock" },
	{ MS_CALL_MUNLOCK, "munlock" },
	{ MS_CALL_MLOCKALL, "mlockall" },
	{ MS_CALL_MINCORE, "mincore" },
	{ MS_CALL_PKEY_MPROTECT, "pkey_mprotect" },
	{ MS_CALL_REMAP_FILE_PAGES, "remap_file_pages" },
	{ MS_CALL_POSIX_MADVISE, "posix_madvise" },
	{ MS_CALL_BRK, "brk" },
	{ MS_CALL_SBRK, "sbrk" },
};

#define N_CALLS (sizeof calls / sizeof calls[0])

Test(calls, names_and_parse)
{
	for (size_t i = 0; i < N_CALLS; i++) {
		const char *got = ms_call_name(calls[i].id);
		cr_expect(got && strcmp(got, calls[i].name) == 0, "call %d: want %s, got %s",
			  calls[i].id, calls[i].name, got ? got : "(null)");
		ms_call_id id = MS_CALL_COUNT;
		cr_expect(ms_call_parse(calls[i].name, strlen(calls[i].name), &id),
			  "%s does not parse", calls[i].name);
		cr_expect_eq(id, calls[i].id, "%s parses to %d", calls[i].name, id);
	}
}

Test(calls, every_call_round_trips)
{
	for (int id = 0; id < MS_CALL_COUNT; id++) {
		const char *name = ms_call_name((ms_call_id)id);
		cr_assert(name && *name, "call %d has no name", id);
		ms_call_id back = MS_CALL_COUNT;
		cr_expect(ms_call_parse(name, strlen(name), &back), "%s does not parse", name);
		cr_expect_eq(back, (ms_call_id)id, "%s parses to %d, not %d", name, back, id);
	}
}

Test(calls, parse_rejects_unknown)
{
	static const char *bad[] = { "", "mmap2", "MMAP", "munma", "mremap ", "malloc" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ms_call_id id;
		cr_expect_not(ms_call_parse(bad[i], strlen(bad[i]), &id), "\"%s\" parsed", bad[i]);
	}
}

Test(calls, mmap64_is_mmap)
{
	/* SPEC §3.1 judges mmap and mmap64 alike; a trace may name either. */
	ms_call_id id = MS_CALL_COUNT;
	if (ms_call_parse("mmap64", 6, &id))
		cr_expect_eq(id, MS_CALL_MMAP);
}
