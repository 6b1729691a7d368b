/* Lines: assignments, header directives and statements. */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static const char *const keywords[] = {
	"call", "expect", "load", "page", "policy", "foreign", "check_msync",
	"allow_sealed_files", "file", "clean", NULL};

bool word_reserved(const token *t)
{
	ms_call_id id;
	for (const char *const *k = keywords; *k; k++)
		if (tok_is(t, *k))
			return true;
	return ms_call_parse(t->s, t->len, &id);
}

int symbol_find(const sn_script *s, const char *name, size_t len)
{
	for (size_t i = s->nsyms; i-- > 0;)
		if (strlen(s->syms[i]) == len && memcmp(s->syms[i], name, len) == 0)
			return (int)i;
	return -1;
}

static int symbol_add(sn_script *s, const token *t, size_t stmt)
{
	char **syms = realloc(s->syms, (s->nsyms + 1) * sizeof *syms);
	int *defs = syms ? realloc(s->sym_def, (s->nsyms + 1) * sizeof *defs) : NULL;
	if (syms)
		s->syms = syms;
	if (!defs)
		return -1;
	s->sym_def = defs;
	s->syms[s->nsyms] = strndup(t->s, t->len);
	s->sym_def[s->nsyms] = (int)stmt;
	return (int)s->nsyms++;
}

static bool parse_expect(parser *p, sn_stmt *st)
{
	st->kind = SN_EXPECT;
	if (p->mode == SN_MODE_RUN)
		return parse_fail(p, st->col, "expect needs replay: run checks no expectations");
	lex_next(&p->lx);
	token t = p->lx.tok;
	if (tok_is(&t, "clean"))
		st->expect = MS_KIND_NONE;
	else if (t.type != TK_WORD && t.type != TK_MINUS)
		return parse_fail(p, t.col, "expect needs a report kind or 'clean'");
	else if (!ms_kind_parse(t.s, strcspn(t.s, " \t\r#"), &st->expect))
		return parse_fail(p, t.col, "unknown report kind '%.*s'", (int)strcspn(t.s, " \t\r#"), t.s);
	/* Kind names contain '-', which the lexer splits: skip the whole word. */
	p->lx.pos = (size_t)(t.s - p->lx.line) + strcspn(t.s, " \t\r#");
	lex_next(&p->lx);
	return parse_end(p);
}

static bool parse_load(parser *p, sn_stmt *st)
{
	st->kind = SN_LOAD;
	if (p->mode == SN_MODE_REPLAY)
		return parse_fail(p, st->col, "load needs run: replay runs no native code");
	lex_next(&p->lx);
	const char *path;
	size_t n = lex_rest(&p->lx, &path);
	if (n == 0)
		return parse_fail(p, p->lx.tok.col, "load needs a path");
	st->text = strndup(path, n);
	return true;
}

static bool parse_statement(parser *p, sn_stmt *st)
{
	token verb = p->lx.tok;
	st->col = verb.col;
	if (p->exited && !tok_is(&verb, "expect"))
		return parse_fail(p, verb.col, "only expect may follow exit");
	if (tok_is(&verb, "expect")) {
		if (p->has_def)
			return parse_fail(p, verb.col, "expect cannot be named");
		return parse_expect(p, st);
	}
	if (tok_is(&verb, "load")) {
		if (p->has_def)
			return parse_fail(p, verb.col, "load cannot be named");
		return parse_load(p, st);
	}
	if (tok_is(&verb, "call")) {
		if (p->mode == SN_MODE_REPLAY)
			return parse_fail(p, verb.col, "call needs run: replay runs no native code");
		return parse_ffi(p, st);
	}
	if (verb.type == TK_BAD)
		return parse_fail(p, verb.col, "unexpected character '%c'", verb.s[0]);
	if (verb.type != TK_WORD || !ms_call_parse(verb.s, verb.len, &st->call))
		return parse_fail(p, verb.col, "unknown call '%.*s'", (int)verb.len, verb.s);
	p->exited = st->call == MS_CALL_EXIT;
	return parse_call(p, st);
}

static bool parse_assignment(parser *p)
{
	lexer peek = p->lx;
	lex_next(&peek);
	p->has_def = false;
	if (peek.tok.type != TK_EQ)
		return true;
	token t = p->lx.tok;
	if (t.type != TK_WORD || (t.s[0] >= '0' && t.s[0] <= '9'))
		return parse_fail(p, t.col, "expected a name before '='");
	if (word_reserved(&t))
		return parse_fail(p, t.col, "'%.*s' is reserved and cannot name a value", (int)t.len, t.s);
	if (symbol_find(p->s, t.s, t.len) >= 0)
		return parse_fail(p, t.col, "symbol '%.*s' is already defined", (int)t.len, t.s);
	p->def = t;
	p->has_def = true;
	lex_next(&p->lx);
	lex_next(&p->lx);
	return true;
}

static bool add_statement(parser *p)
{
	sn_script *s = p->s;
	sn_stmt *grown = realloc(s->stmts, (s->count + 1) * sizeof *grown);
	if (!grown)
		return parse_fail(p, 1, "out of memory");
	s->stmts = grown;
	sn_stmt *st = &s->stmts[s->count];
	memset(st, 0, sizeof *st);
	st->line = p->line;
	st->def = -1;
	if (!parse_statement(p, st)) {
		free(st->text);
		return false;
	}
	if (p->has_def && (st->def = symbol_add(s, &p->def, s->count)) < 0)
		return parse_fail(p, 1, "out of memory");
	s->count++;
	p->in_body = true;
	return true;
}

static bool add_header_line(parser *p)
{
	sn_script *s = p->s;
	unsigned *grown = realloc(s->header, (s->nheader + 1) * sizeof *grown);
	if (!grown)
		return parse_fail(p, 1, "out of memory");
	s->header = grown;
	s->header[s->nheader++] = p->line;
	return parse_header(p);
}

static bool parse_line(parser *p, const char *line)
{
	lex_start(&p->lx, line);
	if (p->lx.tok.type == TK_END)
		return true;
	if (!parse_assignment(p))
		return false;
	if (header_word(&p->lx.tok))
		return add_header_line(p);
	return add_statement(p);
}

static bool split_lines(sn_script *s, char *text)
{
	size_t n = 1;
	for (char *c = text; *c; c++)
		n += *c == '\n';
	s->lines = calloc(n, sizeof *s->lines);
	if (!s->lines)
		return false;
	char *c = text;
	while (c) {
		s->lines[s->nlines++] = c;
		c = strchr(c, '\n');
		if (c)
			*c++ = '\0';
	}
	if (s->nlines > 1 && s->lines[s->nlines - 1][0] == '\0')
		s->nlines--;
	return true;
}

bool script_parse(sn_script *s, const char *file, char *text, sn_mode mode, sn_error *err)
{
	memset(s, 0, sizeof *s);
	memset(err, 0, sizeof *err);
	s->file = file;
	s->buf = text;
	parser p = {.s = s, .mode = mode, .err = err};
	if (!split_lines(s, text)) {
		p.line = 1;
		return parse_fail(&p, 1, "out of memory");
	}
	for (size_t i = 0; i < s->nlines; i++) {
		p.line = (unsigned)i + 1;
		if (!parse_line(&p, s->lines[i]))
			return false;
	}
	if (!s->page)
		s->page = 4096;
	return true;
}
