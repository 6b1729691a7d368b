#include <stdlib.h>
#include <string.h>

#include "launcher.h"

#ifndef MAPSAN_VERSION
#define MAPSAN_VERSION "unknown"
#endif

static const char usage_line[] =
	"usage: mapsan [--policy miri|native] [--keep-going] [--json FILE] [--sarif FILE]"
	" [--junit FILE] [--symbolize|--no-symbolize] [--help] [--version] [--] CMD [ARGS...]\n";

static const char help_text[] =
	"Runs CMD under libmapsan.so, which checks its mmap-family calls against\n"
	"Miri's rules, then prints every report of every process of the run.\n"
	"\n"
	"  --policy miri|native  rule set (default: MAPSAN_OPTIONS, else miri)\n"
	"  --keep-going          report and carry on (halt_on_error=0)\n"
	"  --json FILE           write all reports as one JSON array\n"
	"  --sarif FILE          write all reports as SARIF 2.1.0\n"
	"  --junit FILE          write one JUnit test case per process\n"
	"  --symbolize           symbolize stacks with addr2line (default)\n"
	"  --no-symbolize        print raw module+offset frames\n"
	"  --help                print this help\n"
	"  --version             print the version\n"
	"\n"
	"Environment: MAPSAN_RUNTIME overrides the path of libmapsan.so;\n"
	"MAPSAN_OPTIONS is passed on, with the options above appended.\n"
	"Exit status: the command's own when there were no reports, else the\n"
	"runtime's exitcode (66 unless MAPSAN_OPTIONS sets exitcode=).\n";

/* One line, so that a wrapper's log shows both the mistake and the fix. */
static _Noreturn void usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "mapsan: %s%s%s; %s", what, arg ? " " : "", arg ? arg : "", usage_line);
	exit(LAUNCH_STATUS_USAGE);
}

/* "--name VALUE" or "--name=VALUE"; advances *i past what it consumed. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t len = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, len) != 0)
		return NULL;
	if (a[len] == '=')
		return a + len + 1;
	if (a[len] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		usage_error("missing value after", name);
	return argv[++*i];
}

static void set_policy(launch_args *out, const char *p)
{
	if (strcmp(p, "miri") != 0 && strcmp(p, "native") != 0) {
		fprintf(stderr, "mapsan: bad --policy '%s': expected miri or native\n", p);
		exit(LAUNCH_STATUS_USAGE);
	}
	out->policy = p;
}

static bool parse_flag(const char *a, launch_args *out)
{
	if (strcmp(a, "--keep-going") == 0)
		out->keep_going = true;
	else if (strcmp(a, "--symbolize") == 0)
		out->symbolize = true;
	else if (strcmp(a, "--no-symbolize") == 0)
		out->symbolize = false;
	else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		fputs(usage_line, stdout);
		fputs(help_text, stdout);
		exit(0);
	} else if (strcmp(a, "--version") == 0) {
		printf("mapsan %s\n", MAPSAN_VERSION);
		exit(0);
	} else
		return false;
	return true;
}

static bool parse_valued(int argc, char **argv, int *i, launch_args *out)
{
	const char *v;

	if ((v = option_value(argc, argv, i, "--policy")))
		set_policy(out, v);
	else if ((v = option_value(argc, argv, i, "--json")))
		out->json_path = v;
	else if ((v = option_value(argc, argv, i, "--sarif")))
		out->sarif_path = v;
	else if ((v = option_value(argc, argv, i, "--junit")))
		out->junit_path = v;
	else
		return false;
	return true;
}

void args_parse(int argc, char **argv, launch_args *out)
{
	int i = 1;

	memset(out, 0, sizeof *out);
	out->symbolize = true;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (!parse_flag(a, out) && !parse_valued(argc, argv, &i, out))
			usage_error("unknown option", a);
	}
	if (i >= argc)
		usage_error("no command given", NULL);
	out->cmd = argv + i;
}
