/* Runs a real program under the runtime and collects what it left: exit
 * status, stdout, stderr and the JSON reports of every process it became. */
#ifndef IT_RUN_H
#define IT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "json.h"

/* Paths come from the build (compile definitions). */
#define PROG(name) IT_PROG_DIR "/" name

typedef struct {
	const char *options;      /* appended to MAPSAN_OPTIONS; NULL: none */
	bool raw_options;         /* MAPSAN_OPTIONS is exactly `options` (unset when
	                           * NULL): no JSON log */
	const char *preload;      /* LD_PRELOAD; NULL: the runtime; "": unset */
	const char *const *env;   /* extra NAME=VALUE entries, NULL-terminated */
	int timeout_s;            /* 0: 30 seconds */
} it_opts;

typedef struct {
	pid_t pid;
	bool exited;
	int code;                 /* exit status when exited */
	int sig;                  /* terminating signal, 0 when exited */
	bool timed_out;
	char *out;                /* stdout, NUL-terminated */
	char *err;                /* stderr */
	char dir[64];             /* the run's private directory */
	json **reports;           /* every JSON report line, file by file */
	int *report_file_pid;     /* the PID in the name of the file it came from */
	size_t nreports;
	size_t bad_lines;         /* lines of the log files that were not JSON */
	size_t log_files;
} it_run;

/* argv[0] is the program's path; argv ends with NULL. Never fails: a run
 * that could not be started reports exit 127 and says why on err. */
void it_run_argv(it_run *r, const it_opts *o, const char *const *argv);
/* it_run_prog(r, opts, path, args...): the same with the arguments listed. */
void it_run_list(it_run *r, const it_opts *o, const char *path, ...);
#define it_run_prog(r, ...) it_run_list(r, __VA_ARGS__, (const char *)NULL)
void it_run_free(it_run *r);

/* Reports of one kind, and the first of them (NULL when none). */
size_t it_count(const it_run *r, const char *kind);
const json *it_first(const it_run *r, const char *kind);
/* "kind,kind,..." in report order, for messages. */
const char *it_kinds(const it_run *r);

/* Reads a whole file (NULL when it cannot); the caller frees. */
char *it_slurp(const char *path, size_t *len);
/* A file in the run's directory: dir/name. */
const char *it_path(const it_run *r, const char *name);
/* Makes dir for a run before it starts (it_run_argv uses it when set). */
void it_prepare(it_run *r);

#endif
