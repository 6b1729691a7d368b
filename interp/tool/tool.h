/* The subcommands of mapsan-interp. */
#ifndef MAPSAN_TOOL_TOOL_H
#define MAPSAN_TOOL_TOOL_H

#include "replay.h"

typedef struct {
	const char *file;
	const char *out;    /* minimize -o */
	replay_opts replay;
} tool_args;

int cmd_replay(const tool_args *a);
int cmd_minimize(const tool_args *a);
int cmd_run(const tool_args *a);

#endif
