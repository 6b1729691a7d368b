/* Numbers, address values, flag sets and results. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

bool parse_fail(parser *p, unsigned col, const char *fmt, ...)
{
	if (p->err->line == 0) {
		p->err->line = p->line;
		p->err->col = col;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
		va_end(ap);
	}
	return false;
}

bool parse_end(parser *p)
{
	token *t = &p->lx.tok;
	if (t->type == TK_END)
		return true;
	return parse_fail(p, t->col, "unexpected '%.*s' at end of line", (int)t->len, t->s);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool parse_number(parser *p, const token *t, uint64_t *out)
{
	unsigned base = 10;
	size_t i = 0;
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	uint64_t v = 0;
	for (; i < t->len; i++) {
		unsigned d = (unsigned)digit_value(t->s[i]);
		if (d >= base || v > (UINT64_MAX - d) / base)
			return parse_fail(p, t->col, "bad number '%.*s'", (int)t->len, t->s);
		v = v * base + d;
	}
	*out = v;
	return true;
}

static bool is_number(const token *t)
{
	return t->type == TK_WORD && t->s[0] >= '0' && t->s[0] <= '9';
}

static bool parse_symbol(parser *p, sn_value *v)
{
	token t = p->lx.tok;
	v->sym = symbol_find(p->s, t.s, t.len);
	if (v->sym < 0)
		return parse_fail(p, t.col, "undefined symbol '%.*s'", (int)t.len, t.s);
	v->off = 0;
	lex_next(&p->lx);
	if (p->lx.tok.type != TK_PLUS)
		return true;
	lex_next(&p->lx);
	t = p->lx.tok;
	if (!is_number(&t))
		return parse_fail(p, t.col, "expected an offset after '+'");
	lex_next(&p->lx);
	return parse_number(p, &t, &v->off);
}

bool parse_value(parser *p, sn_value *v)
{
	token t = p->lx.tok;
	v->col = t.col;
	v->sym = -1;
	if (t.type == TK_MINUS) {
		lex_next(&p->lx);
		token n = p->lx.tok;
		if (!is_number(&n))
			return parse_fail(p, n.col, "expected a number after '-'");
		lex_next(&p->lx);
		if (!parse_number(p, &n, &v->off))
			return false;
		v->off = (uint64_t)0 - v->off;
		return true;
	}
	if (is_number(&t)) {
		lex_next(&p->lx);
		return parse_number(p, &t, &v->off);
	}
	if (t.type == TK_WORD)
		return parse_symbol(p, v);
	if (t.type == TK_END)
		return parse_fail(p, t.col, "missing argument");
	if (t.type == TK_BAD)
		return parse_fail(p, t.col, "unexpected character '%c'", t.s[0]);
	return parse_fail(p, t.col, "expected an address or a number, got '%.*s'", (int)t.len, t.s);
}

static bool parse_flag_item(parser *p, sn_names set, uint64_t *acc)
{
	token t = p->lx.tok;
	uint64_t v;
	if (t.type == TK_END)
		return parse_fail(p, t.col, "missing argument");
	if (t.type != TK_WORD)
		return parse_fail(p, t.col, "expected a %s, got '%.*s'", names_title(set), (int)t.len, t.s);
	if (is_number(&t)) {
		if (!parse_number(p, &t, &v))
			return false;
	} else if (!name_lookup(set, t.s, t.len, &v)) {
		return parse_fail(p, t.col, "unknown %s '%.*s'", names_title(set), (int)t.len, t.s);
	}
	*acc |= v;
	lex_next(&p->lx);
	return true;
}

bool parse_flags(parser *p, sn_names set, sn_value *v)
{
	v->col = p->lx.tok.col;
	v->sym = -1;
	v->off = 0;
	if (!parse_flag_item(p, set, &v->off))
		return false;
	while (p->lx.tok.type == TK_BAR) {
		lex_next(&p->lx);
		if (!parse_flag_item(p, set, &v->off))
			return false;
	}
	return true;
}

static bool parse_errno_result(parser *p, sn_stmt *st)
{
	lex_next(&p->lx);
	token t = p->lx.tok;
	uint64_t n;
	st->result.kind = SN_RES_ERRNO;
	if (is_number(&t)) {
		if (!parse_number(p, &t, &n))
			return false;
		if (n == 0 || n >= 4096)
			return parse_fail(p, t.col, "errno %.*s out of range", (int)t.len, t.s);
		st->result.err = (int)n;
	} else if (t.type != TK_WORD || !errno_lookup(t.s, t.len, &st->result.err)) {
		return parse_fail(p, t.col, "unknown errno name '%.*s'", (int)t.len, t.s);
	}
	lex_next(&p->lx);
	return true;
}

static bool names_def(const parser *p, const token *t)
{
	return p->has_def && t->len == p->def.len && memcmp(t->s, p->def.s, t->len) == 0;
}

bool parse_result(parser *p, sn_stmt *st)
{
	st->result.kind = SN_RES_NONE;
	if (p->lx.tok.type != TK_ARROW)
		return true;
	lex_next(&p->lx);
	token t = p->lx.tok;
	if (t.type == TK_MINUS)
		return parse_errno_result(p, st);
	if (names_def(p, &t)) {
		lex_next(&p->lx);
		if (p->lx.tok.type == TK_PLUS)
			return parse_fail(p, t.col, "'%.*s' is what this line defines: it has no address yet",
					  (int)t.len, t.s);
		st->result.kind = SN_RES_FRESH;
		st->result.value.col = t.col;
		return true;
	}
	st->result.kind = SN_RES_VALUE;
	if (t.type == TK_END)
		return parse_fail(p, t.col, "missing result after '->'");
	return parse_value(p, &st->result.value);
}
