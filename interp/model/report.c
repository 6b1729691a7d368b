/* The two renderings of a report: sanitizer-style text and one JSON object
 * per line. No stdio: the runtime renders from interceptors and signal
 * handlers, where snprintf may allocate. */
#include "mapsan/machine.h"

typedef struct {
	char *buf;
	size_t cap;
	size_t len; /* bytes the whole rendering needs so far */
} out_buf;

static void put_char(out_buf *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_str(out_buf *o, const char *s)
{
	while (*s)
		put_char(o, *s++);
}

static void put_dec(out_buf *o, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put_char(o, tmp[--n]);
}

static void put_int(out_buf *o, int64_t v)
{
	if (v < 0) {
		put_char(o, '-');
		put_dec(o, (uint64_t)0 - (uint64_t)v);
		return;
	}
	put_dec(o, (uint64_t)v);
}

static void put_hex(out_buf *o, uint64_t v)
{
	char tmp[16];
	int n = 0;
	put_str(o, "0x");
	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		put_char(o, tmp[--n]);
}

static size_t out_finish(out_buf *o)
{
	if (o->cap)
		o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
	return o->len;
}

static const char *or_unknown(const char *s)
{
	return s ? s : "unknown";
}

/* ---- text ---- */

static void text_frame_where(out_buf *o, const ms_frame *f)
{
	put_char(o, '(');
	put_str(o, f->module ? f->module : "<unknown module>");
	put_char(o, '+');
	put_hex(o, f->offset);
	put_char(o, ')');
}

static void text_file_line(out_buf *o, const ms_frame *f)
{
	put_str(o, f->file);
	if (f->line) {
		put_char(o, ':');
		put_dec(o, f->line);
	}
}

static void text_frame(out_buf *o, size_t i, const ms_frame *f)
{
	put_str(o, "    #");
	put_dec(o, i);
	put_char(o, ' ');
	put_hex(o, f->pc);
	if (f->function) {
		put_str(o, " in ");
		put_str(o, f->function);
	}
	put_char(o, ' ');
	if (f->file)
		text_file_line(o, f);
	else
		text_frame_where(o, f);
	put_char(o, '\n');
}

static void text_stack(out_buf *o, const ms_stack *s)
{
	for (size_t i = 0; i < s->count; i++)
		text_frame(o, i, &s->frames[i]);
}

static void text_header(out_buf *o, const ms_report *r)
{
	ms_severity sev = ms_kind_severity(r->kind);
	put_str(o, "==");
	put_int(o, r->pid);
	put_str(o, sev == MS_SEV_WARNING ? "==WARNING: mapsan: " : "==ERROR: mapsan: ");
	if (sev == MS_SEV_UB)
		put_str(o, "Undefined Behavior: ");
	else if (sev == MS_SEV_UNSUPPORTED)
		put_str(o, "unsupported operation: ");
	put_str(o, or_unknown(ms_kind_name(r->kind)));
	if (r->message && r->message[0]) {
		put_str(o, ": ");
		put_str(o, r->message);
	}
	put_char(o, '\n');
}

static void text_origin(out_buf *o, const ms_report *r)
{
	if (r->origin.count == 0 && r->map_size == 0)
		return;
	put_str(o, "  the mapping ");
	if (r->map_size) {
		put_char(o, '[');
		put_hex(o, r->map_base);
		put_str(o, ", +");
		put_dec(o, r->map_size);
		put_str(o, ") ");
	}
	if (r->origin.count == 0) {
		put_str(o, "was created at an unknown place (no stack recorded)\n");
		return;
	}
	put_str(o, "was created here:\n");
	text_stack(o, &r->origin);
}

static void text_summary(out_buf *o, const ms_report *r)
{
	put_str(o, "SUMMARY: mapsan: ");
	put_str(o, or_unknown(ms_kind_name(r->kind)));
	if (r->stack.count == 0) {
		put_str(o, " in ");
		put_str(o, or_unknown(ms_call_name(r->call)));
	} else {
		const ms_frame *f = &r->stack.frames[0];
		if (f->function) {
			put_str(o, " in ");
			put_str(o, f->function);
		}
		if (f->file) {
			put_char(o, ' ');
			text_file_line(o, f);
		} else if (!f->function) {
			put_char(o, ' ');
			text_frame_where(o, f);
		}
	}
	put_char(o, '\n');
}

size_t ms_report_text(char *buf, size_t cap, const ms_report *r)
{
	out_buf o = {buf, cap, 0};
	text_header(&o, r);
	text_stack(&o, &r->stack);
	text_origin(&o, r);
	if (r->unmapped.count) {
		put_str(&o, "  it was unmapped here:\n");
		text_stack(&o, &r->unmapped);
	}
	text_summary(&o, r);
	return out_finish(&o);
}

/* ---- JSON ---- */

static void json_str(out_buf *o, const char *s)
{
	put_char(o, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			put_char(o, '\\');
			put_char(o, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			put_str(o, "\\u00");
			put_char(o, "0123456789abcdef"[c >> 4]);
			put_char(o, "0123456789abcdef"[c & 15]);
		} else {
			put_char(o, (char)c);
		}
	}
	put_char(o, '"');
}

static void json_hex(out_buf *o, uint64_t v)
{
	put_char(o, '"');
	put_hex(o, v);
	put_char(o, '"');
}

static void json_key(out_buf *o, const char *key)
{
	put_str(o, ",\"");
	put_str(o, key);
	put_str(o, "\":");
}

static void json_frame(out_buf *o, const ms_frame *f)
{
	put_str(o, "{\"pc\":");
	json_hex(o, f->pc);
	json_key(o, "module");
	json_str(o, f->module ? f->module : "");
	json_key(o, "offset");
	json_hex(o, f->offset);
	if (f->function) {
		json_key(o, "function");
		json_str(o, f->function);
	}
	if (f->file) {
		json_key(o, "file");
		json_str(o, f->file);
	}
	if (f->line) {
		json_key(o, "line");
		put_dec(o, f->line);
	}
	put_char(o, '}');
}

static void json_stack(out_buf *o, const char *key, const ms_stack *s)
{
	json_key(o, key);
	put_char(o, '[');
	for (size_t i = 0; i < s->count; i++) {
		if (i)
			put_char(o, ',');
		json_frame(o, &s->frames[i]);
	}
	put_char(o, ']');
}

static void json_args(out_buf *o, const ms_report *r)
{
	unsigned n = r->nargs < 6 ? r->nargs : 6;
	json_key(o, "args");
	put_char(o, '[');
	for (unsigned i = 0; i < n; i++) {
		if (i)
			put_char(o, ',');
		json_hex(o, r->arg[i]);
	}
	put_char(o, ']');
}

size_t ms_report_json(char *buf, size_t cap, const ms_report *r)
{
	out_buf o = {buf, cap, 0};
	put_str(&o, "{\"kind\":");
	json_str(&o, or_unknown(ms_kind_name(r->kind)));
	json_key(&o, "severity");
	json_str(&o, or_unknown(ms_severity_name(ms_kind_severity(r->kind))));
	json_key(&o, "call");
	json_str(&o, or_unknown(ms_call_name(r->call)));
	json_args(&o, r);
	json_key(&o, "pid");
	put_int(&o, r->pid);
	json_key(&o, "message");
	json_str(&o, r->message ? r->message : "");
	if (r->map_size) {
		json_key(&o, "mapping");
		put_str(&o, "{\"base\":");
		json_hex(&o, r->map_base);
		put_str(&o, ",\"size\":");
		put_dec(&o, r->map_size);
		put_char(&o, '}');
	}
	json_stack(&o, "stack", &r->stack);
	if (r->origin.count)
		json_stack(&o, "origin_stack", &r->origin);
	if (r->unmapped.count)
		json_stack(&o, "unmap_stack", &r->unmapped);
	put_str(&o, "}\n");
	return out_finish(&o);
}
