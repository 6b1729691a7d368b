#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "launcher.h"

static size_t reports_of(const lrun *run, int pid)
{
	size_t n = 0;

	for (size_t i = 0; i < run->n; i++)
		n += run->v[i].pid == pid;
	return n;
}

static void put_command(FILE *f, char **cmd)
{
	for (size_t i = 0; cmd[i]; i++) {
		if (i)
			fputc(' ', f);
		xml_put_str(f, cmd[i]);
	}
}

static void put_failure(FILE *f, const lreport *r)
{
	char *text = report_text(r);

	fputs("      <failure type=\"", f);
	xml_put_str(f, r->kind_name);
	fputs("\" message=\"", f);
	xml_put_str(f, r->message);
	fputs("\">", f);
	xml_put_str(f, text);
	fputs("</failure>\n", f);
	free(text);
}

static void put_case(FILE *f, const lrun *run, char **cmd, int pid, int main_pid)
{
	fputs("    <testcase classname=\"mapsan\" name=\"", f);
	put_command(f, cmd);
	fprintf(f, " (pid %d%s)\"", pid, pid == main_pid ? "" : ", a descendant");
	if (!reports_of(run, pid)) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	for (size_t i = 0; i < run->n; i++)
		if (run->v[i].pid == pid)
			put_failure(f, &run->v[i]);
	fputs("    </testcase>\n", f);
}

bool out_junit(const lrun *run, const char *path, char **cmd, int main_pid)
{
	FILE *f = fopen(path, "w");
	size_t failed = 0;

	if (!f) {
		fprintf(stderr, "mapsan: --junit %s: %s\n", path, strerror(errno));
		return false;
	}
	for (size_t i = 0; i < run->npids; i++)
		failed += reports_of(run, run->pids[i]) > 0;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"mapsan\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		run->npids, failed);
	fprintf(f, "  <testsuite name=\"mapsan\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
		run->npids, failed);
	for (size_t i = 0; i < run->npids; i++)
		put_case(f, run, cmd, run->pids[i], main_pid);
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (fclose(f) != 0) {
		fprintf(stderr, "mapsan: --junit %s: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}
