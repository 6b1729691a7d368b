#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launcher.h"

static bool is_exec_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The same search as execvp, whose default PATH is glibc's. */
bool command_resolve(const char *name, char *buf, size_t cap)
{
	const char *path = getenv("PATH");
	const char *p;

	if (strchr(name, '/')) {
		int n = snprintf(buf, cap, "%s", name);
		return n > 0 && (size_t)n < cap && is_exec_file(buf);
	}
	for (p = path ? path : "/bin:/usr/bin"; p; ) {
		const char *end = strchr(p, ':');
		int dlen = end ? (int)(end - p) : (int)strlen(p);
		int n = snprintf(buf, cap, "%.*s%s%s", dlen, p, dlen ? "/" : "", name);
		if (n > 0 && (size_t)n < cap && is_exec_file(buf))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

void command_warn(const char *name)
{
	char path[4096];
	struct stat st;
	elf_info e;

	if (!command_resolve(name, path, sizeof path) || stat(path, &st) != 0)
		return;
	/* SPEC §3.5: the dynamic loader never sees a static binary, and drops
	 * LD_PRELOAD for a setuid one, so none of their calls are checked. */
	if (st.st_mode & (S_ISUID | S_ISGID))
		fprintf(stderr, "mapsan: warning: %s is set%s: LD_PRELOAD does not reach it, its calls are not checked\n",
			path, st.st_mode & S_ISUID ? "uid" : "gid");
	else if (elf_inspect(path, &e) && !e.has_interp)
		fprintf(stderr, "mapsan: warning: %s is statically linked: LD_PRELOAD does not reach it, its calls are not checked\n",
			path);
}
