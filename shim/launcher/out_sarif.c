#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "launcher.h"

#ifndef MAPSAN_VERSION
#define MAPSAN_VERSION "unknown"
#endif

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static const struct {
	const char *kind, *text;
} descriptions[] = {
	{"partial-unmap", "munmap or mremap of part of a mapping, or with a size other than the mapping's"},
	{"unmap-untracked", "munmap, mremap, mprotect or madvise of memory the program never mapped"},
	{"double-unmap", "unmap of a mapping that was already unmapped"},
	{"use-after-unmap", "access to memory after its mapping was unmapped"},
	{"out-of-bounds", "mprotect or madvise of a range outside any one live mapping"},
	{"free-of-mapping", "free or realloc of a pointer into a mapping"},
	{"map-fixed-untracked", "MAP_FIXED over memory that belongs to someone else"},
	{"file-mapping", "mapping of a file (Miri supports anonymous memory only)"},
	{"map-fixed", "MAP_FIXED (Miri does not support it)"},
	{"protection", "protection other than PROT_READ|PROT_WRITE (Miri does not support it)"},
	{"map-flags", "flags other than MAP_PRIVATE|MAP_ANONYMOUS (Miri does not support them)"},
	{"map-offset", "non-zero mmap offset (Miri does not support it)"},
	{"madvise-advice", "madvise advice that Miri does not support"},
	{"mremap-flags", "mremap flags that Miri does not support"},
	{"unsupported-call", "a memory call that Miri has no shim for"},
	{"leak", "mapping still live at exit"},
	{"map-beyond-eof", "file mapping that extends past the end of the file"},
	{"shared-writable-file", "shared writable mapping of a file"},
	{"file-truncated", "access to a file mapping past the end of its truncated file"},
	{"msync-unchecked", "file mapping written without a checked msync"},
};

static const char *description(const char *kind)
{
	for (size_t i = 0; i < sizeof descriptions / sizeof descriptions[0]; i++)
		if (strcmp(descriptions[i].kind, kind) == 0)
			return descriptions[i].text;
	return kind;
}

static const char *level(ms_severity s)
{
	return s == MS_SEV_WARNING ? "warning" : "error";
}

/* Rules in order of first appearance; returns how many. */
static size_t collect_rules(const lrun *run, const lreport **rules)
{
	size_t n = 0;

	for (size_t i = 0; i < run->n; i++) {
		size_t j = 0;
		while (j < n && strcmp(rules[j]->kind_name, run->v[i].kind_name) != 0)
			j++;
		if (j == n)
			rules[n++] = &run->v[i];
	}
	return n;
}

static size_t rule_index(const lreport **rules, size_t n, const char *kind)
{
	size_t j = 0;

	while (j < n && strcmp(rules[j]->kind_name, kind) != 0)
		j++;
	return j;
}

static void put_rules(FILE *f, const lreport **rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n        {\"id\": " : "\n        {\"id\": ", f);
		json_put_str(f, rules[i]->kind_name);
		fputs(", \"shortDescription\": {\"text\": ", f);
		json_put_str(f, description(rules[i]->kind_name));
		fprintf(f, "}, \"defaultConfiguration\": {\"level\": \"%s\"}, \"properties\": {\"severity\": \"%s\"}}",
			level(rules[i]->severity), ms_severity_name(rules[i]->severity));
	}
}

static void put_physical(FILE *f, const lframe *fr)
{
	fputs("\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"", f);
	uri_put_path(f, path_display(fr->file ? fr->file : fr->module));
	fputs("\"}", f);
	if (fr->file && fr->line)
		fprintf(f, ", \"region\": {\"startLine\": %u}", fr->line);
	fputs("}", f);
}

/* id < 0: none. The schema makes a related location a location object
 * carrying its own id, not a wrapper around one. */
static void put_location(FILE *f, const lframe *fr, const char *message, int id)
{
	char text[64];

	fputs("{", f);
	if (id >= 0)
		fprintf(f, "\"id\": %d, ", id);
	if (fr->file || fr->module) {
		put_physical(f, fr);
		fputs(", ", f);
	}
	if (fr->function) {
		fputs("\"logicalLocations\": [{\"kind\": \"function\", \"name\": ", f);
		json_put_str(f, fr->function);
		fputs("}], ", f);
	}
	snprintf(text, sizeof text, "0x%llx", (unsigned long long)fr->pc);
	fputs("\"message\": {\"text\": ", f);
	json_put_str(f, message ? message : text);
	fputs("}}", f);
}

/* The first frame with a source file, else the first frame. */
static const lframe *primary_frame(const lstack *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].file)
			return &s->v[i];
	return s->n ? &s->v[0] : NULL;
}

static void put_stack(FILE *f, const lstack *s, const char *message, bool *first)
{
	if (!s->n)
		return;
	fputs(*first ? "{\"message\": {\"text\": " : ", {\"message\": {\"text\": ", f);
	*first = false;
	json_put_str(f, message);
	fputs("}, \"frames\": [", f);
	for (size_t i = 0; i < s->n; i++) {
		fputs(i ? ", {\"location\": " : "{\"location\": ", f);
		put_location(f, &s->v[i], NULL, -1);
		if (s->v[i].module) {
			fputs(", \"module\": ", f);
			json_put_str(f, s->v[i].module);
		}
		fputs("}", f);
	}
	fputs("]}", f);
}

static void put_related(FILE *f, const lreport *r)
{
	const lframe *o = primary_frame(&r->origin), *u = primary_frame(&r->unmapped);
	int id = 0;

	if (!o && !u)
		return;
	fputs(", \"relatedLocations\": [", f);
	if (o)
		put_location(f, o, "the mapping was created here", id++);
	if (u) {
		fputs(id ? ", " : "", f);
		put_location(f, u, "the mapping was unmapped here", id);
	}
	fputs("]", f);
}

static void put_result(FILE *f, const lreport *r, size_t rule)
{
	const lframe *p = primary_frame(&r->stack);
	bool first = true;

	fputs("        {\"ruleId\": ", f);
	json_put_str(f, r->kind_name);
	fprintf(f, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ", rule, level(r->severity));
	json_put_str(f, r->message);
	fputs("},\n         \"locations\": [", f);
	if (p)
		put_location(f, p, NULL, -1);
	fputs("]", f);
	put_related(f, r);
	fputs(",\n         \"stacks\": [", f);
	put_stack(f, &r->stack, "call stack", &first);
	put_stack(f, &r->origin, "the mapping was created here", &first);
	put_stack(f, &r->unmapped, "the mapping was unmapped here", &first);
	fputs("],\n         \"properties\": {\"pid\": ", f);
	fprintf(f, "%d, \"severity\": \"%s\", \"call\": ", r->pid, ms_severity_name(r->severity));
	json_put_str(f, r->call_name);
	fputs("}}", f);
}

static void put_log(FILE *f, const lrun *run, const lreport **rules, size_t nrules)
{
	fputs("{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n  \"runs\": [{\n", f);
	fputs("    \"tool\": {\"driver\": {\"name\": \"mapsan\", \"version\": \"" MAPSAN_VERSION "\",", f);
	fputs(" \"semanticVersion\": \"" MAPSAN_VERSION "\", \"rules\": [", f);
	put_rules(f, rules, nrules);
	fputs("]}},\n    \"columnKind\": \"utf16CodeUnits\",\n    \"results\": [", f);
	for (size_t i = 0; i < run->n; i++) {
		fputs(i ? ",\n" : "\n", f);
		put_result(f, &run->v[i], rule_index(rules, nrules, run->v[i].kind_name));
	}
	fputs("]\n  }]\n}\n", f);
}

bool out_sarif(const lrun *run, const char *path)
{
	const lreport **rules = calloc(run->n + 1, sizeof *rules);
	FILE *f = rules ? fopen(path, "w") : NULL;

	if (!f) {
		fprintf(stderr, "mapsan: --sarif %s: %s\n", path, strerror(errno));
		free(rules);
		return false;
	}
	put_log(f, run, rules, collect_rules(run, rules));
	free(rules);
	if (fclose(f) != 0) {
		fprintf(stderr, "mapsan: --sarif %s: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}
