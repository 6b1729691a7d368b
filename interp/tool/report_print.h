#ifndef MAPSAN_TOOL_REPORT_PRINT_H
#define MAPSAN_TOOL_REPORT_PRINT_H

#include <stdio.h>

#include "mapsan/machine.h"

/* Prints a verdict's report as the runtime would, with pid 0 and no stacks:
 * a replay has neither. */
void report_print(FILE *out, bool json, const ms_call *c, const ms_verdict *v);

#endif
