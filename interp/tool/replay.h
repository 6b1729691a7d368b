/* Replaying a trace against the abstract machine alone. */
#ifndef MAPSAN_TOOL_REPLAY_H
#define MAPSAN_TOOL_REPLAY_H

#include "script.h"

typedef struct {
	bool policy_given;
	ms_policy policy;
	bool json;
	bool keep_going;
	bool quiet;         /* print nothing (minimize's probes) */
	const bool *keep;   /* statements to run; NULL runs all and checks expect */
} replay_opts;

typedef struct {
	ms_kind first;      /* the first report's kind, MS_KIND_NONE if none */
	size_t reports;
} replay_outcome;

#define EXIT_REPORTED 66
#define EXIT_EXPECT 1
#define EXIT_BAD_INPUT 2

/* The exit status of SPEC §6: 0, EXIT_REPORTED, EXIT_EXPECT or EXIT_BAD_INPUT. */
int replay_script(const sn_script *s, const replay_opts *o, replay_outcome *out);

#endif
