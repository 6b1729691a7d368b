#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_DEPTH_MAX 64

typedef struct {
	const char *p, *end;
	int depth;
} cursor;

typedef struct {
	char *s;
	size_t n, cap;
} sbuf;

static bool parse_value(cursor *c, jv *out);

static void skip_space(cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool sb_put(sbuf *b, char ch)
{
	if (b->n + 1 >= b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		char *s = realloc(b->s, cap);
		if (!s)
			return false;
		b->s = s;
		b->cap = cap;
	}
	b->s[b->n++] = ch;
	b->s[b->n] = '\0';
	return true;
}

static bool sb_put_utf8(sbuf *b, uint32_t cp)
{
	if (cp == 0)
		return true; /* C strings cannot hold it; dropping beats truncating */
	if (cp < 0x80)
		return sb_put(b, (char)cp);
	if (cp < 0x800)
		return sb_put(b, (char)(0xc0 | cp >> 6)) && sb_put(b, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return sb_put(b, (char)(0xe0 | cp >> 12)) &&
		       sb_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) &&
		       sb_put(b, (char)(0x80 | (cp & 0x3f)));
	return sb_put(b, (char)(0xf0 | cp >> 18)) &&
	       sb_put(b, (char)(0x80 | ((cp >> 12) & 0x3f))) &&
	       sb_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) &&
	       sb_put(b, (char)(0x80 | (cp & 0x3f)));
}

static bool hex4(cursor *c, uint32_t *out)
{
	uint32_t v = 0;

	if (c->end - c->p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		char h = *c->p++;
		v <<= 4;
		if (h >= '0' && h <= '9') v |= (uint32_t)(h - '0');
		else if (h >= 'a' && h <= 'f') v |= (uint32_t)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F') v |= (uint32_t)(h - 'A' + 10);
		else return false;
	}
	*out = v;
	return true;
}

static bool unicode_escape(cursor *c, sbuf *b)
{
	uint32_t cp, lo;

	if (!hex4(c, &cp))
		return false;
	if (cp >= 0xd800 && cp < 0xdc00 && c->end - c->p >= 6 && c->p[0] == '\\' && c->p[1] == 'u') {
		c->p += 2;
		if (!hex4(c, &lo))
			return false;
		if (lo >= 0xdc00 && lo < 0xe000)
			return sb_put_utf8(b, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
		return sb_put_utf8(b, 0xfffd) && sb_put_utf8(b, lo);
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd;
	return sb_put_utf8(b, cp);
}

static bool escape(cursor *c, sbuf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;

	if (c->p >= c->end)
		return false;
	if (*c->p == 'u') {
		c->p++;
		return unicode_escape(c, b);
	}
	hit = memchr(from, *c->p, sizeof from - 1);
	if (!hit)
		return false;
	c->p++;
	return sb_put(b, to[hit - from]);
}

static bool parse_string(cursor *c, char **out)
{
	sbuf b = {0};

	if (c->p >= c->end || *c->p != '"')
		return false;
	c->p++;
	if (!sb_put(&b, 'x'))
		return false;
	b.n = 0;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		bool ok = ch == '\\' ? escape(c, &b) : (unsigned char)ch >= 0x20 && sb_put(&b, ch);
		if (!ok) {
			free(b.s);
			return false;
		}
	}
	if (c->p >= c->end) {
		free(b.s);
		return false;
	}
	c->p++;
	b.s[b.n] = '\0';
	*out = b.s;
	return true;
}

static bool parse_number(cursor *c, jv *out)
{
	const char *start = c->p;

	while (c->p < c->end && strchr("+-0123456789.eE", *c->p))
		c->p++;
	if (c->p == start)
		return false;
	out->type = JV_NUM;
	out->str = strndup(start, (size_t)(c->p - start));
	return out->str != NULL;
}

static bool parse_word(cursor *c, const char *word, jv *out, jv_type type, bool b)
{
	size_t len = strlen(word);

	if ((size_t)(c->end - c->p) < len || memcmp(c->p, word, len) != 0)
		return false;
	c->p += len;
	out->type = type;
	out->b = b;
	return true;
}

static bool grow(jv *v, size_t *cap)
{
	if (v->n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 4;
	jv *items = realloc(v->items, ncap * sizeof *items);
	if (!items)
		return false;
	v->items = items;
	if (v->type == JV_OBJ) {
		char **keys = realloc(v->keys, ncap * sizeof *keys);
		if (!keys)
			return false;
		v->keys = keys;
	}
	*cap = ncap;
	return true;
}

/* One member of an array or object, after any separator. */
static bool parse_member(cursor *c, jv *v, size_t *cap)
{
	char *key = NULL;

	if (!grow(v, cap))
		return false;
	skip_space(c);
	if (v->type == JV_OBJ) {
		if (!parse_string(c, &key))
			return false;
		skip_space(c);
		if (c->p >= c->end || *c->p++ != ':') {
			free(key);
			return false;
		}
		v->keys[v->n] = key;
	}
	memset(&v->items[v->n], 0, sizeof v->items[0]);
	v->n++;
	return parse_value(c, &v->items[v->n - 1]);
}

static bool parse_container(cursor *c, jv *out, jv_type type, char close)
{
	size_t cap = 0;

	out->type = type;
	c->p++;
	if (++c->depth > JSON_DEPTH_MAX)
		return false;
	skip_space(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return true;
	}
	for (;;) {
		if (!parse_member(c, out, &cap))
			return false;
		skip_space(c);
		if (c->p >= c->end)
			return false;
		if (*c->p == close)
			break;
		if (*c->p++ != ',')
			return false;
	}
	c->p++;
	c->depth--;
	return true;
}

static bool parse_value(cursor *c, jv *out)
{
	skip_space(c);
	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case '{': return parse_container(c, out, JV_OBJ, '}');
	case '[': return parse_container(c, out, JV_ARR, ']');
	case '"': out->type = JV_STR; return parse_string(c, &out->str);
	case 't': return parse_word(c, "true", out, JV_BOOL, true);
	case 'f': return parse_word(c, "false", out, JV_BOOL, false);
	case 'n': return parse_word(c, "null", out, JV_NULL, false);
	default: return parse_number(c, out);
	}
}

bool json_parse(const char *text, size_t len, jv *out)
{
	cursor c = {text, text + len, 0};

	memset(out, 0, sizeof *out);
	if (parse_value(&c, out)) {
		skip_space(&c);
		if (c.p == c.end)
			return true;
	}
	json_free(out);
	return false;
}

void json_free(jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		json_free(&v->items[i]);
		if (v->type == JV_OBJ)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof *v);
}

const jv *json_get(const jv *v, const char *key)
{
	const jv *hit = NULL;

	if (!v || v->type != JV_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			hit = &v->items[i];
	return hit;
}

const char *json_str(const jv *v)
{
	return v && v->type == JV_STR ? v->str : NULL;
}

bool json_u64(const jv *v, uint64_t *out)
{
	char *stop;

	if (!v || (v->type != JV_STR && v->type != JV_NUM) || !v->str[0] || v->str[0] == '-')
		return false;
	*out = strtoull(v->str, &stop, 0);
	return *stop == '\0';
}
