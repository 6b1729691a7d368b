#include <stdlib.h>
#include <string.h>

#include "symbolize.h"

typedef struct {
	a2l_module *v;
	size_t n, cap;
} a2l_set;

static bool usable_module(const char *m)
{
	return m && m[0] == '/';
}

static a2l_module *module_of(a2l_set *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0)
			return &s->v[i];
	if (s->n == s->cap) {
		a2l_module *v = realloc(s->v, (s->cap = s->cap * 2 + 8) * sizeof *v);
		if (!v)
			return NULL;
		s->v = v;
	}
	memset(&s->v[s->n], 0, sizeof s->v[0]);
	/* Its own copy: the frames that named it are freed as stacks expand. */
	if (!(s->v[s->n].path = strdup(path)))
		return NULL;
	return &s->v[s->n++];
}

static void module_add(a2l_module *m, uint64_t off)
{
	if (m->n == m->cap) {
		uint64_t *v = realloc(m->offs, (m->cap = m->cap * 2 + 16) * sizeof *v);
		if (!v)
			return;
		m->offs = v;
	}
	m->offs[m->n++] = off;
}

static void gather_stack(a2l_set *s, const lstack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		a2l_module *m;
		if (!usable_module(st->v[i].module) || st->v[i].offset == 0)
			continue;
		if ((m = module_of(s, st->v[i].module)))
			module_add(m, st->v[i].offset);
	}
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void module_finish(a2l_module *m)
{
	size_t w = 0;

	if (!m->n)
		return;
	qsort(m->offs, m->n, sizeof *m->offs, u64_cmp);
	for (size_t i = 0; i < m->n; i++)
		if (w == 0 || m->offs[w - 1] != m->offs[i])
			m->offs[w++] = m->offs[i];
	m->n = w;
	m->res = calloc(m->n, sizeof *m->res);
}

static const a2l_result *result_of(const a2l_set *s, const lframe *f)
{
	if (!usable_module(f->module))
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		const a2l_module *m = &s->v[i];
		uint64_t *hit;
		if (strcmp(m->path, f->module) != 0 || !m->res)
			continue;
		hit = bsearch(&f->offset, m->offs, m->n, sizeof *m->offs, u64_cmp);
		return hit && m->res[hit - m->offs].n ? &m->res[hit - m->offs] : NULL;
	}
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* addr2line's name, which it gives only with a line table, wins: it
 * names inlined functions, which no symbol table holds. */
static void frame_fill(lframe *out, const lframe *f, const a2l_entry *e)
{
	*out = *f;
	out->module = dup_or_null(f->module);
	out->function = dup_or_null(e->function ? e->function : f->function);
	out->file = dup_or_null(e->file ? e->file : f->file);
	out->line = e->file ? e->line : f->line;
}

static void stack_expand(const a2l_set *s, lstack *st)
{
	size_t n = 0, w = 0;
	lframe *v;

	for (size_t i = 0; i < st->n; i++) {
		const a2l_result *r = result_of(s, &st->v[i]);
		n += r ? r->n : 1;
	}
	if (n == 0 || !(v = calloc(n, sizeof *v)))
		return;
	for (size_t i = 0; i < st->n; i++) {
		const a2l_result *r = result_of(s, &st->v[i]);
		if (!r) {
			v[w++] = st->v[i];
			continue;
		}
		for (size_t j = 0; j < r->n; j++)
			frame_fill(&v[w++], &st->v[i], &r->e[j]);
		free(st->v[i].module);
		free(st->v[i].function);
		free(st->v[i].file);
	}
	free(st->v);
	st->v = v;
	st->n = w;
}

static void set_free(a2l_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		a2l_module *m = &s->v[i];
		for (size_t j = 0; m->res && j < m->n; j++) {
			for (size_t k = 0; k < m->res[j].n; k++) {
				free(m->res[j].e[k].function);
				free(m->res[j].e[k].file);
			}
			free(m->res[j].e);
		}
		free(m->res);
		free(m->offs);
		free(m->path);
	}
	free(s->v);
}

void symbolize_run(lrun *run, const char *scratch_dir)
{
	char tool[4096], scratch[4096];
	a2l_set set = {0};

	if (!command_resolve("addr2line", tool, sizeof tool))
		return;
	snprintf(scratch, sizeof scratch, "%s/addr2line.in", scratch_dir);
	for (size_t i = 0; i < run->n; i++) {
		gather_stack(&set, &run->v[i].stack);
		gather_stack(&set, &run->v[i].origin);
		gather_stack(&set, &run->v[i].unmapped);
	}
	for (size_t i = 0; i < set.n; i++) {
		module_finish(&set.v[i]);
		addr2line_module(&set.v[i], tool, scratch);
	}
	for (size_t i = 0; i < run->n; i++) {
		stack_expand(&set, &run->v[i].stack);
		stack_expand(&set, &run->v[i].origin);
		stack_expand(&set, &run->v[i].unmapped);
	}
	set_free(&set);
}
