#include <stdlib.h>
#include <string.h>

#include "report_print.h"

void report_print(FILE *out, bool json, const ms_call *c, const ms_verdict *v)
{
	ms_report r = {
		.kind = v->kind,
		.call = c->id,
		.nargs = c->nargs,
		.pid = 0,
		.message = v->message,
		.map_base = v->map_base,
		.map_size = v->map_size,
	};
	memcpy(r.arg, c->arg, sizeof r.arg);
	size_t (*render)(char *, size_t, const ms_report *) = json ? ms_report_json : ms_report_text;
	size_t need = render(NULL, 0, &r);
	char *buf = malloc(need + 1);
	if (!buf) {
		fprintf(out, "%s\n", ms_kind_name(v->kind));
		return;
	}
	render(buf, need + 1, &r);
	fputs(buf, out);
	fflush(out);
	free(buf);
}
