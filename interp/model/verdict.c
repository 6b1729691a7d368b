#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "machine_impl.h"

void verdict_forward(ms_verdict *v)
{
	memset(v, 0, offsetof(ms_verdict, message));
	v->action = MS_ACT_FORWARD;
	v->message[0] = '\0';
}

void verdict_fail(ms_verdict *v, int err)
{
	verdict_forward(v);
	v->action = MS_ACT_FAIL;
	v->err = err;
}

void verdict_report(ms_verdict *v, ms_kind kind, const ms_range *r, const char *fmt, ...)
{
	verdict_forward(v);
	v->action = MS_ACT_REPORT;
	v->kind = kind;
	v->severity = ms_kind_severity(kind);
	if (r) {
		v->map_base = r->base;
		v->map_size = r->end - r->base;
		v->origin_stack = r->origin;
		v->unmap_stack = r->unmap;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof v->message, fmt, ap);
	va_end(ap);
}

void report_double_unmap(ms_verdict *v, const ms_call *c, const ms_range *dead)
{
	verdict_report(v, MS_KIND_DOUBLE_UNMAP, dead,
		       "%s(0x%" PRIx64 ", %" PRIu64 ") of a mapping of %" PRIu64
		       " bytes that has already been unmapped",
		       ms_call_name(c->id), c->arg[0], c->arg[1], dead->end - dead->base);
}

void report_unmap_untracked(ms_verdict *v, const ms_call *c)
{
	verdict_report(v, MS_KIND_UNMAP_UNTRACKED, NULL,
		       "%s(0x%" PRIx64 ", %" PRIu64 ") of memory that was not mapped by mmap",
		       ms_call_name(c->id), c->arg[0], c->arg[1]);
}
