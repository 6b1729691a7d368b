#include <stdio.h>

#include "tool.h"

int cmd_replay(const tool_args *a)
{
	sn_script s;
	if (!script_open(&s, a->file, SN_MODE_REPLAY))
		return EXIT_BAD_INPUT;
	replay_outcome out;
	int status = replay_script(&s, &a->replay, &out);
	script_free(&s);
	return status;
}
