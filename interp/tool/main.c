/* mapsan-interp: replay, minimize and run traces and scripts (SPEC §6). */
#include <stdio.h>
#include <string.h>

#include "tool.h"

#ifndef MAPSAN_VERSION
#define MAPSAN_VERSION "unknown"
#endif

static const char usage_line[] =
	"usage: mapsan-interp replay FILE [--policy miri|native] [--json] [--keep-going]"
	" | minimize FILE [--policy miri|native] [-o OUT] | run SCRIPT | --help | --version\n";

static const char help_text[] =
	"mapsan-interp: the abstract machine of mapsan, driven by a trace or a script\n"
	"\n"
	"  replay FILE    run the calls against the model alone and print its reports\n"
	"    --policy P   miri (default) or native; overrides the file's policy line\n"
	"    --json       one JSON object per report, as the runtime's log_format=json\n"
	"    --keep-going report and carry on (halt_on_error=0) instead of stopping\n"
	"  minimize FILE  print the smallest trace that gives the same first report kind\n"
	"    --policy P   as for replay\n"
	"    -o OUT       write it to OUT instead of stdout\n"
	"  run SCRIPT     execute the script natively: load and call through libffi,\n"
	"                 mmap-family lines through libc (run it under libmapsan.so)\n"
	"\n"
	"exit status: 0 clean or every expectation met, 66 a report nobody expected,\n"
	"1 an expectation failed (minimize: the file gives no report), 2 bad input.\n"
	"The format is described in FORMAT.md.\n";

static int usage(void)
{
	fputs(usage_line, stderr);
	return EXIT_BAD_INPUT;
}

static bool parse_policy(const char *name, replay_opts *o)
{
	if (!name)
		return false;
	o->policy_given = true;
	if (strcmp(name, "miri") == 0)
		o->policy = MS_POLICY_MIRI;
	else if (strcmp(name, "native") == 0)
		o->policy = MS_POLICY_NATIVE;
	else
		return false;
	return true;
}

/* Options a subcommand accepts: p policy, j json, k keep-going, o output. */
static bool parse_option(char **argv, int *i, const char *allowed, tool_args *a)
{
	const char *arg = argv[*i];
	if (strchr(allowed, 'p') && strcmp(arg, "--policy") == 0)
		return parse_policy(argv[++*i], &a->replay);
	if (strchr(allowed, 'p') && strncmp(arg, "--policy=", 9) == 0)
		return parse_policy(arg + 9, &a->replay);
	if (strchr(allowed, 'j') && strcmp(arg, "--json") == 0)
		return a->replay.json = true;
	if (strchr(allowed, 'k') && strcmp(arg, "--keep-going") == 0)
		return a->replay.keep_going = true;
	if (strchr(allowed, 'o') && strcmp(arg, "-o") == 0)
		return (a->out = argv[++*i]) != NULL;
	return false;
}

static bool parse_args(int argc, char **argv, const char *allowed, tool_args *a)
{
	for (int i = 2; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (!parse_option(argv, &i, allowed, a))
				return false;
		} else if (a->file) {
			return false;
		} else {
			a->file = argv[i];
		}
	}
	return a->file != NULL;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		const char *options;
		int (*fn)(const tool_args *);
	} cmds[] = {
		{"replay", "pjk", cmd_replay},
		{"minimize", "po", cmd_minimize},
		{"run", "", cmd_run},
	};
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_line, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mapsan-interp %s\n", MAPSAN_VERSION);
		return 0;
	}
	for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
		if (strcmp(argv[1], cmds[c].name) != 0)
			continue;
		tool_args a = {0};
		if (!parse_args(argc, argv, cmds[c].options, &a))
			return usage();
		return cmds[c].fn(&a);
	}
	return usage();
}
