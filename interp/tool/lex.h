/* Tokens of one line of the format. */
#ifndef MAPSAN_TOOL_LEX_H
#define MAPSAN_TOOL_LEX_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	TK_END,
	TK_WORD,   /* [A-Za-z0-9_]+: names, symbols and numbers */
	TK_ARROW,  /* -> */
	TK_EQ,
	TK_PLUS,
	TK_MINUS,
	TK_BAR,
	TK_LPAREN,
	TK_RPAREN,
	TK_COMMA,
	TK_BAD     /* a character the format does not use */
} tk_type;

typedef struct {
	tk_type type;
	const char *s;
	size_t len;
	unsigned col;  /* 1-based */
} token;

typedef struct {
	const char *line;
	size_t pos;
	token tok;     /* the current token */
} lexer;

void lex_start(lexer *lx, const char *line);
void lex_next(lexer *lx);
bool tok_is(const token *t, const char *word);
/* The rest of the line from the current token, trimmed, up to a comment. */
size_t lex_rest(lexer *lx, const char **start);

#endif
