/* Stands in for libmapsan.so: at load time it writes the report lines of
 * FAKE_MAPSAN_REPORT (each @PID@ replaced by the pid) to the log.
 * FAKE_MAPSAN_TOUCH=all creates the empty log of every process at start-up
 * and in each forked child, as the runtime does; =children only in the
 * children, as if the command's own file were lost; =dangling as all, with
 * an unreadable log. */
#include <pthread.h>

#include "fake_log.h"

static void expand_pid(const char *tmpl, char *out, size_t cap)
{
	char pid[16];
	size_t n = 0;

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	while (*tmpl && n + sizeof pid + 1 < cap) {
		if (strncmp(tmpl, "@PID@", 5) == 0) {
			n += (size_t)snprintf(out + n, cap - n, "%s", pid);
			tmpl += 5;
		} else {
			out[n++] = *tmpl++;
		}
	}
	out[n] = '\0';
}

/* =dangling leaves a link to nowhere in place of each log, a file that
 * is there but cannot be read. */
static void touch_log(void)
{
	const char *touch = getenv("FAKE_MAPSAN_TOUCH");
	char base[4096], path[4200];
	int rc;

	if (touch && strcmp(touch, "dangling") == 0 && fake_log_path(base, sizeof base) == 0) {
		snprintf(path, sizeof path, "%s.%d", base, (int)getpid());
		rc = symlink("/nonexistent/mapsan-log", path);
	} else {
		rc = fake_log_write("");
	}
	if (rc != 0)
		fprintf(stderr, "fake runtime: cannot create the log\n");
}

static void touch_logs(void)
{
	const char *touch = getenv("FAKE_MAPSAN_TOUCH");

	if (!touch)
		return;
	if (strcmp(touch, "children") != 0)
		touch_log();
	pthread_atfork(NULL, NULL, touch_log);
}

__attribute__((constructor)) static void fake_runtime_init(void)
{
	static char text[65536];
	const char *tmpl = getenv("FAKE_MAPSAN_REPORT");

	touch_logs();

	if (!tmpl || !*tmpl)
		return;
	expand_pid(tmpl, text, sizeof text - 2);
	strcat(text, "\n");
	if (fake_log_write(text) != 0)
		fprintf(stderr, "fake runtime: cannot write the log\n");
}
