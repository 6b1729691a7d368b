/* Stands in for libmapsan.so: at load time it writes the report lines of
 * FAKE_MAPSAN_REPORT (each @PID@ replaced by the pid) to the log. */
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

__attribute__((constructor)) static void fake_runtime_init(void)
{
	static char text[65536];
	const char *tmpl = getenv("FAKE_MAPSAN_REPORT");

	if (!tmpl || !*tmpl)
		return;
	expand_pid(tmpl, text, sizeof text - 2);
	strcat(text, "\n");
	if (fake_log_write(text) != 0)
		fprintf(stderr, "fake runtime: cannot write the log\n");
}
