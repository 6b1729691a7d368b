#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher.h"

#define STATUS_INTERNAL 2

static bool make_log_dir(char *buf, size_t cap)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(buf, cap, "%s/mapsan.XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (n <= 0 || (size_t)n >= cap || !mkdtemp(buf)) {
		fprintf(stderr, "mapsan: cannot create a directory for reports: %s\n", strerror(errno));
		return false;
	}
	return true;
}

static void remove_log_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* A shell's convention: 128 + the signal that killed the command. */
static int command_status(int status, const char *cmd)
{
	if (status < 0)
		return STATUS_INTERNAL;
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		fprintf(stderr, "mapsan: %s was killed by signal %d (%s)\n", cmd, sig, strsignal(sig));
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

static void print_reports(const lrun *run)
{
	for (size_t i = 0; i < run->n; i++) {
		char *text = report_text(&run->v[i]);
		if (text)
			fputs(text, stderr);
		free(text);
	}
}

static void print_summary(const lrun *run)
{
	size_t count[3] = {0, 0, 0};
	size_t m = run->npids;

	if (run->n == 0) {
		fprintf(stderr, "mapsan: no reports (%zu process%s)\n", m, m == 1 ? "" : "es");
		return;
	}
	for (size_t i = 0; i < run->n; i++)
		count[run->v[i].severity]++;
	fprintf(stderr, "mapsan: %zu report%s in %zu process%s (%zu ub, %zu unsupported, %zu warning%s)\n",
		run->n, run->n == 1 ? "" : "s", m, m == 1 ? "" : "es",
		count[MS_SEV_UB], count[MS_SEV_UNSUPPORTED], count[MS_SEV_WARNING],
		count[MS_SEV_WARNING] == 1 ? "" : "s");
}

static bool write_outputs(const launch_args *a, const lrun *run, int main_pid)
{
	bool ok = true;

	if (a->json_path)
		ok &= out_json(run, a->json_path);
	if (a->sarif_path)
		ok &= out_sarif(run, a->sarif_path);
	if (a->junit_path)
		ok &= out_junit(run, a->junit_path, a->cmd, main_pid);
	return ok;
}

int main(int argc, char **argv)
{
	char runtime[PATH_MAX], dir[PATH_MAX];
	launch_args a;
	lrun run = {0};
	int pid = 0, status;

	args_parse(argc, argv, &a);
	if (!runtime_find(runtime, sizeof runtime)) {
		fprintf(stderr, "mapsan: runtime libmapsan.so not found (%s); set MAPSAN_RUNTIME to its path\n",
			getenv("MAPSAN_RUNTIME") ? getenv("MAPSAN_RUNTIME") : "beside the launcher");
		return STATUS_INTERNAL;
	}
	command_warn(a.cmd[0]);
	if (!make_log_dir(dir, sizeof dir))
		return STATUS_INTERNAL;
	status = command_status(run_command(&a, runtime, dir, &pid), a.cmd[0]);
	if (pid > 0)
		pid_note(&run, pid);
	reports_load(dir, &run);
	if (a.symbolize)
		symbolize_run(&run, dir);
	print_reports(&run);
	if (!write_outputs(&a, &run, pid) && status == 0)
		status = STATUS_INTERNAL;
	remove_log_dir(dir);
	print_summary(&run);
	if (run.n)
		status = options_exitcode(getenv("MAPSAN_OPTIONS"));
	run_free(&run);
	return status;
}
