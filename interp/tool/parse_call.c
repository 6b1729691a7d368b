/* Call statements: the model's calls with their signatures, and the native
 * `call FUNC(TYPE VALUE, ...) -> TYPE` of scripts. */
#include <string.h>

#include "parse.h"

/* Argument codes: v value, p prot, f mmap flags, r mremap flags,
 * a madvise advice, A posix_madvise advice, s msync flags, l mlockall
 * flags; what follows '?' may be left out. */
static const struct {
	const char *args;
	bool returns_addr;
	bool no_result;
} sigs[MS_CALL_COUNT] = {
	[MS_CALL_MMAP] = {"vvpfvv", true, false},
	[MS_CALL_MUNMAP] = {"vv", false, false},
	[MS_CALL_MREMAP] = {"vvvr?v", true, false},
	[MS_CALL_MPROTECT] = {"vvp", false, false},
	[MS_CALL_MADVISE] = {"vva", false, false},
	[MS_CALL_FREE] = {"v", false, true},
	[MS_CALL_REALLOC] = {"vv", true, false},
	[MS_CALL_MSYNC] = {"vvs", false, false},
	[MS_CALL_MLOCK] = {"vv", false, false},
	[MS_CALL_MUNLOCK] = {"vv", false, false},
	[MS_CALL_MLOCKALL] = {"l", false, false},
	[MS_CALL_MINCORE] = {"vvv", false, false},
	[MS_CALL_PKEY_MPROTECT] = {"vvpv", false, false},
	[MS_CALL_REMAP_FILE_PAGES] = {"vvvvv", false, false},
	[MS_CALL_POSIX_MADVISE] = {"vvA", false, false},
	[MS_CALL_BRK] = {"v", false, false},
	[MS_CALL_SBRK] = {"v", true, false},
	[MS_CALL_ACCESS] = {"v", false, true},
	[MS_CALL_EXIT] = {"", false, true},
};

static sn_names code_names(char code)
{
	switch (code) {
	case 'p': return SN_NAMES_PROT;
	case 'f': return SN_NAMES_MAP;
	case 'r': return SN_NAMES_MREMAP;
	case 'a': return SN_NAMES_MADV;
	case 'A': return SN_NAMES_POSIX_MADV;
	case 's': return SN_NAMES_MS;
	default: return SN_NAMES_MCL;
	}
}

static bool args_over(const token *t)
{
	return t->type == TK_END || t->type == TK_ARROW || tok_is(t, "file");
}

static unsigned required_args(const char *codes)
{
	return (unsigned)strcspn(codes, "?");
}

static bool parse_args(parser *p, sn_stmt *st)
{
	const char *codes = sigs[st->call].args;
	const char *name = ms_call_name(st->call);
	unsigned need = required_args(codes), total = (unsigned)strlen(codes) - (strchr(codes, '?') != NULL);
	for (const char *c = codes; *c; c++) {
		if (*c == '?')
			continue;
		if (args_over(&p->lx.tok)) {
			if (st->nargs >= need)
				break;
			return parse_fail(p, p->lx.tok.col, "%s takes %u arguments, got %u", name, need, st->nargs);
		}
		sn_value *v = &st->arg[st->nargs++];
		bool ok = *c == 'v' ? parse_value(p, v) : parse_flags(p, code_names(*c), v);
		if (!ok)
			return false;
	}
	if (p->lx.tok.type == TK_BAD)
		return parse_fail(p, p->lx.tok.col, "unexpected character '%c'", p->lx.tok.s[0]);
	if (!args_over(&p->lx.tok))
		return parse_fail(p, p->lx.tok.col, "too many arguments: %s takes %u", name, total);
	return true;
}

static bool parse_fact(parser *p, ms_file_facts *f)
{
	token t = p->lx.tok;
	lex_next(&p->lx);
	if (tok_is(&t, "regular"))
		return f->regular = true;
	if (tok_is(&t, "sealed"))
		return f->sealed = true;
	if (tok_is(&t, "verity"))
		return f->verity = true;
	if (!tok_is(&t, "size"))
		return parse_fail(p, t.col, "unknown file fact '%.*s'", (int)t.len, t.s);
	if (p->lx.tok.type != TK_EQ)
		return parse_fail(p, p->lx.tok.col, "expected '=' after size");
	lex_next(&p->lx);
	token n = p->lx.tok;
	lex_next(&p->lx);
	if (n.type != TK_WORD)
		return parse_fail(p, n.col, "expected a file size");
	return parse_number(p, &n, &f->size);
}

static bool parse_file_facts(parser *p, sn_stmt *st)
{
	if (!tok_is(&p->lx.tok, "file"))
		return true;
	if (st->call != MS_CALL_MMAP)
		return parse_fail(p, p->lx.tok.col, "only mmap takes file facts");
	lex_next(&p->lx);
	st->file.valid = true;
	while (p->lx.tok.type == TK_WORD)
		if (!parse_fact(p, &st->file))
			return false;
	return true;
}

bool parse_call(parser *p, sn_stmt *st)
{
	const char *name = ms_call_name(st->call);
	st->kind = SN_CALL;
	lex_next(&p->lx);
	if (p->has_def && !sigs[st->call].returns_addr)
		return parse_fail(p, p->def.col, "%s returns no address to name", name);
	if (!parse_args(p, st) || !parse_file_facts(p, st))
		return false;
	unsigned arrow_col = p->lx.tok.col;
	if (!parse_result(p, st))
		return false;
	if (st->result.kind != SN_RES_NONE && sigs[st->call].no_result)
		return parse_fail(p, arrow_col, "%s has no result", name);
	if (st->result.kind == SN_RES_FRESH && !sigs[st->call].returns_addr)
		return parse_fail(p, st->result.value.col, "%s returns no address", name);
	return parse_end(p);
}

/* ---- call FUNC(TYPE VALUE, ...) -> TYPE ---- */

static const char *const ctype_names[] = {
	[SN_C_VOID] = "void", [SN_C_INT] = "int", [SN_C_LONG] = "long",
	[SN_C_SIZE] = "size_t", [SN_C_U64] = "uint64_t", [SN_C_PTR] = "ptr",
};

static bool parse_ctype(parser *p, sn_ctype *out, bool allow_void)
{
	token t = p->lx.tok;
	for (unsigned i = allow_void ? 0 : 1; i < sizeof ctype_names / sizeof *ctype_names; i++) {
		if (tok_is(&t, ctype_names[i])) {
			*out = (sn_ctype)i;
			lex_next(&p->lx);
			return true;
		}
	}
	if (t.type == TK_END)
		return parse_fail(p, t.col, "missing C type");
	return parse_fail(p, t.col, "unknown C type '%.*s' (int, long, size_t, uint64_t, ptr%s)",
			  (int)t.len, t.s, allow_void ? ", void" : "");
}

static bool expect_tok(parser *p, tk_type type, const char *what)
{
	if (p->lx.tok.type != type)
		return parse_fail(p, p->lx.tok.col, "expected %s", what);
	lex_next(&p->lx);
	return true;
}

static bool parse_ffi_args(parser *p, sn_stmt *st)
{
	if (p->lx.tok.type == TK_RPAREN)
		return true;
	for (;;) {
		if (st->nffi == SN_MAX_FFI_ARGS)
			return parse_fail(p, p->lx.tok.col, "more than %d arguments", SN_MAX_FFI_ARGS);
		if (!parse_ctype(p, &st->ffi_type[st->nffi], false) || !parse_value(p, &st->ffi_arg[st->nffi]))
			return false;
		st->nffi++;
		if (p->lx.tok.type != TK_COMMA)
			return true;
		lex_next(&p->lx);
	}
}

bool parse_ffi(parser *p, sn_stmt *st)
{
	st->kind = SN_FFI;
	lex_next(&p->lx);
	token fn = p->lx.tok;
	if (fn.type != TK_WORD || (fn.s[0] >= '0' && fn.s[0] <= '9'))
		return parse_fail(p, fn.col, "expected a function name");
	st->text = strndup(fn.s, fn.len);
	lex_next(&p->lx);
	if (!expect_tok(p, TK_LPAREN, "'('") || !parse_ffi_args(p, st) || !expect_tok(p, TK_RPAREN, "')' or ','"))
		return false;
	if (!expect_tok(p, TK_ARROW, "'-> TYPE' (the return type)"))
		return false;
	unsigned rcol = p->lx.tok.col;
	if (!parse_ctype(p, &st->ffi_ret, true))
		return false;
	if (p->has_def && st->ffi_ret == SN_C_VOID)
		return parse_fail(p, rcol, "a void result cannot be named");
	return parse_end(p);
}
