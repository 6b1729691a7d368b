/* minimize: delta debugging (Zeller's ddmin) over the trace's calls. A
 * candidate is always closed under definitions, so every symbol a kept line
 * uses is still defined by the line that named it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

typedef struct {
	const sn_script *s;
	replay_opts opts;
	ms_kind want;
	bool *mask;        /* scratch: the candidate being probed */
	size_t *cur;       /* statements kept so far */
	size_t ncur;
	size_t *trial;     /* scratch: the candidate as a list */
} minimizer;

static void use_symbol(const sn_script *s, const sn_value *v, bool *mask)
{
	if (v->sym >= 0)
		mask[s->sym_def[v->sym]] = true;
}

/* Definitions precede uses, so one backward pass closes the set. */
static void close_over_defs(const sn_script *s, bool *mask)
{
	for (size_t i = s->count; i-- > 0;) {
		const sn_stmt *st = &s->stmts[i];
		if (!mask[i])
			continue;
		for (unsigned a = 0; a < st->nargs; a++)
			use_symbol(s, &st->arg[a], mask);
		if (st->result.kind == SN_RES_VALUE)
			use_symbol(s, &st->result.value, mask);
	}
}

static size_t mask_count(const minimizer *z)
{
	size_t n = 0;
	for (size_t i = 0; i < z->s->count; i++)
		n += z->mask[i];
	return n;
}

static ms_kind probe(minimizer *z)
{
	replay_outcome out;
	int status = replay_script(z->s, &z->opts, &out);
	return status == EXIT_BAD_INPUT ? MS_KIND_NONE : out.first;
}

/* Tests trial[0..n) closed over definitions; adopts it when it is smaller
 * than what is kept and still gives the wanted first kind. */
static bool try_candidate(minimizer *z, size_t n)
{
	memset(z->mask, 0, z->s->count * sizeof *z->mask);
	for (size_t i = 0; i < n; i++)
		z->mask[z->trial[i]] = true;
	close_over_defs(z->s, z->mask);
	if (mask_count(z) >= z->ncur || probe(z) != z->want)
		return false;
	z->ncur = 0;
	for (size_t i = 0; i < z->s->count; i++)
		if (z->mask[i])
			z->cur[z->ncur++] = i;
	return true;
}

static bool try_chunk(minimizer *z, size_t lo, size_t hi, bool complement)
{
	size_t n = 0;
	for (size_t i = 0; i < z->ncur; i++)
		if ((i >= lo && i < hi) != complement)
			z->trial[n++] = z->cur[i];
	return try_candidate(z, n);
}

static void ddmin(minimizer *z)
{
	size_t parts = 2;
	while (z->ncur >= 2) {
		bool reduced = false;
		size_t step = (z->ncur + parts - 1) / parts;
		for (size_t lo = 0; lo < z->ncur && !reduced; lo += step) {
			if (try_chunk(z, lo, lo + step, false)) {
				parts = 2;
				reduced = true;
			} else if (try_chunk(z, lo, lo + step, true)) {
				parts = parts > 2 ? parts - 1 : 2;
				reduced = true;
			}
		}
		if (reduced)
			continue;
		if (parts >= z->ncur)
			return;
		parts = parts * 2 < z->ncur ? parts * 2 : z->ncur;
	}
}

static void print_trace(FILE *f, const minimizer *z)
{
	const sn_script *s = z->s;
	fprintf(f, "# minimized from %s: first report %s\n", s->file, ms_kind_name(z->want));
	for (size_t i = 0; i < s->nheader; i++)
		fprintf(f, "%s\n", s->lines[s->header[i] - 1]);
	for (size_t i = 0; i < z->ncur; i++)
		fprintf(f, "%s\n", s->lines[s->stmts[z->cur[i]].line - 1]);
}

static int minimize(minimizer *z, const tool_args *a)
{
	const sn_script *s = z->s;
	for (size_t i = 0; i < s->count; i++)
		if ((z->mask[i] = s->stmts[i].kind == SN_CALL))
			z->cur[z->ncur++] = i;
	z->want = probe(z);
	if (z->want == MS_KIND_NONE) {
		fprintf(stderr, "mapsan-interp: %s gives no report: nothing to minimize\n", s->file);
		return EXIT_EXPECT;
	}
	ddmin(z);
	FILE *f = a->out ? fopen(a->out, "w") : stdout;
	if (!f) {
		perror(a->out);
		return EXIT_BAD_INPUT;
	}
	print_trace(f, z);
	return (a->out ? fclose(f) : fflush(f)) == 0 ? 0 : EXIT_BAD_INPUT;
}

int cmd_minimize(const tool_args *a)
{
	sn_script s;
	if (!script_open(&s, a->file, SN_MODE_REPLAY))
		return EXIT_BAD_INPUT;
	minimizer z = {.s = &s, .opts = a->replay};
	size_t n = s.count + 1;
	z.mask = calloc(n, sizeof *z.mask);
	z.cur = calloc(n, sizeof *z.cur);
	z.trial = calloc(n, sizeof *z.trial);
	z.opts.quiet = true;
	z.opts.keep_going = false;
	z.opts.keep = z.mask;
	int status = EXIT_BAD_INPUT;
	if (z.mask && z.cur && z.trial)
		status = minimize(&z, a);
	free(z.mask);
	free(z.cur);
	free(z.trial);
	script_free(&s);
	return status;
}
