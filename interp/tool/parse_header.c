/* Header directives: page, policy, foreign and the runtime options. */
#include "parse.h"

static bool parse_header_number(parser *p, uint64_t *out)
{
	sn_value v;
	if (!parse_value(p, &v))
		return false;
	if (v.sym >= 0)
		return parse_fail(p, v.col, "expected a number");
	*out = v.off;
	return true;
}

static bool parse_page(parser *p)
{
	uint64_t n = 0;
	unsigned col = p->lx.tok.col;
	if (p->s->page)
		return parse_fail(p, col, "page given twice");
	if (!parse_header_number(p, &n))
		return false;
	if (n < 4096 || (n & (n - 1)) || n > ((uint64_t)1 << 30))
		return parse_fail(p, col, "page size must be a power of two from 4096 to 1G");
	p->s->page = (size_t)n;
	return true;
}

static bool parse_policy(parser *p)
{
	token t = p->lx.tok;
	if (p->s->policy_set)
		return parse_fail(p, t.col, "policy given twice");
	if (tok_is(&t, "miri"))
		p->s->policy = MS_POLICY_MIRI;
	else if (tok_is(&t, "native"))
		p->s->policy = MS_POLICY_NATIVE;
	else
		return parse_fail(p, t.col, "unknown policy '%.*s' (miri or native)", (int)t.len, t.s);
	p->s->policy_set = true;
	lex_next(&p->lx);
	return true;
}

static bool parse_foreign(parser *p)
{
	sn_script *s = p->s;
	unsigned col = p->lx.tok.col;
	if (s->nforeign == SN_MAX_FOREIGN)
		return parse_fail(p, col, "more than %d foreign regions", SN_MAX_FOREIGN);
	sn_region *r = &s->foreign[s->nforeign];
	if (!parse_header_number(p, &r->base) || !parse_header_number(p, &r->len))
		return false;
	if (r->len == 0 || r->base + r->len < r->base)
		return parse_fail(p, col, "empty or wrapping foreign region");
	s->nforeign++;
	return true;
}

bool header_word(const token *t)
{
	return tok_is(t, "page") || tok_is(t, "policy") || tok_is(t, "foreign") ||
	       tok_is(t, "check_msync") || tok_is(t, "allow_sealed_files");
}

bool parse_header(parser *p)
{
	token verb = p->lx.tok;
	if (p->has_def)
		return parse_fail(p, verb.col, "'%.*s' cannot be named", (int)verb.len, verb.s);
	if (p->in_body)
		return parse_fail(p, verb.col, "'%.*s' must come before the first statement", (int)verb.len, verb.s);
	lex_next(&p->lx);
	bool ok = true;
	if (tok_is(&verb, "page"))
		ok = parse_page(p);
	else if (tok_is(&verb, "policy"))
		ok = parse_policy(p);
	else if (tok_is(&verb, "foreign"))
		ok = parse_foreign(p);
	else if (tok_is(&verb, "check_msync"))
		p->s->check_msync = true;
	else
		p->s->allow_sealed_files = true;
	return ok && parse_end(p);
}
