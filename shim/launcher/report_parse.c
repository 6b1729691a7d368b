#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "launcher.h"

static char *dup_str(const jv *v)
{
	const char *s = json_str(v);
	return s ? strdup(s) : NULL;
}

static void parse_frame(const jv *f, lframe *out)
{
	uint64_t line = 0;

	memset(out, 0, sizeof *out);
	json_u64(json_get(f, "pc"), &out->pc);
	json_u64(json_get(f, "offset"), &out->offset);
	out->module = dup_str(json_get(f, "module"));
	out->function = dup_str(json_get(f, "function"));
	out->file = dup_str(json_get(f, "file"));
	if (json_u64(json_get(f, "line"), &line) && line <= 0xffffffffu)
		out->line = (unsigned)line;
}

static void parse_stack(const jv *a, lstack *out)
{
	out->v = NULL;
	out->n = 0;
	if (!a || a->type != JV_ARR || a->n == 0)
		return;
	out->v = calloc(a->n, sizeof *out->v);
	if (!out->v)
		return;
	for (size_t i = 0; i < a->n; i++)
		parse_frame(&a->items[i], &out->v[out->n++]);
}

static void parse_args(const jv *a, lreport *out)
{
	if (!a || a->type != JV_ARR)
		return;
	for (size_t i = 0; i < a->n && out->nargs < 6; i++)
		if (json_u64(&a->items[i], &out->arg[out->nargs]))
			out->nargs++;
}

static bool parse_severity(const char *s, ms_severity *out)
{
	for (int sev = MS_SEV_UB; sev <= MS_SEV_WARNING; sev++) {
		if (s && strcmp(s, ms_severity_name((ms_severity)sev)) == 0) {
			*out = (ms_severity)sev;
			return true;
		}
	}
	return false;
}

static void parse_enums(lreport *r, const char *severity)
{
	const char *k = r->kind_name, *c = r->call_name ? r->call_name : "";
	bool kind_ok = ms_kind_parse(k, strlen(k), &r->kind);

	r->known = kind_ok && ms_call_parse(c, strlen(c), &r->call);
	if (!parse_severity(severity, &r->severity))
		r->severity = kind_ok ? ms_kind_severity(r->kind) : MS_SEV_UB;
}

bool report_parse(const char *line, size_t len, lreport *out)
{
	const jv *mapping;
	uint64_t pid = 0;
	jv root;

	memset(out, 0, sizeof *out);
	if (!json_parse(line, len, &root))
		return false;
	if (!json_str(json_get(&root, "kind"))) {
		json_free(&root);
		return false;
	}
	out->raw = strndup(line, len);
	out->kind_name = dup_str(json_get(&root, "kind"));
	out->call_name = dup_str(json_get(&root, "call"));
	out->message = dup_str(json_get(&root, "message"));
	if (json_u64(json_get(&root, "pid"), &pid))
		out->pid = (int)pid;
	parse_enums(out, json_str(json_get(&root, "severity")));
	parse_args(json_get(&root, "args"), out);
	mapping = json_get(&root, "mapping");
	json_u64(json_get(mapping, "base"), &out->map_base);
	json_u64(json_get(mapping, "size"), &out->map_size);
	parse_stack(json_get(&root, "stack"), &out->stack);
	parse_stack(json_get(&root, "origin_stack"), &out->origin);
	parse_stack(json_get(&root, "unmap_stack"), &out->unmapped);
	json_free(&root);
	return out->raw && out->kind_name;
}

static void stack_free(lstack *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].module);
		free(s->v[i].function);
		free(s->v[i].file);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void report_free(lreport *r)
{
	free(r->kind_name);
	free(r->call_name);
	free(r->message);
	free(r->raw);
	stack_free(&r->stack);
	stack_free(&r->origin);
	stack_free(&r->unmapped);
}
