/* A small JSON reader for the runtime's report lines. */
#ifndef IT_JSON_H
#define IT_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json json;
struct json {
	json_type type;
	bool boolean;
	double number;
	char *string;        /* JSON_STRING; also the key of an object member */
	char *key;
	json **items;        /* array elements or object members */
	size_t count;
};

/* Parses exactly one value spanning text[0..len) (surrounding whitespace
 * allowed); NULL when it is not valid JSON. */
json *json_parse(const char *text, size_t len);
void json_free(json *v);

/* NULL when v is not an object or has no such member. */
const json *json_get(const json *v, const char *key);
/* The member's string, or NULL when missing or not a string. */
const char *json_get_str(const json *v, const char *key);
/* Elements of an array member; -1 when missing or not an array. */
long json_get_len(const json *v, const char *key);

#endif
