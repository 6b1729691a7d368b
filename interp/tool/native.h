/* Native execution for `run`: the calls go to libc for real, so a runtime
 * preloaded into mapsan-interp sees them as the program's own. */
#ifndef MAPSAN_TOOL_NATIVE_H
#define MAPSAN_TOOL_NATIVE_H

#include "script.h"

/* An address, 0, or (uint64_t)-errno, as the model's results are. */
uint64_t native_exec(const ms_call *c);

/* Calls fn with the statement's C signature; args already evaluated. */
bool native_ffi(void *fn, const sn_stmt *st, const uint64_t *args, uint64_t *ret);

#endif
