/* Interfaces between the parts of libmapsan.so. Everything here is safe to
 * call from an interceptor: no malloc, no stdio, raw syscalls only. */
#ifndef MAPSAN_RUNTIME_H
#define MAPSAN_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapsan/machine.h"

#define SHIM_PATH_MAX 4096

/* The interposed entry points; everything else in the runtime is hidden. */
#define MAPSAN_EXPORT __attribute__((visibility("default")))

/* ---- options.c: MAPSAN_OPTIONS (SPEC §2) ---- */
typedef struct {
	ms_policy policy;
	bool halt_on_error;
	int exitcode;
	bool abort_on_error;
	char log_path[SHIM_PATH_MAX];   /* empty: stderr */
	bool log_json;
	unsigned stack_depth;           /* 0: no capture; at most 64 */
	uint64_t quarantine_mb;
	uint32_t ignore_mask;           /* bit (1u << kind) */
	char suppressions[SHIM_PATH_MAX];
	bool detect_leaks;
	uint64_t fail_mmap_nth;         /* 0: off */
	double fail_mmap_share;         /* 0 <= share <= 1; 0: off */
	uint64_t seed;
	bool default_suppressions;
	bool allow_sealed_files;
	bool halt_on_warnings;
	bool check_msync;
} shim_options;

extern shim_options shim_opts;

/* Parses secure_getenv("MAPSAN_OPTIONS") into shim_opts. A bad key or value
 * prints one line naming it and _exit(2)s; help=1 prints every option with
 * its default and _exit(0)s. Idempotent and callable before the constructor. */
void options_load(void);
/* Parses one options string (for tests); returns 0, 1 when help=1 was given,
 * or -1 with the error line (no newline) in err. */
int options_parse(const char *text, shim_options *out, char *err, size_t errcap);

/* ---- depot.c: stacks, stored once ---- */
/* Captures the calling stack (skipping `skip` innermost frames), stores it
 * deduplicated and returns its id; 0 when stack_depth is 0 or on failure.
 * Lock-free for readers; safe against re-entry. */
uint32_t depot_capture(unsigned skip);
/* Frames of a stored stack; count 0 for id 0 or an unknown id. */
size_t depot_get(uint32_t id, const uintptr_t **pcs);
size_t depot_bytes(void);

/* ---- symbolize.c: pc -> module, offset, function, in process ---- */
void symbolize_pc(uintptr_t pc, ms_frame *out);

/* ---- report.c: formatting, filtering, writing ---- */
typedef struct {
	const ms_verdict *verdict;
	const ms_call *call;
	uint32_t origin_stack;    /* verdict's, repeated for clarity */
	uint32_t unmap_stack;
	const char *what_memory;  /* unmap-untracked: from /proc/self/maps, or NULL */
} shim_event;

/* Applies `ignore` and suppressions, then writes the report whole with one
 * write(2) to stderr or the log file. Returns true when a report was written
 * (not ignored or suppressed). */
bool report_emit(const shim_event *ev);
/* Ends the process as halt_on_error demands: abort() or _exit(exitcode). */
_Noreturn void report_halt(void);
/* Describes the memory at addr from /proc/self/maps ("heap", "stack of
 * thread 123", "/usr/lib/libc.so.6", "unmapped"). Error path only. */
void describe_memory(uint64_t addr, char *buf, size_t cap);
/* The bounds of the kernel mapping (one /proc/self/maps line) holding addr.
 * Error path only. */
bool maps_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi);

#endif
