/* run: the script executes natively. mmap-family lines go through libc and
 * call lines through libffi, so a runtime preloaded into this process judges
 * them exactly as it would the program's own calls. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "native.h"
#include "tool.h"

typedef struct {
	const sn_script *s;
	uint64_t *val;
	bool *bound;
} runner;

static bool run_fail(const runner *r, const sn_stmt *st, unsigned col, const char *a, const char *b)
{
	fprintf(stderr, "%s:%u:%u: %s%s\n", r->s->file, st->line, col, a, b ? b : "");
	return false;
}

static bool eval(const runner *r, const sn_stmt *st, const sn_value *v, uint64_t *out)
{
	if (v->sym >= 0 && !r->bound[v->sym])
		return run_fail(r, st, v->col, r->s->syms[v->sym], " has no value: the call that defines it failed");
	*out = (v->sym >= 0 ? r->val[v->sym] : 0) + v->off;
	return true;
}

static void bind(const runner *r, const sn_stmt *st, uint64_t value)
{
	if (st->def >= 0) {
		r->val[st->def] = value;
		r->bound[st->def] = true;
	}
}

/* A relative path is relative to the script, so a script and its library
 * can travel together. */
static char *resolve(const char *script, const char *path)
{
	const char *slash = strrchr(script, '/');
	if (path[0] == '/' || !strchr(path, '/') || !slash)
		return strdup(path);
	size_t dir = (size_t)(slash - script) + 1;
	char *full = malloc(dir + strlen(path) + 1);
	if (full) {
		memcpy(full, script, dir);
		strcpy(full + dir, path);
	}
	return full;
}

static bool run_load(const runner *r, const sn_stmt *st)
{
	char *path = resolve(r->s->file, st->text);
	void *h = path ? dlopen(path, RTLD_NOW | RTLD_GLOBAL) : NULL;
	free(path);
	if (!h)
		return run_fail(r, st, st->col, "cannot load: ", dlerror());
	return true;
}

static bool run_ffi(const runner *r, const sn_stmt *st)
{
	uint64_t args[SN_MAX_FFI_ARGS], ret;
	for (unsigned i = 0; i < st->nffi; i++)
		if (!eval(r, st, &st->ffi_arg[i], &args[i]))
			return false;
	void *fn = dlsym(RTLD_DEFAULT, st->text);
	if (!fn)
		return run_fail(r, st, st->col, "no such function: ", st->text);
	if (!native_ffi(fn, st, args, &ret))
		return run_fail(r, st, st->col, "libffi cannot prepare this call", NULL);
	bind(r, st, ret);
	return true;
}

static bool run_call(const runner *r, const sn_stmt *st)
{
	ms_call c = {.id = st->call, .nargs = st->nargs};
	for (unsigned i = 0; i < st->nargs; i++)
		if (!eval(r, st, &st->arg[i], &c.arg[i]))
			return false;
	if (c.id == MS_CALL_EXIT)
		fflush(NULL);
	uint64_t res = native_exec(&c);
	if (res <= (uint64_t)-4096)
		bind(r, st, res);
	return true;
}

static bool run_stmt(const runner *r, const sn_stmt *st)
{
	switch (st->kind) {
	case SN_LOAD: return run_load(r, st);
	case SN_FFI: return run_ffi(r, st);
	case SN_CALL: return run_call(r, st);
	default: return true;
	}
}

int cmd_run(const tool_args *a)
{
	sn_script s;
	if (!script_open(&s, a->file, SN_MODE_RUN))
		return EXIT_BAD_INPUT;
	runner r = {.s = &s};
	r.val = calloc(s.nsyms + 1, sizeof *r.val);
	r.bound = calloc(s.nsyms + 1, sizeof *r.bound);
	int status = r.val && r.bound ? 0 : EXIT_BAD_INPUT;
	for (size_t i = 0; i < s.count && status == 0; i++)
		if (!run_stmt(&r, &s.stmts[i]))
			status = EXIT_BAD_INPUT;
	free(r.val);
	free(r.bound);
	script_free(&s);
	return status;
}
