#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

char *it_slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

void it_prepare(it_run *r)
{
	if (r->dir[0])
		return;
	strcpy(r->dir, "/tmp/mapsan-it-XXXXXX");
	if (!mkdtemp(r->dir)) {
		perror("mkdtemp");
		abort();
	}
}

const char *it_path(const it_run *r, const char *name)
{
	static char buf[8][256];
	static int next;
	char *b = buf[next++ % 8];
	snprintf(b, sizeof buf[0], "%s/%s", r->dir, name);
	return b;
}

/* The environment of the child: ours without the runtime's variables, then
 * LD_PRELOAD, MAPSAN_OPTIONS and the test's own entries. */
static char **child_env(const it_run *r, const it_opts *o)
{
	size_t n = 0, extra = 0;
	while (environ[n])
		n++;
	while (o->env && o->env[extra])
		extra++;
	char **env = calloc(n + extra + 3, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) && strncmp(environ[i], "MAPSAN_OPTIONS=", 15))
			env[k++] = environ[i];
	const char *preload = o->preload ? o->preload : IT_RUNTIME;
	if (*preload) {
		env[k] = malloc(strlen(preload) + 16);
		sprintf(env[k++], "LD_PRELOAD=%s", preload);
	}
	if (o->raw_options && !o->options)
		goto extra_env;
	const char *opts = o->options ? o->options : "";
	env[k] = malloc(strlen(opts) + strlen(r->dir) + 64);
	if (o->raw_options)
		sprintf(env[k++], "MAPSAN_OPTIONS=%s", opts);
	else
		sprintf(env[k++], "MAPSAN_OPTIONS=log_format=json:log_path=%s/r%s%s",
			r->dir, *opts ? ":" : "", opts);
extra_env:
	for (size_t i = 0; i < extra; i++)
		env[k++] = (char *)o->env[i];
	return env;
}

static void start_child(it_run *r, const char *const *argv, char **env)
{
	int out = open(it_path(r, "stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int err = open(it_path(r, "stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int in = open("/dev/null", O_RDONLY);
	fflush(NULL);
	r->pid = fork();
	if (r->pid == 0) {
		/* Its own process group, so a timeout can stop all of it. */
		setpgid(0, 0);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execve(argv[0], (char *const *)argv, env);
		dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in);
	close(out);
	close(err);
}

static void wait_child(it_run *r, int timeout_s)
{
	struct timespec tick = {0, 5 * 1000 * 1000};
	long waited_ms = 0;
	int status = 0;
	for (;;) {
		pid_t got = waitpid(r->pid, &status, WNOHANG);
		if (got == r->pid)
			break;
		if (got < 0 && errno != EINTR) {
			status = 127 << 8;
			break;
		}
		if (waited_ms > timeout_s * 1000L && !r->timed_out) {
			r->timed_out = true;
			kill(-r->pid, SIGKILL);
			kill(r->pid, SIGKILL);
		}
		nanosleep(&tick, NULL);
		waited_ms += 5;
	}
	r->exited = WIFEXITED(status);
	r->code = r->exited ? WEXITSTATUS(status) : -1;
	r->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void add_report(it_run *r, json *v, int pid)
{
	r->reports = realloc(r->reports, (r->nreports + 1) * sizeof *r->reports);
	r->report_file_pid = realloc(r->report_file_pid, (r->nreports + 1) * sizeof(int));
	r->reports[r->nreports] = v;
	r->report_file_pid[r->nreports++] = pid;
}

static void read_log(it_run *r, const char *name)
{
	char *text = it_slurp(it_path(r, name), NULL);
	if (!text)
		return;
	r->log_files++;
	int pid = atoi(name + 2);
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		json *v = len ? json_parse(line, len) : NULL;
		if (v)
			add_report(r, v, pid);
		else if (len)
			r->bad_lines++;
		line += len + (nl != NULL);
	}
	free(text);
}

static int by_pid(const struct dirent **a, const struct dirent **b)
{
	return atoi((*a)->d_name + 2) - atoi((*b)->d_name + 2);
}

static int is_log(const struct dirent *d)
{
	return strncmp(d->d_name, "r.", 2) == 0;
}

static void read_logs(it_run *r)
{
	struct dirent **names;
	int n = scandir(r->dir, &names, is_log, by_pid);
	for (int i = 0; i < n; i++) {
		read_log(r, names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

void it_run_argv(it_run *r, const it_opts *o, const char *const *argv)
{
	static const it_opts none;
	if (!o)
		o = &none;
	it_prepare(r);
	char **env = child_env(r, o);
	start_child(r, argv, env);
	wait_child(r, o->timeout_s ? o->timeout_s : 30);
	r->out = it_slurp(it_path(r, "stdout"), NULL);
	r->err = it_slurp(it_path(r, "stderr"), NULL);
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
	read_logs(r);
}

void it_run_list(it_run *r, const it_opts *o, const char *path, ...)
{
	const char *argv[64] = {path};
	size_t n = 1;
	va_list ap;
	va_start(ap, path);
	while (n < 63 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	it_run_argv(r, o, argv);
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[512];
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
		}
	}
	closedir(d);
	rmdir(dir);
}

void it_run_free(it_run *r)
{
	for (size_t i = 0; i < r->nreports; i++)
		json_free(r->reports[i]);
	free(r->reports);
	free(r->report_file_pid);
	free(r->out);
	free(r->err);
	if (r->dir[0])
		remove_dir(r->dir);
	memset(r, 0, sizeof *r);
}

size_t it_count(const it_run *r, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nreports; i++) {
		const char *k = json_get_str(r->reports[i], "kind");
		n += k && strcmp(k, kind) == 0;
	}
	return n;
}

const json *it_first(const it_run *r, const char *kind)
{
	for (size_t i = 0; i < r->nreports; i++) {
		const char *k = json_get_str(r->reports[i], "kind");
		if (k && strcmp(k, kind) == 0)
			return r->reports[i];
	}
	return NULL;
}

const char *it_kinds(const it_run *r)
{
	static char buf[1024];
	size_t n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < r->nreports && n < sizeof buf - 64; i++) {
		const char *k = json_get_str(r->reports[i], "kind");
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "", k ? k : "?");
	}
	if (!r->nreports)
		snprintf(buf, sizeof buf, "(none)");
	return buf;
}
