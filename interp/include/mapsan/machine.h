/* The abstract machine of mapsan: a shadow table of mappings and the rules
 * of SPEC §3, as a pure library. It makes no syscalls, does no I/O and has no
 * global state; everything it needs from the OS comes through ms_os. */
#ifndef MAPSAN_MACHINE_H
#define MAPSAN_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MS_POLICY_MIRI, MS_POLICY_NATIVE } ms_policy;

typedef enum {
	MS_KIND_NONE = 0,
	MS_KIND_PARTIAL_UNMAP,
	MS_KIND_UNMAP_UNTRACKED,
	MS_KIND_DOUBLE_UNMAP,
	MS_KIND_USE_AFTER_UNMAP,
	MS_KIND_OUT_OF_BOUNDS,
	MS_KIND_FREE_OF_MAPPING,
	MS_KIND_MAP_FIXED_UNTRACKED,
	MS_KIND_FILE_MAPPING,
	MS_KIND_MAP_FIXED,
	MS_KIND_PROTECTION,
	MS_KIND_MAP_FLAGS,
	MS_KIND_MAP_OFFSET,
	MS_KIND_MADVISE_ADVICE,
	MS_KIND_MREMAP_FLAGS,
	MS_KIND_UNSUPPORTED_CALL,
	MS_KIND_LEAK,
	MS_KIND_MAP_BEYOND_EOF,
	MS_KIND_SHARED_WRITABLE_FILE,
	MS_KIND_FILE_TRUNCATED,
	MS_KIND_MSYNC_UNCHECKED,
	MS_KIND_COUNT
} ms_kind;

typedef enum { MS_SEV_UB, MS_SEV_UNSUPPORTED, MS_SEV_WARNING } ms_severity;

const char *ms_kind_name(ms_kind kind);          /* "partial-unmap" */
ms_severity ms_kind_severity(ms_kind kind);
const char *ms_severity_name(ms_severity sev);   /* "ub", "unsupported", "warning" */
/* Parses a kind name of len bytes; false when unknown. */
bool ms_kind_parse(const char *name, size_t len, ms_kind *out);

typedef enum {
	MS_CALL_MMAP,
	MS_CALL_MUNMAP,
	MS_CALL_MREMAP,
	MS_CALL_MPROTECT,
	MS_CALL_MADVISE,
	MS_CALL_FREE,
	MS_CALL_REALLOC,
	MS_CALL_MSYNC,
	MS_CALL_MLOCK,
	MS_CALL_MUNLOCK,
	MS_CALL_MLOCKALL,
	MS_CALL_MINCORE,
	MS_CALL_PKEY_MPROTECT,
	MS_CALL_REMAP_FILE_PAGES,
	MS_CALL_POSIX_MADVISE,
	MS_CALL_BRK,
	MS_CALL_SBRK,
	MS_CALL_ACCESS, /* a faulting load or store (use-after-unmap, file-truncated) */
	MS_CALL_EXIT,   /* end of process (leak) */
	MS_CALL_COUNT
} ms_call_id;

const char *ms_call_name(ms_call_id id); /* "munmap" */
bool ms_call_parse(const char *name, size_t len, ms_call_id *out);

/* What the runtime learned about the file behind an mmap with fd != -1. */
typedef struct {
	bool valid;        /* the facts below were gathered */
	bool regular;      /* a regular file or memfd */
	bool sealed;       /* memfd with F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE */
	bool verity;       /* fs-verity enabled */
	uint64_t size;     /* st_size */
} ms_file_facts;

/* One intercepted call, arguments exactly as the program passed them.
 *   mmap:     addr, len, prot, flags, fd (sign-extended int), off
 *   munmap:   addr, len
 *   mremap:   old, old_size, new_size, flags, new_addr (nargs 4 or 5)
 *   mprotect: addr, len, prot          madvise: addr, len, advice
 *   free:     ptr                       realloc: ptr, size
 *   access:   fault address             others:  their own arguments */
typedef struct {
	ms_call_id id;
	unsigned nargs;
	uint64_t arg[6];
	uint32_t stack;      /* depot id of the calling stack, 0 = none */
	ms_file_facts file;  /* mmap with a file descriptor */
} ms_call;

typedef enum {
	MS_ACT_FORWARD, /* no objection: forward the call */
	MS_ACT_FAIL,    /* fail with err, without a syscall (Miri's errno) */
	MS_ACT_REPORT   /* report kind; then halt, or forward and carry on */
} ms_action;

#define MS_MESSAGE_MAX 256

typedef struct {
	ms_action action;
	int err;                 /* MS_ACT_FAIL */
	ms_kind kind;            /* MS_ACT_REPORT */
	ms_severity severity;
	uint64_t map_base;       /* the mapping or dead range concerned, 0 if none */
	uint64_t map_size;
	uint32_t origin_stack;   /* where that mapping was created */
	uint32_t unmap_stack;    /* where it was unmapped (dead ranges) */
	char message[MS_MESSAGE_MAX]; /* Miri's words, e.g. "mapping has size 8192, but munmap gave size 4096" */
} ms_verdict;

/* The model's one OS contract. */
typedef struct {
	void *ctx;
	/* Memory for the table's nodes, in chunks. Never on a hot path: the
	 * table grows a chunk at a time and reuses freed nodes. */
	void *(*alloc)(void *ctx, size_t bytes);
	void (*release)(void *ctx, void *p, size_t bytes);
	/* Policy native, MAP_FIXED: is any page of [base, base+len) mapped by
	 * someone other than the program (memory the table does not track and the
	 * runtime does not hold in quarantine)? The model asks only about
	 * page ranges that no live mapping covers. NULL means "no". */
	bool (*range_foreign)(void *ctx, uint64_t base, uint64_t len);
} ms_os;

typedef struct {
	size_t page_size;        /* power of two */
	ms_policy policy;
	bool allow_sealed_files;
	bool check_msync;
	size_t dead_limit;       /* dead ranges kept; 0 picks 65536 */
	ms_os os;
} ms_config;

typedef struct ms_machine ms_machine;

/* Page arithmetic of SPEC §3, for a power-of-two page size (false for any
 * other). ms_round_len is round(len): false when it overflows or exceeds
 * PTRDIFF_MAX. ms_page_range gives the end of the page range a kernel call
 * on (addr, len) acts on, or false when the kernel refuses those arguments
 * itself: addr unaligned, len 0, round(len) failing, or a range that wraps. */
bool ms_round_len(uint64_t page_size, uint64_t len, uint64_t *out);
bool ms_page_range(uint64_t page_size, uint64_t addr, uint64_t len, uint64_t *end);

/* NULL when os.alloc fails or the config is invalid. */
ms_machine *ms_machine_create(const ms_config *cfg);
void ms_machine_destroy(ms_machine *m);
const ms_config *ms_machine_config(const ms_machine *m);

/* Judges a call before it is forwarded. Pure: the table is not changed. */
void ms_check(const ms_machine *m, const ms_call *call, ms_verdict *out);

/* Mirrors what the kernel did (SPEC §3.4). result is the forwarded call's
 * return value: an address for mmap/mremap, 0 for success, or (uint64_t)-errno
 * for failure, in which case nothing changes. Returns false when the table
 * could not grow (os.alloc failed); the table stays consistent. */
bool ms_record(ms_machine *m, const ms_call *call, uint64_t result);

/* [base, base + round(len)) was mapped by someone the table does not
 * follow (the runtime's own memory): it is neither the program's mapping nor
 * dead memory any more, so it leaves both tables. Returns false when the
 * table could not grow to split a range; the table stays consistent. */
bool ms_forget(ms_machine *m, uint64_t base, uint64_t len);

/* A live mapping or a dead range. */
typedef struct {
	uint64_t base;
	uint64_t size;
	uint32_t origin_stack;
	uint32_t unmap_stack;   /* dead ranges only */
	uint32_t map_flags;
	uint8_t prot;
	bool file;
} ms_range_info;

bool ms_find_live(const ms_machine *m, uint64_t addr, ms_range_info *out);
bool ms_find_dead(const ms_machine *m, uint64_t addr, ms_range_info *out);
/* The lowest live mapping that ends above addr (contains it or follows it). */
bool ms_first_live_from(const ms_machine *m, uint64_t addr, ms_range_info *out);
size_t ms_live_count(const ms_machine *m);
size_t ms_dead_count(const ms_machine *m);
/* Bytes the table holds for its nodes (live and dead), excluding free chunks. */
size_t ms_table_bytes(const ms_machine *m);

/* Visits live mappings in address order; stop early by returning false. */
void ms_for_each_live(const ms_machine *m,
		      bool (*fn)(void *ctx, const ms_range_info *r), void *ctx);

/* Verdicts for events the runtime observes rather than calls it judges. */
void ms_check_access(const ms_machine *m, uint64_t addr, ms_verdict *out);   /* use-after-unmap / file-truncated */
void ms_check_leak(const ms_machine *m, const ms_range_info *r, ms_verdict *out);

/* ---- Reports as data, and their two renderings ---- */

typedef struct {
	uint64_t pc;
	const char *module;    /* path, or NULL */
	uint64_t offset;       /* pc - module base */
	const char *function;  /* NULL when unknown */
	const char *file;      /* NULL when unknown */
	unsigned line;         /* 0 when unknown */
} ms_frame;

typedef struct {
	const ms_frame *frames;
	size_t count;
} ms_stack;

typedef struct {
	ms_kind kind;
	ms_call_id call;
	unsigned nargs;
	uint64_t arg[6];
	int pid;
	const char *message;
	uint64_t map_base, map_size; /* 0 when no mapping is concerned */
	ms_stack stack;              /* the call (or the faulting access) */
	ms_stack origin;             /* where the mapping was created */
	ms_stack unmapped;           /* where it was unmapped */
} ms_report;

/* Render into buf (always NUL-terminated when cap > 0). Return the length the
 * whole rendering needs, like snprintf. Text ends with the SUMMARY line and a
 * newline; JSON is one object on one line ending with a newline. */
size_t ms_report_text(char *buf, size_t cap, const ms_report *r);
size_t ms_report_json(char *buf, size_t cap, const ms_report *r);

#ifdef __cplusplus
}
#endif
#endif
