/* Offline symbolization: one addr2line run per module, for every offset
 * of that module in every report. */
#ifndef MAPSAN_LAUNCHER_SYMBOLIZE_H
#define MAPSAN_LAUNCHER_SYMBOLIZE_H

#include "launcher.h"

typedef struct {
	char *function, *file;
	unsigned line;
} a2l_entry;

typedef struct {
	a2l_entry *e;   /* innermost inlined function first */
	size_t n;
} a2l_result;

typedef struct {
	char *path;
	uint64_t *offs;         /* unique, ascending after module_finish */
	a2l_result *res;        /* parallel to offs */
	size_t n, cap;
} a2l_module;

/* Fills m->res for m->offs (unique, ascending; m->res allocated), running
 * tool with scratch as its input file. Leaves m->res empty on failure. */
void addr2line_module(a2l_module *m, const char *tool, const char *scratch);

#endif
