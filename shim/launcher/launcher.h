/* The launcher `mapsan`: runs a command under libmapsan.so, collects the
 * JSON reports of every process of the run, symbolizes them offline and
 * prints or exports them. An ordinary program: malloc and stdio are fine. */
#ifndef MAPSAN_LAUNCHER_H
#define MAPSAN_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mapsan/machine.h"

#define LAUNCH_STATUS_USAGE 2

typedef struct {
	const char *policy;     /* NULL: leave it to MAPSAN_OPTIONS */
	bool keep_going;
	bool symbolize;
	const char *json_path;
	const char *sarif_path;
	const char *junit_path;
	char **cmd;             /* NULL-terminated, at least one word */
} launch_args;

/* args.c: exits on --help, --version and on a usage error. */
void args_parse(int argc, char **argv, launch_args *out);

/* runtime_find.c: MAPSAN_RUNTIME, else the libmapsan.so installed beside us. */
bool runtime_find(char *buf, size_t cap);

/* child_env.c */
/* In the forked child, before exec: LD_PRELOAD and MAPSAN_OPTIONS. */
void child_env_apply(const launch_args *a, const char *runtime, const char *log_dir);
/* The exitcode= the user's MAPSAN_OPTIONS asks for, or the default 66. */
int options_exitcode(const char *opts);

/* elf.c */
typedef struct {
	bool elf;
	bool has_interp;   /* PT_INTERP: dynamically linked */
	bool exec;         /* ET_EXEC: not position independent */
	uint64_t bias;     /* ET_EXEC: p_vaddr - p_offset of the first PT_LOAD */
} elf_info;
bool elf_inspect(const char *path, elf_info *out);

/* command_check.c: where execvp would find name, and the SPEC §3.5 warning. */
bool command_resolve(const char *name, char *buf, size_t cap);
void command_warn(const char *name);

/* run.c: fork + execvp with the child's environment; returns the wait
 * status, or -1 when fork failed. *pid gets the child's pid. */
int run_command(const launch_args *a, const char *runtime, const char *log_dir, int *pid);

/* ---- reports ---- */
typedef struct {
	uint64_t pc;
	uint64_t offset;
	char *module;      /* NULL when unknown */
	char *function;    /* NULL when unknown */
	char *file;        /* as the debug info names it */
	unsigned line;     /* 0 when unknown */
} lframe;

typedef struct {
	lframe *v;
	size_t n;
} lstack;

typedef struct {
	char *kind_name;
	char *call_name;
	char *message;
	char *raw;              /* the line as read, for reports of unknown kinds */
	bool known;             /* kind and call parsed into the enums */
	ms_kind kind;
	ms_call_id call;
	ms_severity severity;
	unsigned nargs;
	uint64_t arg[6];
	int pid;
	uint64_t map_base, map_size;
	lstack stack, origin, unmapped;
} lreport;

typedef struct {
	lreport *v;
	size_t n, cap;
	int *pids;              /* every process seen, ascending */
	size_t npids, pcap;
} lrun;

/* report_load.c: every DIR/report.* in pid then file order. */
void reports_load(const char *dir, lrun *run);
void pid_note(lrun *run, int pid);
void run_free(lrun *run);

/* report_parse.c: one JSON line; false when it is not a report. */
bool report_parse(const char *line, size_t len, lreport *out);
void report_free(lreport *r);

/* symbolize.c: adds function/file/line to every frame, expanding inlined
 * calls into frames of their own. scratch_dir holds addr2line's input. */
void symbolize_run(lrun *run, const char *scratch_dir);

/* render.c */
/* file relative to the current directory when it lies under it. */
const char *path_display(const char *file);
/* The sanitizer-style text of a report; malloc'd. */
char *report_text(const lreport *r);
/* The runtime's JSON shape with symbolized frames; malloc'd, no newline. */
char *report_json(const lreport *r);

/* out_*.c: false (after a message) when the file could not be written. */
bool out_json(const lrun *run, const char *path);
bool out_sarif(const lrun *run, const char *path);
bool out_junit(const lrun *run, const char *path, char **cmd, int main_pid);

/* emit.c: escaping for the writers. */
void json_put_str(FILE *f, const char *s);
void xml_put_str(FILE *f, const char *s);
void uri_put_path(FILE *f, const char *path);

#endif
