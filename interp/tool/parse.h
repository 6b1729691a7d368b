/* The parser's shared state and its pieces (parse*.c). */
#ifndef MAPSAN_TOOL_PARSE_H
#define MAPSAN_TOOL_PARSE_H

#include "lex.h"
#include "script.h"

typedef struct {
	sn_script *s;
	sn_mode mode;
	sn_error *err;
	lexer lx;
	unsigned line;
	bool in_body;     /* a statement has been seen: no more header */
	bool exited;      /* an exit call has been seen */
	token def;        /* the name being assigned on this line */
	bool has_def;
} parser;

bool parse_fail(parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool parse_end(parser *p);
bool parse_number(parser *p, const token *t, uint64_t *out);
bool parse_value(parser *p, sn_value *v);
bool parse_flags(parser *p, sn_names set, sn_value *v);
bool parse_result(parser *p, sn_stmt *st);
bool parse_call(parser *p, sn_stmt *st);
bool parse_ffi(parser *p, sn_stmt *st);
bool header_word(const token *t);
bool parse_header(parser *p);
int symbol_find(const sn_script *s, const char *name, size_t len);
bool word_reserved(const token *t);

#endif
