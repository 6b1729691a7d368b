/* MAPSAN_OPTIONS (SPEC §2). Parsed from the environment string into fixed
 * buffers with no allocation: the first intercepted call may come before
 * libc has finished starting up. */
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <fcntl.h>

#include "fmt.h"
#include "runtime.h"
#include "spin.h"
#include "suppress.h"

#define OPTIONS_DEFAULTS                                                     \
	{                                                                    \
		.policy = MS_POLICY_MIRI, .halt_on_error = true, .exitcode = 66, \
		.stack_depth = 32, .quarantine_mb = 64,                      \
		.default_suppressions = true,                                \
	}

shim_options shim_opts = OPTIONS_DEFAULTS;

typedef enum {
	T_BOOL, T_POLICY, T_INT, T_PATH, T_FORMAT, T_IGNORE, T_FAIL_MMAP,
	T_TRACE, T_HELP
} opt_type;

typedef struct {
	const char *name;
	opt_type type;
	size_t off;        /* field in shim_options */
	uint64_t max;      /* T_INT: inclusive upper bound */
	unsigned width;    /* T_INT: field size in bytes */
	const char *def;
	const char *help;
} opt_desc;

#define F(field) offsetof(shim_options, field)
#define INT(field, max) T_INT, F(field), (max), sizeof(((shim_options *)0)->field)

static const opt_desc opt_table[] = {
	{"policy", T_POLICY, F(policy), 0, 0, "miri", "rule set: miri (Miri's rules) or native (real bugs only)"},
	{"halt_on_error", T_BOOL, F(halt_on_error), 0, 0, "1", "stop at the first report, before the call is forwarded"},
	{"exitcode", INT(exitcode, 255), "66", "exit status used when halting"},
	{"abort_on_error", T_BOOL, F(abort_on_error), 0, 0, "0", "abort() instead of _exit(exitcode), for core dumps"},
	{"log_path", T_PATH, F(log_path), 0, 0, "", "write reports to PATH.PID instead of stderr"},
	{"log_format", T_FORMAT, F(log_json), 0, 0, "text", "text, or json (one object per line)"},
	{"stack_depth", INT(stack_depth, 64), "32", "frames per stack (at most 64); 0 turns capture off"},
	{"quarantine_mb", INT(quarantine_mb, 1u << 20), "64", "address space held back after munmap so use-after-unmap faults; 0 turns it off"},
	{"ignore", T_IGNORE, F(ignore_mask), 0, 0, "", "comma-separated kinds that are not reported"},
	{"suppressions", T_PATH, F(suppressions), 0, 0, "", "file of KIND:GLOB lines; GLOB matches a function or module in the stack"},
	{"detect_leaks", T_BOOL, F(detect_leaks), 0, 0, "0", "at exit, report mappings still live (kind leak)"},
	{"fail_mmap", T_FAIL_MMAP, 0, 0, 0, "", "fault injection: N fails the Nth mmap with ENOMEM; N% fails that share (seeded by seed)"},
	{"seed", INT(seed, UINT64_MAX), "0", "seed of fail_mmap=N%"},
	{"trace", T_TRACE, 0, 0, 0, "", "record every intercepted call to PATH.PID (not built yet)"},
	{"default_suppressions", T_BOOL, F(default_suppressions), 0, 0, "1", "built-in suppressions for language runtimes' own calls"},
	{"allow_sealed_files", T_BOOL, F(allow_sealed_files), 0, 0, "0", "policy miri: accept read-only private mappings of sealed memfds and fs-verity files"},
	{"halt_on_warnings", T_BOOL, F(halt_on_warnings), 0, 0, "0", "let halt_on_error apply to warning reports too"},
	{"check_msync", T_BOOL, F(check_msync), 0, 0, "0", "report msync-unchecked"},
	{"help", T_HELP, 0, 0, 0, "0", "print this list and exit"},
};

#define OPT_COUNT (sizeof opt_table / sizeof *opt_table)

typedef struct {
	const char *text;   /* the whole option string, for columns */
	char *err;
	size_t errcap;
	bool help;
} parse_ctx;

static bool mem_eq(const char *a, size_t n, const char *lit)
{
	size_t i = 0;
	for (; i < n; i++)
		if (lit[i] != a[i])
			return false;
	return lit[i] == '\0';
}

static size_t column(const parse_ctx *c, const char *at)
{
	return (size_t)(at - c->text) + 1;
}

static void err_quote(fmt_buf *f, const char *s, size_t n)
{
	fmt_str(f, "'");
	fmt_mem(f, s, n > 64 ? 64 : n);
	fmt_str(f, n > 64 ? "...'" : "'");
}

static int fail_at(parse_ctx *c, const char *what, const char *s, size_t n,
		   const char *tail, const char *at)
{
	fmt_buf f = {c->err, c->errcap, 0};
	fmt_str(&f, "mapsan: MAPSAN_OPTIONS: ");
	fmt_str(&f, what);
	if (s)
		err_quote(&f, s, n);
	fmt_str(&f, tail);
	fmt_str(&f, " at column ");
	fmt_dec(&f, column(c, at));
	return -1;
}

static int bad_value(parse_ctx *c, const opt_desc *d, const char *v, size_t n,
		     const char *expected, const char *at)
{
	fmt_buf f = {c->err, c->errcap, 0};
	fmt_str(&f, "mapsan: MAPSAN_OPTIONS: bad value ");
	err_quote(&f, v, n);
	fmt_str(&f, " for ");
	fmt_str(&f, d->name);
	fmt_str(&f, " (expected ");
	fmt_str(&f, expected);
	fmt_str(&f, ") at column ");
	fmt_dec(&f, column(c, at));
	return -1;
}

static bool parse_digits(const char *s, size_t n, unsigned base, uint64_t *out)
{
	if (n == 0)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d;
		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && (s[i] | 32) >= 'a' && (s[i] | 32) <= 'f')
			d = (unsigned)((s[i] | 32) - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* Decimal, or hexadecimal with 0x. */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_digits(s + 2, n - 2, 16, out);
	return parse_digits(s, n, 10, out);
}

static void store_int(void *field, unsigned width, uint64_t v)
{
	switch (width) {
	case 1: *(uint8_t *)field = (uint8_t)v; break;
	case 2: *(uint16_t *)field = (uint16_t)v; break;
	case 4: *(uint32_t *)field = (uint32_t)v; break;
	default: *(uint64_t *)field = v; break;
	}
}

static int set_int(parse_ctx *c, const opt_desc *d, void *field, const char *v, size_t n)
{
	uint64_t x;
	if (!parse_u64(v, n, &x) || x > d->max) {
		char expect[48];
		fmt_buf f = {expect, sizeof expect, 0};
		fmt_str(&f, "an integer 0..");
		if (d->max == UINT64_MAX)
			fmt_str(&f, "2^64-1");
		else
			fmt_dec(&f, d->max);
		return bad_value(c, d, v, n, expect, v);
	}
	store_int(field, d->width, x);
	return 0;
}

static int set_bool(parse_ctx *c, const opt_desc *d, bool *field, const char *v, size_t n)
{
	if (mem_eq(v, n, "1") || mem_eq(v, n, "true"))
		*field = true;
	else if (mem_eq(v, n, "0") || mem_eq(v, n, "false"))
		*field = false;
	else
		return bad_value(c, d, v, n, "0, 1, true or false", v);
	return 0;
}

static int set_path(parse_ctx *c, const opt_desc *d, char *field, const char *v, size_t n)
{
	/* Room for the ".PID" suffix of log files. */
	if (n >= SHIM_PATH_MAX - 16)
		return bad_value(c, d, v, n, "a path shorter than 4080 bytes", v);
	for (size_t i = 0; i < n; i++)
		field[i] = v[i];
	field[n] = '\0';
	return 0;
}

static int set_ignore(parse_ctx *c, const opt_desc *d, uint32_t *mask, const char *v, size_t n)
{
	uint32_t m = 0;
	const char *end = v + n;
	for (const char *s = v; s < end;) {
		const char *e = s;
		while (e < end && *e != ',')
			e++;
		ms_kind k;
		if (e > s) {
			if (!ms_kind_parse(s, (size_t)(e - s), &k) || k == MS_KIND_NONE)
				return bad_value(c, d, s, (size_t)(e - s),
						 "comma-separated kinds such as partial-unmap,leak", s);
			m |= 1u << k;
		}
		s = e + 1;
	}
	*mask = m;
	return 0;
}

/* "N" (the Nth call) or "N%" / "N.M%" (a share of calls, at most 100%). */
static int set_fail_mmap(parse_ctx *c, const opt_desc *d, shim_options *o, const char *v, size_t n)
{
	const char *expect = "N for the Nth call, or a share N% with 0 <= N <= 100";
	if (n && v[n - 1] == '%') {
		uint64_t whole = 0, frac = 0, scale = 1;
		size_t dot = 0;
		while (dot < n - 1 && v[dot] != '.')
			dot++;
		if (!parse_digits(v, dot, 10, &whole) || whole > 100)
			return bad_value(c, d, v, n, expect, v);
		if (dot < n - 1) {
			size_t fn = n - 2 - dot;
			if (fn > 9 || !parse_digits(v + dot + 1, fn, 10, &frac))
				return bad_value(c, d, v, n, expect, v);
			for (size_t i = 0; i < fn; i++)
				scale *= 10;
		}
		double share = ((double)whole + (double)frac / (double)scale) / 100.0;
		if (share > 1.0)
			return bad_value(c, d, v, n, expect, v);
		o->fail_mmap_share = share;
		o->fail_mmap_nth = 0;
		return 0;
	}
	uint64_t nth;
	if (!parse_u64(v, n, &nth))
		return bad_value(c, d, v, n, expect, v);
	o->fail_mmap_nth = nth;
	o->fail_mmap_share = 0;
	return 0;
}

static int set_option(parse_ctx *c, const opt_desc *d, shim_options *o,
		      const char *v, size_t n, const char *key)
{
	void *field = (char *)o + d->off;
	switch (d->type) {
	case T_BOOL:
		return set_bool(c, d, field, v, n);
	case T_INT:
		return set_int(c, d, field, v, n);
	case T_PATH:
		return set_path(c, d, field, v, n);
	case T_IGNORE:
		return set_ignore(c, d, field, v, n);
	case T_FAIL_MMAP:
		return set_fail_mmap(c, d, o, v, n);
	case T_HELP:
		return set_bool(c, d, &c->help, v, n);
	case T_TRACE:
		return fail_at(c, "trace: not built yet", NULL, 0, "", key);
	case T_POLICY:
		if (mem_eq(v, n, "miri") || mem_eq(v, n, "native")) {
			o->policy = v[0] == 'm' ? MS_POLICY_MIRI : MS_POLICY_NATIVE;
			return 0;
		}
		return bad_value(c, d, v, n, "miri or native", v);
	case T_FORMAT:
		if (mem_eq(v, n, "text") || mem_eq(v, n, "json")) {
			o->log_json = v[0] == 'j';
			return 0;
		}
		return bad_value(c, d, v, n, "text or json", v);
	}
	return -1;
}

static const opt_desc *find_option(const char *key, size_t n)
{
	for (size_t i = 0; i < OPT_COUNT; i++)
		if (mem_eq(key, n, opt_table[i].name))
			return &opt_table[i];
	return NULL;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* One key=value at *sp; advances *sp past it and its ':' separator. */
static int parse_pair(parse_ctx *c, shim_options *o, const char **sp)
{
	const char *key = *sp, *s = key;
	while (*s && *s != '=' && *s != ':')
		s++;
	const char *kend = s;
	while (kend > key && is_space(kend[-1]))
		kend--;
	if (*s != '=')
		return fail_at(c, "expected key=value, got ", key, (size_t)(s - key), "", key);
	const opt_desc *d = find_option(key, (size_t)(kend - key));
	if (!d)
		return fail_at(c, "unknown option ", key, (size_t)(kend - key), "", key);
	const char *v = ++s, *vend;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '"' || *v == '\'') {
		/* Quoted, so that a path may hold ':'. */
		char q = *v++;
		for (s = v; *s && *s != q; s++)
			;
		if (!*s)
			return fail_at(c, "unterminated quote in value of ", key, (size_t)(kend - key), "", v - 1);
		vend = s++;
		if (*s && *s != ':' && !is_space(*s))
			return fail_at(c, "expected ':' after the quoted value of ", key, (size_t)(kend - key), "", s);
	} else {
		while (*s && *s != ':')
			s++;
		vend = s;
		while (vend > v && is_space(vend[-1]))
			vend--;
	}
	*sp = s;
	return set_option(c, d, o, v, (size_t)(vend - v), key);
}

int options_parse(const char *text, shim_options *out, char *err, size_t errcap)
{
	*out = (shim_options)OPTIONS_DEFAULTS;
	if (errcap)
		err[0] = '\0';
	if (!text)
		return 0;
	parse_ctx c = {text, err, errcap, false};
	for (const char *s = text; *s;) {
		while (*s == ':' || is_space(*s))
			s++;
		if (!*s)
			break;
		if (parse_pair(&c, out, &s) < 0)
			return -1;
	}
	return c.help ? 1 : 0;
}

/* ---- loading ---- */

static void help_line(fmt_buf *f, const opt_desc *d)
{
	size_t start = f->len;
	fmt_str(f, "  ");
	fmt_str(f, d->name);
	fmt_str(f, "=");
	fmt_str(f, d->def);
	while (f->len - start < 30)
		fmt_str(f, " ");
	fmt_str(f, " ");
	fmt_str(f, d->help);
	fmt_str(f, "\n");
}

static _Noreturn void print_help(void)
{
	static char buf[8192];
	fmt_buf f = {buf, sizeof buf, 0};
	fmt_str(&f, "mapsan: MAPSAN_OPTIONS is key=value pairs separated by ':'; values may be quoted.\n"
		    "Options and their defaults:\n");
	for (size_t i = 0; i < OPT_COUNT; i++)
		help_line(&f, &opt_table[i]);
	fmt_write_all(2, buf, f.len < f.cap ? f.len : f.cap - 1);
	for (;;)
		sys_call1(SYS_exit_group, 0);
}

extern char **environ;

/* Before libc has set environ up, read the variable from /proc. */
static const char *env_from_proc(void)
{
	static char env[32768];
	if (getauxval(AT_SECURE))
		return NULL;
	long fd = sys_call3(SYS_openat, AT_FDCWD, "/proc/self/environ", O_RDONLY | O_CLOEXEC);
	if (sys_failed(fd))
		return NULL;
	size_t len = 0;
	long r;
	while (len < sizeof env - 1 &&
	       (r = sys_call3(SYS_read, fd, env + len, sizeof env - 1 - len)) != 0) {
		if (r == -4)
			continue;
		if (sys_failed(r))
			break;
		len += (size_t)r;
	}
	sys_call1(SYS_close, fd);
	env[len] = '\0';
	static const char key[] = "MAPSAN_OPTIONS=";
	for (size_t i = 0; i < len;) {
		size_t k = 0;
		while (k < sizeof key - 1 && env[i + k] == key[k])
			k++;
		if (k == sizeof key - 1)
			return env + i + k;
		while (env[i])
			i++;
		i++;
	}
	return NULL;
}

static void load_once(void)
{
	const char *text = environ ? secure_getenv("MAPSAN_OPTIONS") : env_from_proc();
	static char err[256];
	int rc = options_parse(text, &shim_opts, err, sizeof err);
	if (rc < 0)
		fmt_die(err);
	if (rc > 0)
		print_help();
	suppress_load();
}

void options_load(void)
{
	static atomic_int state; /* 0 not loaded, 1 loading, 2 loaded */
	if (atomic_load_explicit(&state, memory_order_acquire) == 2)
		return;
	int expect = 0;
	if (atomic_compare_exchange_strong(&state, &expect, 1)) {
		load_once();
		atomic_store_explicit(&state, 2, memory_order_release);
		return;
	}
	while (atomic_load_explicit(&state, memory_order_acquire) != 2)
		cpu_relax();
}
