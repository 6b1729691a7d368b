#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launcher.h"

/* Relative to the directory of the launcher; baked in at build time from
 * the install layout (lib/ or lib/<multiarch>/), with the build tree's
 * ../lib as the fallback. */
#ifndef MAPSAN_RUNTIME_REL
#define MAPSAN_RUNTIME_REL "../lib/libmapsan.so"
#endif
#ifndef MAPSAN_RUNTIME_NAME
#define MAPSAN_RUNTIME_NAME "libmapsan.so"
#endif

/* Absolute, because the command may chdir before it execs a child, and
 * free of the characters that separate LD_PRELOAD's entries. */
static bool canonical(const char *path, char *buf, size_t cap)
{
	char real[PATH_MAX];

	if (!realpath(path, real) || access(real, R_OK) != 0)
		return false;
	if (strpbrk(real, " :")) {
		fprintf(stderr, "mapsan: LD_PRELOAD cannot hold a path with a space or colon: %s\n", real);
		return false;
	}
	return snprintf(buf, cap, "%s", real) < (int)cap;
}

static bool try_path(char *buf, size_t cap, const char *dir, const char *rel)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/%s", dir, rel);

	return n > 0 && (size_t)n < sizeof path && canonical(path, buf, cap);
}

bool runtime_find(char *buf, size_t cap)
{
	const char *env = getenv("MAPSAN_RUNTIME");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return canonical(env, buf, cap);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	if (try_path(buf, cap, exe, MAPSAN_RUNTIME_REL))
		return true;
	return try_path(buf, cap, exe, "../lib/" MAPSAN_RUNTIME_NAME);
}
