/* Replay (SPEC §6): each call is judged by ms_check; a failing verdict fails
 * the call, a report is printed, and whatever is forwarded is recorded with
 * the trace's result, or the fake kernel's when the trace gave none. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "replay.h"
#include "report_print.h"

typedef enum { STEP_NEXT, STEP_STOP } step;

typedef struct {
	const sn_script *s;
	const replay_opts *o;
	ms_machine *m;
	fake_kernel k;
	uint64_t *val;
	bool *bound;
	bool carry;        /* report and carry on (halt_on_error=0) */
	ms_kind last;      /* most recent report since the previous expect */
	replay_outcome *out;
	int status;
} replay;

static void *os_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return malloc(bytes);
}

static void os_release(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(p);
}

static step fail_at(replay *r, unsigned line, unsigned col, const char *what, const char *name)
{
	if (!r->o->quiet)
		fprintf(stderr, "%s:%u:%u: %s%s\n", r->s->file, line, col, name ? name : "", what);
	r->status = EXIT_BAD_INPUT;
	return STEP_STOP;
}

static bool eval(replay *r, const sn_stmt *st, const sn_value *v, uint64_t *out)
{
	if (v->sym < 0) {
		*out = v->off;
		return true;
	}
	if (!r->bound[v->sym]) {
		fail_at(r, st->line, v->col, " has no address: the call that defines it failed", r->s->syms[v->sym]);
		return false;
	}
	*out = r->val[v->sym] + v->off;
	return true;
}

static bool build_call(replay *r, const sn_stmt *st, ms_call *c)
{
	memset(c, 0, sizeof *c);
	c->id = st->call;
	c->nargs = st->nargs;
	c->file = st->file;
	for (unsigned i = 0; i < st->nargs; i++)
		if (!eval(r, st, &st->arg[i], &c->arg[i]))
			return false;
	return true;
}

static uint64_t fresh_size(const ms_call *c)
{
	if (c->id == MS_CALL_MMAP)
		return c->arg[1];
	if (c->id == MS_CALL_MREMAP)
		return c->arg[2];
	return 1;
}

/* The call's result as the trace recorded it, or the fake kernel's. */
static bool outcome(replay *r, const sn_stmt *st, const ms_call *c, uint64_t *res)
{
	switch (st->result.kind) {
	case SN_RES_FRESH: *res = fake_fresh(&r->k, fresh_size(c)); return true;
	case SN_RES_VALUE: return eval(r, st, &st->result.value, res);
	case SN_RES_ERRNO: *res = (uint64_t)0 - (uint64_t)st->result.err; return true;
	default: *res = fake_result(&r->k, c); return true;
	}
}

static void bind(replay *r, const sn_stmt *st, uint64_t value)
{
	if (st->def < 0 || fake_failed(value))
		return;
	r->val[st->def] = value;
	r->bound[st->def] = true;
}

static step report(replay *r, const ms_call *c, const ms_verdict *v)
{
	if (!r->o->quiet)
		report_print(stdout, r->o->json, c, v);
	if (r->out->reports++ == 0)
		r->out->first = v->kind;
	r->last = v->kind;
	if (r->carry)
		return STEP_NEXT;
	r->status = EXIT_REPORTED;
	return STEP_STOP;
}

/* Miri fails the call; a symbol the trace saw succeed keeps its meaning so
 * a trace recorded under another policy still replays. */
static step fail_call(replay *r, const sn_stmt *st, const ms_call *c)
{
	uint64_t res;
	if (st->result.kind == SN_RES_FRESH || st->result.kind == SN_RES_VALUE) {
		if (!outcome(r, st, c, &res))
			return STEP_STOP;
		bind(r, st, res);
	}
	return STEP_NEXT;
}

static step forward(replay *r, const sn_stmt *st, const ms_call *c)
{
	uint64_t res;
	if (!outcome(r, st, c, &res))
		return STEP_STOP;
	if (!ms_record(r->m, c, res))
		return fail_at(r, st->line, st->col, "out of memory", NULL);
	bind(r, st, res);
	return STEP_NEXT;
}

static step run_access(replay *r, const ms_call *c)
{
	ms_verdict v;
	ms_check_access(r->m, c->arg[0], &v);
	return v.action == MS_ACT_REPORT ? report(r, c, &v) : STEP_NEXT;
}

typedef struct {
	ms_range_info *items;
	size_t count, cap;
} live_list;

static bool collect_live(void *ctx, const ms_range_info *info)
{
	live_list *l = ctx;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		ms_range_info *grown = realloc(l->items, cap * sizeof *grown);
		if (!grown)
			return false;
		l->items = grown;
		l->cap = cap;
	}
	l->items[l->count++] = *info;
	return true;
}

static step run_exit(replay *r, const ms_call *c)
{
	live_list l = {0};
	step next = STEP_NEXT;
	ms_for_each_live(r->m, collect_live, &l);
	for (size_t i = 0; i < l.count && next == STEP_NEXT; i++) {
		ms_verdict v;
		ms_check_leak(r->m, &l.items[i], &v);
		next = report(r, c, &v);
	}
	free(l.items);
	return next;
}

static step run_call(replay *r, const sn_stmt *st)
{
	ms_call c;
	ms_verdict v;
	if (!build_call(r, st, &c))
		return STEP_STOP;
	if (c.id == MS_CALL_ACCESS)
		return run_access(r, &c);
	if (c.id == MS_CALL_EXIT)
		return run_exit(r, &c);
	ms_check(r->m, &c, &v);
	if (v.action == MS_ACT_FAIL)
		return fail_call(r, st, &c);
	if (v.action == MS_ACT_REPORT && report(r, &c, &v) == STEP_STOP)
		return STEP_STOP;
	return forward(r, st, &c);
}

static const char *kind_or_clean(ms_kind k)
{
	return k == MS_KIND_NONE ? "clean" : ms_kind_name(k);
}

static step run_expect(replay *r, const sn_stmt *st)
{
	ms_kind got = r->last;
	r->last = MS_KIND_NONE;
	if (got == st->expect)
		return STEP_NEXT;
	if (!r->o->quiet)
		fprintf(stderr, "%s:%u:1: expected %s, got %s\n", r->s->file, st->line,
			kind_or_clean(st->expect), kind_or_clean(got));
	r->status = EXIT_EXPECT;
	return STEP_STOP;
}

static bool has_expect(const sn_script *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->stmts[i].kind == SN_EXPECT)
			return true;
	return false;
}

static void replay_all(replay *r)
{
	const sn_script *s = r->s;
	for (size_t i = 0; i < s->count; i++) {
		const sn_stmt *st = &s->stmts[i];
		if (r->o->keep && !r->o->keep[i])
			continue;
		step next = STEP_NEXT;
		if (st->kind == SN_CALL)
			next = run_call(r, st);
		else if (st->kind == SN_EXPECT && !r->o->keep)
			next = run_expect(r, st);
		if (next == STEP_STOP)
			return;
	}
	r->status = r->last != MS_KIND_NONE ? EXIT_REPORTED : 0;
}

static ms_machine *machine_for(const sn_script *s, const replay_opts *o)
{
	ms_config cfg = {
		.page_size = s->page,
		.policy = o->policy_given ? o->policy : s->policy_set ? s->policy : MS_POLICY_MIRI,
		.allow_sealed_files = s->allow_sealed_files,
		.check_msync = s->check_msync,
		.os = {.ctx = (void *)s, .alloc = os_alloc, .release = os_release, .range_foreign = fake_foreign},
	};
	return ms_machine_create(&cfg);
}

int replay_script(const sn_script *s, const replay_opts *o, replay_outcome *out)
{
	replay r = {.s = s, .o = o, .out = out};
	memset(out, 0, sizeof *out);
	r.m = machine_for(s, o);
	r.val = calloc(s->nsyms + 1, sizeof *r.val);
	r.bound = calloc(s->nsyms + 1, sizeof *r.bound);
	if (!r.m || !r.val || !r.bound) {
		fprintf(stderr, "mapsan-interp: out of memory\n");
		r.status = EXIT_BAD_INPUT;
	} else {
		fake_init(&r.k, s, r.m);
		r.carry = o->keep_going || (!o->keep && has_expect(s));
		replay_all(&r);
	}
	free(r.val);
	free(r.bound);
	ms_machine_destroy(r.m);
	return r.status;
}
