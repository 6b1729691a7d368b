/* Suppressions: KIND:GLOB rules that silence reports whose call stack has a
 * frame whose function or module matches GLOB. */
#ifndef MAPSAN_SUPPRESS_H
#define MAPSAN_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapsan/machine.h"

#define SUPPRESS_FILE_MAX (64 * 1024)
#define SUPPRESS_RULES_MAX 256

typedef struct {
	uint32_t kinds;      /* bit (1u << kind) */
	const char *glob;    /* NUL-terminated, inside the set's text */
} suppress_rule;

typedef struct {
	char text[SUPPRESS_FILE_MAX + 1];
	suppress_rule rules[SUPPRESS_RULES_MAX];
	size_t count;
} suppress_set;

/* fnmatch-style: '*' any run, '?' one byte, everything else literal. */
bool glob_match(const char *glob, const char *s);

/* Parses the len bytes at text (a suppressions file named file) into set.
 * Returns 0, or -1 with "mapsan: FILE:LINE:COL: message" in err. */
int suppress_parse(suppress_set *set, const char *file, const char *text,
		   size_t len, char *err, size_t errcap);

/* True when a rule of set (or of the built-in table, when builtin) covers a
 * report of kind whose call stack is frames. */
bool suppress_match(const suppress_set *set, bool builtin, ms_kind kind,
		    const ms_frame *frames, size_t count);

/* Reads shim_opts.suppressions (if set) into the runtime's set; a missing
 * file or a bad line prints one line and _exit(2)s. */
void suppress_load(void);
/* The runtime's verdict for a report: user rules plus, when
 * default_suppressions=1, the built-in ones. */
bool suppress_report(ms_kind kind, const ms_frame *frames, size_t count);

#endif
