#include <stdlib.h>
#include <string.h>

#include "launcher.h"

#define DEFAULT_EXITCODE 66

static char *concat(const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *s = malloc(la + ls + lb + 1);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, b, lb + 1);
	return s;
}

/* The runtime must come first: a preloaded allocator (tcmalloc defines its
 * own mmap) has to resolve to mapsan's mmap, not the other way round. */
static void set_preload(const char *runtime)
{
	const char *old = getenv("LD_PRELOAD");
	char *v = old && *old ? concat(runtime, ":", old) : strdup(runtime);

	if (v)
		setenv("LD_PRELOAD", v, 1);
	free(v);
}

static void append_option(char **opts, const char *key, const char *value)
{
	char *kv = concat(key, "=", value);
	char *next;

	if (!kv)
		return;
	/* The runtime's parser lets later keys win over the user's. */
	next = **opts ? concat(*opts, ":", kv) : strdup(kv);
	free(kv);
	if (next) {
		free(*opts);
		*opts = next;
	}
}

void child_env_apply(const launch_args *a, const char *runtime, const char *log_dir)
{
	const char *user = getenv("MAPSAN_OPTIONS");
	char *opts = strdup(user ? user : "");
	char *log_path = concat(log_dir, "/", "report");

	set_preload(runtime);
	if (!opts || !log_path)
		return;
	if (a->policy)
		append_option(&opts, "policy", a->policy);
	if (a->keep_going)
		append_option(&opts, "halt_on_error", "0");
	append_option(&opts, "log_format", "json");
	append_option(&opts, "log_path", log_path);
	setenv("MAPSAN_OPTIONS", opts, 1);
	free(opts);
	free(log_path);
}

int options_exitcode(const char *opts)
{
	int code = DEFAULT_EXITCODE;
	const char *p = opts;

	while (p && *p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 9 && strncmp(p, "exitcode=", 9) == 0) {
			char *stop;
			long v = strtol(p + 9, &stop, 10);
			if (stop == p + len && v >= 0 && v <= 255)
				code = (int)v;
		}
		p = end ? end + 1 : NULL;
	}
	return code;
}
