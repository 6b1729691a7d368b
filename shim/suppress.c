/* Suppressions: the user's file and the built-in table for language
 * runtimes' own calls. */
#include "suppress.h"

#include <fcntl.h>

#include "fmt.h"
#include "runtime.h"

#define KIND_BIT(k) (1u << (k))
#define ALL_KINDS (KIND_BIT(MS_KIND_COUNT) - 2u)

/* Calls that language runtimes make for themselves, matched by mangled or
 * demangled function name (Rust's legacy _ZN3std3sys...E and v0 _RNv...3std3sys
 * manglings both keep the path components in order). */
static const suppress_rule builtin_rules[] = {
	/* Rust std gives every thread a sigaltstack whose lowest page is an
	 * mprotect(PROT_NONE) guard (std::sys::pal::unix::stack_overflow::imp::
	 * make_handler, std::sys::unix::stack_overflow before 1.77). */
	{KIND_BIT(MS_KIND_PROTECTION) | KIND_BIT(MS_KIND_MAP_FLAGS) |
		 KIND_BIT(MS_KIND_OUT_OF_BOUNDS) | KIND_BIT(MS_KIND_PARTIAL_UNMAP),
	 "*std*sys*stack_overflow*"},
	/* Rust std's main-thread stack guard on targets that map it themselves. */
	{KIND_BIT(MS_KIND_MAP_FIXED) | KIND_BIT(MS_KIND_PROTECTION) |
		 KIND_BIT(MS_KIND_MAP_FIXED_UNTRACKED),
	 "*std*sys*thread*guard*"},
	/* Rust std's backtrace printer maps its own binary to read debug info. */
	{KIND_BIT(MS_KIND_FILE_MAPPING), "*std*backtrace_rs*symbolize*"},
};

static suppress_set user_set;

bool glob_match(const char *g, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*g == '*') {
			star = ++g;
			resume = s;
		} else if (*g && (*g == '?' || *g == *s)) {
			g++;
			s++;
		} else if (star) {
			g = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*g == '*')
		g++;
	return *g == '\0';
}

static bool has_slash(const char *s)
{
	for (; *s; s++)
		if (*s == '/')
			return true;
	return false;
}

static const char *base_name(const char *path)
{
	const char *b = path;
	for (; *path; path++)
		if (*path == '/')
			b = path + 1;
	return b;
}

static bool rule_covers(const suppress_rule *r, ms_kind kind,
			const ms_frame *frames, size_t count)
{
	if (!(r->kinds & KIND_BIT(kind)))
		return false;
	bool path_glob = has_slash(r->glob);
	for (size_t i = 0; i < count; i++) {
		const ms_frame *f = &frames[i];
		if (f->function && glob_match(r->glob, f->function))
			return true;
		if (f->module && glob_match(r->glob, path_glob ? f->module : base_name(f->module)))
			return true;
	}
	return false;
}

bool suppress_match(const suppress_set *set, bool builtin, ms_kind kind,
		    const ms_frame *frames, size_t count)
{
	if ((unsigned)kind >= MS_KIND_COUNT)
		return false;
	for (size_t i = 0; set && i < set->count; i++)
		if (rule_covers(&set->rules[i], kind, frames, count))
			return true;
	for (size_t i = 0; builtin && i < sizeof builtin_rules / sizeof *builtin_rules; i++)
		if (rule_covers(&builtin_rules[i], kind, frames, count))
			return true;
	return false;
}

/* ---- the file ---- */

typedef struct {
	const char *file;
	unsigned line;
	char *err;
	size_t errcap;
} parse_ctx;

static int parse_error(parse_ctx *c, size_t col, const char *what,
		       const char *quote, size_t qlen)
{
	fmt_buf f = {c->err, c->errcap, 0};
	fmt_str(&f, "mapsan: ");
	fmt_str(&f, c->file);
	fmt_str(&f, ":");
	fmt_dec(&f, c->line);
	fmt_str(&f, ":");
	fmt_dec(&f, col);
	fmt_str(&f, ": ");
	fmt_str(&f, what);
	if (quote) {
		fmt_str(&f, " '");
		fmt_mem(&f, quote, qlen > 64 ? 64 : qlen);
		fmt_str(&f, "'");
	}
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* One line [s, e), NUL-terminated in place at e. */
static int parse_line(suppress_set *set, parse_ctx *c, char *s, char *e)
{
	char *line = s;
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		*--e = '\0';
	if (s == e || *s == '#')
		return 0;
	char *colon = s;
	while (colon < e && *colon != ':')
		colon++;
	if (colon == e)
		return parse_error(c, (size_t)(s - line) + 1, "expected KIND:GLOB, got", s, (size_t)(e - s));
	char *kend = colon;
	while (kend > s && is_blank(kend[-1]))
		kend--;
	char *g = colon + 1;
	while (g < e && is_blank(*g))
		g++;
	if (g == e)
		return parse_error(c, (size_t)(g - line) + 1, "empty pattern after", s, (size_t)(colon - s) + 1);
	uint32_t kinds;
	ms_kind k;
	if (kend - s == 1 && *s == '*')
		kinds = ALL_KINDS;
	else if (ms_kind_parse(s, (size_t)(kend - s), &k) && k != MS_KIND_NONE)
		kinds = KIND_BIT(k);
	else
		return parse_error(c, (size_t)(s - line) + 1, "unknown kind", s, (size_t)(kend - s));
	if (set->count == SUPPRESS_RULES_MAX)
		return parse_error(c, 1, "too many rules (at most 256)", NULL, 0);
	set->rules[set->count++] = (suppress_rule){kinds, g};
	return 0;
}

int suppress_parse(suppress_set *set, const char *file, const char *text,
		   size_t len, char *err, size_t errcap)
{
	parse_ctx c = {file, 0, err, errcap};
	set->count = 0;
	if (len > SUPPRESS_FILE_MAX)
		return parse_error(&c, 1, "file too large (at most 65536 bytes)", NULL, 0);
	if (text != set->text)
		for (size_t i = 0; i < len; i++)
			set->text[i] = text[i];
	set->text[len] = '\0';
	char *s = set->text, *end = set->text + len;
	while (s < end) {
		char *e = s;
		while (e < end && *e != '\n' && *e != '\0')
			e++;
		c.line++;
		if (e < end && *e == '\0')
			return parse_error(&c, (size_t)(e - s) + 1, "NUL byte in line", NULL, 0);
		*e = '\0';
		if (parse_line(set, &c, s, e) < 0)
			return -1;
		s = e + 1;
	}
	return 0;
}

static const char *errno_text(long e)
{
	switch (e) {
	case -2: return "no such file";
	case -13: return "permission denied";
	case -21: return "is a directory";
	case -40: return "too many symbolic links";
	default: return "cannot read it";
	}
}

static void load_fail(const char *path, const char *why)
{
	char line[SHIM_PATH_MAX + 128];
	fmt_buf f = {line, sizeof line, 0};
	fmt_str(&f, "mapsan: ");
	fmt_str(&f, path);
	fmt_str(&f, ": suppressions file: ");
	fmt_str(&f, why);
	fmt_die(line);
}

void suppress_load(void)
{
	const char *path = shim_opts.suppressions;
	if (!path[0])
		return;
	long fd = sys_call3(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (sys_failed(fd))
		load_fail(path, errno_text(fd));
	size_t len = 0;
	for (;;) {
		long r = sys_call3(SYS_read, fd, user_set.text + len, SUPPRESS_FILE_MAX + 1 - len);
		if (r == -4)
			continue;
		if (sys_failed(r))
			load_fail(path, errno_text(r));
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > SUPPRESS_FILE_MAX)
			load_fail(path, "file too large (at most 65536 bytes)");
	}
	sys_call1(SYS_close, fd);
	char err[SHIM_PATH_MAX + 160];
	if (suppress_parse(&user_set, path, user_set.text, len, err, sizeof err) < 0)
		fmt_die(err);
}

bool suppress_report(ms_kind kind, const ms_frame *frames, size_t count)
{
	return suppress_match(&user_set, shim_opts.default_suppressions, kind, frames, count);
}
