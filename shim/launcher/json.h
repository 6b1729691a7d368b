/* A small JSON reader for the runtime's report lines: a whole value into a
 * tree, strings decoded to UTF-8, numbers kept as their text. */
#ifndef MAPSAN_LAUNCHER_JSON_H
#define MAPSAN_LAUNCHER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv {
	jv_type type;
	bool b;
	char *str;          /* JV_STR: decoded; JV_NUM: the number's text */
	struct jv *items;   /* JV_ARR, JV_OBJ */
	char **keys;        /* JV_OBJ */
	size_t n;
} jv;

/* The whole of text must be one value (surrounding space allowed). */
bool json_parse(const char *text, size_t len, jv *out);
void json_free(jv *v);

/* NULL when v is not an object or has no such key (the last one wins). */
const jv *json_get(const jv *v, const char *key);
/* NULL unless v is a string. */
const char *json_str(const jv *v);
/* A number, or a string holding a decimal or 0x-hex number. */
bool json_u64(const jv *v, uint64_t *out);

#endif
