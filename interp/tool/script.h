/* A parsed trace or script (FORMAT.md): header directives, then statements
 * whose addresses are values relative to symbols. */
#ifndef MAPSAN_TOOL_SCRIPT_H
#define MAPSAN_TOOL_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapsan/machine.h"

#define SN_MAX_ARGS 6
#define SN_MAX_FFI_ARGS 12
#define SN_MAX_FOREIGN 64

typedef struct {
	int sym;       /* symbol index, or -1 for a plain number */
	uint64_t off;  /* the number, or the offset from sym */
	unsigned col;
} sn_value;

typedef enum { SN_RES_NONE, SN_RES_FRESH, SN_RES_VALUE, SN_RES_ERRNO } sn_res_kind;

typedef struct {
	sn_res_kind kind;
	sn_value value; /* SN_RES_VALUE */
	int err;        /* SN_RES_ERRNO */
} sn_result;

typedef enum { SN_C_VOID, SN_C_INT, SN_C_LONG, SN_C_SIZE, SN_C_U64, SN_C_PTR } sn_ctype;

typedef enum { SN_CALL, SN_EXPECT, SN_LOAD, SN_FFI } sn_stmt_kind;

typedef struct {
	sn_stmt_kind kind;
	unsigned line;
	unsigned col;          /* where the statement's verb starts */
	int def;               /* symbol the line names, or -1 */
	/* SN_CALL */
	ms_call_id call;
	unsigned nargs;
	sn_value arg[SN_MAX_ARGS];
	ms_file_facts file;
	sn_result result;
	/* SN_EXPECT: MS_KIND_NONE means "clean" */
	ms_kind expect;
	/* SN_LOAD: the path; SN_FFI: the function name */
	char *text;
	/* SN_FFI */
	unsigned nffi;
	sn_ctype ffi_type[SN_MAX_FFI_ARGS];
	sn_value ffi_arg[SN_MAX_FFI_ARGS];
	sn_ctype ffi_ret;
} sn_stmt;

typedef struct {
	uint64_t base, len;
} sn_region;

typedef struct {
	const char *file;
	char *buf;             /* the file's text, split into lines in place */
	char **lines;          /* the source, for minimize's output */
	size_t nlines;
	unsigned *header;      /* line numbers of header directives */
	size_t nheader;
	sn_stmt *stmts;
	size_t count;
	char **syms;
	int *sym_def;          /* statement defining each symbol */
	size_t nsyms;
	size_t page;
	bool policy_set;
	ms_policy policy;
	bool check_msync, allow_sealed_files;
	sn_region foreign[SN_MAX_FOREIGN];
	size_t nforeign;
} sn_script;

typedef enum { SN_MODE_REPLAY, SN_MODE_RUN } sn_mode;

typedef struct {
	unsigned line, col;
	char msg[256];
} sn_error;

/* Reads and parses FILE; false with err set on bad input. */
bool script_load(sn_script *s, const char *file, sn_mode mode, sn_error *err);
bool script_parse(sn_script *s, const char *file, char *text, sn_mode mode, sn_error *err);
void script_free(sn_script *s);
void error_print(const char *file, const sn_error *err);
/* script_load that prints the error line itself (and frees what it had). */
bool script_open(sn_script *s, const char *file, sn_mode mode);

/* Symbolic names (names.c). */
typedef enum {
	SN_NAMES_PROT,
	SN_NAMES_MAP,
	SN_NAMES_MREMAP,
	SN_NAMES_MADV,
	SN_NAMES_POSIX_MADV,
	SN_NAMES_MS,
	SN_NAMES_MCL,
	SN_NAMES_COUNT
} sn_names;

bool name_lookup(sn_names set, const char *name, size_t len, uint64_t *out);
const char *names_title(sn_names set);
bool errno_lookup(const char *name, size_t len, int *out);
const char *errno_name(int err);

#endif
