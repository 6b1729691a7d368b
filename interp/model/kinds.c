#include <string.h>

#include "mapsan/machine.h"

static const struct {
	const char *name;
	ms_severity severity;
} kind_table[MS_KIND_COUNT] = {
	[MS_KIND_NONE] = {"none", MS_SEV_WARNING},
	[MS_KIND_PARTIAL_UNMAP] = {"partial-unmap", MS_SEV_UB},
	[MS_KIND_UNMAP_UNTRACKED] = {"unmap-untracked", MS_SEV_UB},
	[MS_KIND_DOUBLE_UNMAP] = {"double-unmap", MS_SEV_UB},
	[MS_KIND_USE_AFTER_UNMAP] = {"use-after-unmap", MS_SEV_UB},
	[MS_KIND_OUT_OF_BOUNDS] = {"out-of-bounds", MS_SEV_UB},
	[MS_KIND_FREE_OF_MAPPING] = {"free-of-mapping", MS_SEV_UB},
	[MS_KIND_MAP_FIXED_UNTRACKED] = {"map-fixed-untracked", MS_SEV_UB},
	[MS_KIND_FILE_MAPPING] = {"file-mapping", MS_SEV_UNSUPPORTED},
	[MS_KIND_MAP_FIXED] = {"map-fixed", MS_SEV_UNSUPPORTED},
	[MS_KIND_PROTECTION] = {"protection", MS_SEV_UNSUPPORTED},
	[MS_KIND_MAP_FLAGS] = {"map-flags", MS_SEV_UNSUPPORTED},
	[MS_KIND_MAP_OFFSET] = {"map-offset", MS_SEV_UNSUPPORTED},
	[MS_KIND_MADVISE_ADVICE] = {"madvise-advice", MS_SEV_UNSUPPORTED},
	[MS_KIND_MREMAP_FLAGS] = {"mremap-flags", MS_SEV_UNSUPPORTED},
	[MS_KIND_UNSUPPORTED_CALL] = {"unsupported-call", MS_SEV_UNSUPPORTED},
	[MS_KIND_LEAK] = {"leak", MS_SEV_WARNING},
	[MS_KIND_MAP_BEYOND_EOF] = {"map-beyond-eof", MS_SEV_WARNING},
	[MS_KIND_SHARED_WRITABLE_FILE] = {"shared-writable-file", MS_SEV_WARNING},
	[MS_KIND_FILE_TRUNCATED] = {"file-truncated", MS_SEV_WARNING},
	[MS_KIND_MSYNC_UNCHECKED] = {"msync-unchecked", MS_SEV_WARNING},
};

static const char *const call_names[MS_CALL_COUNT] = {
	[MS_CALL_MMAP] = "mmap",
	[MS_CALL_MUNMAP] = "munmap",
	[MS_CALL_MREMAP] = "mremap",
	[MS_CALL_MPROTECT] = "mprotect",
	[MS_CALL_MADVISE] = "madvise",
	[MS_CALL_FREE] = "free",
	[MS_CALL_REALLOC] = "realloc",
	[MS_CALL_MSYNC] = "msync",
	[MS_CALL_MLOCK] = "mlock",
	[MS_CALL_MUNLOCK] = "munlock",
	[MS_CALL_MLOCKALL] = "mlockall",
	[MS_CALL_MINCORE] = "mincore",
	[MS_CALL_PKEY_MPROTECT] = "pkey_mprotect",
	[MS_CALL_REMAP_FILE_PAGES] = "remap_file_pages",
	[MS_CALL_POSIX_MADVISE] = "posix_madvise",
	[MS_CALL_BRK] = "brk",
	[MS_CALL_SBRK] = "sbrk",
	[MS_CALL_ACCESS] = "access",
	[MS_CALL_EXIT] = "exit",
};

const char *ms_kind_name(ms_kind kind)
{
	return (unsigned)kind < MS_KIND_COUNT ? kind_table[kind].name : "unknown";
}

ms_severity ms_kind_severity(ms_kind kind)
{
	return (unsigned)kind < MS_KIND_COUNT ? kind_table[kind].severity : MS_SEV_WARNING;
}

const char *ms_severity_name(ms_severity sev)
{
	switch (sev) {
	case MS_SEV_UB: return "ub";
	case MS_SEV_UNSUPPORTED: return "unsupported";
	case MS_SEV_WARNING: return "warning";
	}
	return "unknown";
}

static bool name_equals(const char *name, const char *text, size_t len)
{
	return strlen(name) == len && memcmp(name, text, len) == 0;
}

bool ms_kind_parse(const char *name, size_t len, ms_kind *out)
{
	for (unsigned k = MS_KIND_NONE + 1; k < MS_KIND_COUNT; k++) {
		if (name_equals(kind_table[k].name, name, len)) {
			*out = (ms_kind)k;
			return true;
		}
	}
	return false;
}

const char *ms_call_name(ms_call_id id)
{
	return (unsigned)id < MS_CALL_COUNT ? call_names[id] : "unknown";
}

bool ms_call_parse(const char *name, size_t len, ms_call_id *out)
{
	for (unsigned c = 0; c < MS_CALL_COUNT; c++) {
		if (name_equals(call_names[c], name, len)) {
			*out = (ms_call_id)c;
			return true;
		}
	}
	return false;
}
