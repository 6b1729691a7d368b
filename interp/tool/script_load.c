#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

static char *read_file(const char *path, sn_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	if (!f) {
		snprintf(err->msg, sizeof err->msg, "cannot open: %s", strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *grown = realloc(buf, cap);
			if (!grown)
				break;
			buf = grown;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	bool bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		snprintf(err->msg, sizeof err->msg, "cannot read: %s", strerror(errno));
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		snprintf(err->msg, sizeof err->msg, "a NUL byte: this is not a text file");
		free(buf);
		return NULL;
	}
	return buf;
}

bool script_load(sn_script *s, const char *file, sn_mode mode, sn_error *err)
{
	memset(err, 0, sizeof *err);
	memset(s, 0, sizeof *s);
	char *text = read_file(file, err);
	if (!text) {
		err->line = 0;
		return false;
	}
	return script_parse(s, file, text, mode, err);
}

void script_free(sn_script *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->stmts[i].text);
	for (size_t i = 0; i < s->nsyms; i++)
		free(s->syms[i]);
	free(s->stmts);
	free(s->syms);
	free(s->sym_def);
	free(s->header);
	free(s->lines);
	free(s->buf);
	memset(s, 0, sizeof *s);
}

void error_print(const char *file, const sn_error *err)
{
	if (err->line)
		fprintf(stderr, "%s:%u:%u: %s\n", file, err->line, err->col, err->msg);
	else
		fprintf(stderr, "mapsan-interp: %s: %s\n", file, err->msg);
}

bool script_open(sn_script *s, const char *file, sn_mode mode)
{
	sn_error err;
	if (script_load(s, file, mode, &err))
		return true;
	error_print(file, &err);
	script_free(s);
	return false;
}
