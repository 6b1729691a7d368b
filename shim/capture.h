/* Stack capture inlined into the interceptor itself, so the unwinder walks
 * no frame of the runtime's but that one: between system calls each frame
 * walked costs cache misses, and this is the hot path of every mmap and
 * munmap. depot_capture() is the out-of-line form for the rare paths. */
#ifndef MAPSAN_CAPTURE_H
#define MAPSAN_CAPTURE_H

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "runtime.h"

#define DEPOT_MAX_FRAMES 64
#define DEPOT_MAX_SKIP 16

/* Stores n frames once and returns their id (0 on failure). */
uint32_t depot_store(const uintptr_t *pcs, size_t n);
/* Sets libunwind up for lock-free capture; idempotent. */
void depot_prepare(void);

/* The calling stack without its `skip` innermost frames, where frame 0 is
 * the function this is inlined into. */
static inline __attribute__((always_inline)) uint32_t capture_inline(unsigned skip)
{
	unsigned depth = shim_opts.stack_depth;
	if (depth == 0)
		return 0;
	if (depth > DEPOT_MAX_FRAMES)
		depth = DEPOT_MAX_FRAMES;
	if (skip > DEPOT_MAX_SKIP)
		skip = DEPOT_MAX_SKIP;
	depot_prepare();
	void *buf[DEPOT_MAX_FRAMES + DEPOT_MAX_SKIP];
	int n = unw_backtrace(buf, (int)(depth + skip));
	if (n <= (int)skip)
		return 0;
	return depot_store((const uintptr_t *)(buf + skip), (size_t)n - skip);
}

/* The interceptor's own frame: frame 0 of an inlined capture there. */
#define INTERCEPTOR_SKIP 1

#endif
