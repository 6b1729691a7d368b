#include <string.h>

#include "lex.h"

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static tk_type punct_type(char c)
{
	switch (c) {
	case '=': return TK_EQ;
	case '+': return TK_PLUS;
	case '-': return TK_MINUS;
	case '|': return TK_BAR;
	case '(': return TK_LPAREN;
	case ')': return TK_RPAREN;
	case ',': return TK_COMMA;
	default: return TK_BAD;
	}
}

void lex_next(lexer *lx)
{
	const char *l = lx->line;
	size_t i = lx->pos;
	while (l[i] == ' ' || l[i] == '\t' || l[i] == '\r')
		i++;
	token *t = &lx->tok;
	t->s = l + i;
	t->col = (unsigned)i + 1;
	t->len = 1;
	if (l[i] == '\0' || l[i] == '#') {
		t->type = TK_END;
		t->len = 0;
	} else if (l[i] == '-' && l[i + 1] == '>') {
		t->type = TK_ARROW;
		t->len = 2;
	} else if (word_char(l[i])) {
		t->type = TK_WORD;
		while (word_char(l[i + t->len]))
			t->len++;
	} else {
		t->type = punct_type(l[i]);
	}
	lx->pos = i + t->len;
}

void lex_start(lexer *lx, const char *line)
{
	lx->line = line;
	lx->pos = 0;
	lex_next(lx);
}

bool tok_is(const token *t, const char *word)
{
	return t->type == TK_WORD && strlen(word) == t->len && memcmp(t->s, word, t->len) == 0;
}

size_t lex_rest(lexer *lx, const char **start)
{
	const char *s = lx->tok.s;
	size_t n = strcspn(s, "#");
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	*start = s;
	lx->pos = (size_t)(s - lx->line) + n;
	lex_next(lx);
	return n;
}
