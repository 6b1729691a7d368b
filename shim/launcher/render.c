#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launcher.h"

const char *path_display(const char *file)
{
	static char cwd[PATH_MAX];
	static size_t len;
	static bool done;

	if (!done) {
		done = true;
		len = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
	}
	if (!file || len == 0 || (len == 1 && cwd[0] == '/'))
		return file;
	if (strncmp(file, cwd, len) == 0 && file[len] == '/' && file[len + 1])
		return file + len + 1;
	return file;
}

static ms_frame *frames_of(const lstack *s, bool display, ms_stack *out)
{
	ms_frame *v = s->n ? calloc(s->n, sizeof *v) : NULL;

	out->frames = v;
	out->count = v ? s->n : 0;
	for (size_t i = 0; v && i < s->n; i++) {
		const lframe *f = &s->v[i];
		v[i] = (ms_frame){f->pc, f->module, f->offset, f->function,
				  display ? path_display(f->file) : f->file, f->line};
	}
	return v;
}

typedef size_t (*render_fn)(char *buf, size_t cap, const ms_report *r);

static char *render(const lreport *lr, bool display, render_fn fn)
{
	ms_report r = {
		.kind = lr->kind, .call = lr->call, .nargs = lr->nargs, .pid = lr->pid,
		.message = lr->message ? lr->message : "",
		.map_base = lr->map_base, .map_size = lr->map_size,
	};
	ms_frame *a, *b, *c;
	char *buf = NULL;
	size_t need;

	memcpy(r.arg, lr->arg, sizeof r.arg);
	a = frames_of(&lr->stack, display, &r.stack);
	b = frames_of(&lr->origin, display, &r.origin);
	c = frames_of(&lr->unmapped, display, &r.unmapped);
	need = fn(NULL, 0, &r);
	if ((buf = malloc(need + 1)))
		fn(buf, need + 1, &r);
	free(a);
	free(b);
	free(c);
	return buf;
}

static void frame_line(FILE *f, size_t i, const lframe *fr)
{
	const char *file = path_display(fr->file);

	fprintf(f, "    #%zu 0x%llx", i, (unsigned long long)fr->pc);
	if (fr->function)
		fprintf(f, " in %s", fr->function);
	if (file && fr->line)
		fprintf(f, " %s:%u", file, fr->line);
	else if (fr->module)
		fprintf(f, " (%s+0x%llx)", fr->module, (unsigned long long)fr->offset);
	fputc('\n', f);
}

/* A kind this launcher does not know, from a newer runtime: the facts
 * without the renderer's wording. */
static char *text_fallback(const lreport *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "==%d==ERROR: mapsan: %s: %s: %s\n", r->pid, ms_severity_name(r->severity),
		r->kind_name, r->message ? r->message : "");
	for (size_t i = 0; i < r->stack.n; i++)
		frame_line(f, i, &r->stack.v[i]);
	fprintf(f, "SUMMARY: mapsan: %s\n", r->kind_name);
	fclose(f);
	return buf;
}

char *report_text(const lreport *r)
{
	return r->known ? render(r, true, ms_report_text) : text_fallback(r);
}

char *report_json(const lreport *r)
{
	char *s = r->known ? render(r, false, ms_report_json) : strdup(r->raw);
	size_t n = s ? strlen(s) : 0;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}
