#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "launcher.h"

#define REPORT_PREFIX "report."

typedef struct {
	char *name;
	int pid;
} log_file;

void pid_note(lrun *run, int pid)
{
	size_t i = 0;

	while (i < run->npids && run->pids[i] < pid)
		i++;
	if (i < run->npids && run->pids[i] == pid)
		return;
	if (run->npids == run->pcap) {
		size_t cap = run->pcap ? run->pcap * 2 : 8;
		int *p = realloc(run->pids, cap * sizeof *p);
		if (!p)
			return;
		run->pids = p;
		run->pcap = cap;
	}
	memmove(run->pids + i + 1, run->pids + i, (run->npids - i) * sizeof *run->pids);
	run->pids[i] = pid;
	run->npids++;
}

static void report_add(lrun *run, const lreport *r)
{
	if (run->n == run->cap) {
		size_t cap = run->cap ? run->cap * 2 : 16;
		lreport *v = realloc(run->v, cap * sizeof *v);
		if (!v)
			return;
		run->v = v;
		run->cap = cap;
	}
	run->v[run->n++] = *r;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *b = realloc(buf, cap = cap * 2 + 4096);
			if (!b)
				break;
			buf = b;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static void load_file(lrun *run, const char *dir, const log_file *lf)
{
	char path[4096];
	size_t len, lineno = 0;
	char *text, *p, *end;

	/* The runtime creates its file at start-up: an empty or unreadable
	 * one is still a process of the run, and a clean one. */
	pid_note(run, lf->pid);
	snprintf(path, sizeof path, "%s/%s", dir, lf->name);
	text = read_all(path, &len);
	if (!text)
		return;
	for (p = text; p < text + len; p = end + 1) {
		lreport r;
		end = memchr(p, '\n', (size_t)(text + len - p));
		if (!end)
			end = text + len;
		lineno++;
		if (end == p)
			continue;
		if (!report_parse(p, (size_t)(end - p), &r)) {
			report_free(&r);
			fprintf(stderr, "mapsan: %s line %zu: not a report, skipped\n", lf->name, lineno);
			continue;
		}
		if (!r.pid)
			r.pid = lf->pid;
		pid_note(run, r.pid);
		report_add(run, &r);
	}
	free(text);
}

static int log_file_cmp(const void *a, const void *b)
{
	const log_file *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The runtime names its logs PREFIX.PID, perhaps with a suffix after an
 * exec in the same process. */
static bool log_file_of(const char *name, log_file *out)
{
	char *stop;
	long pid;

	if (strncmp(name, REPORT_PREFIX, sizeof REPORT_PREFIX - 1) != 0)
		return false;
	pid = strtol(name + sizeof REPORT_PREFIX - 1, &stop, 10);
	if (stop == name + sizeof REPORT_PREFIX - 1 || (*stop && *stop != '.') || pid <= 0)
		return false;
	out->name = strdup(name);
	out->pid = (int)pid;
	return out->name != NULL;
}

static size_t list_logs(const char *dir, log_file **out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	log_file *v = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (n == cap) {
			log_file *nv = realloc(v, (cap = cap * 2 + 16) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		if (log_file_of(e->d_name, &v[n]))
			n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof *v, log_file_cmp);
	*out = v;
	return n;
}

void reports_load(const char *dir, lrun *run)
{
	log_file *logs = NULL;
	size_t n = list_logs(dir, &logs);

	for (size_t i = 0; i < n; i++) {
		load_file(run, dir, &logs[i]);
		free(logs[i].name);
	}
	free(logs);
}

void run_free(lrun *run)
{
	for (size_t i = 0; i < run->n; i++)
		report_free(&run->v[i]);
	free(run->v);
	free(run->pids);
	memset(run, 0, sizeof *run);
}
