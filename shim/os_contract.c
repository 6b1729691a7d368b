/* The model's one window on the OS (ms_os): node memory from raw mmap, and
 * the native policy's question of whose pages a MAP_FIXED lands on. */
#include <sys/mman.h>

#include "forward.h"
#include "quarantine.h"
#include "runtime.h"
#include "state.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void *os_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	long r = fwd_mmap_runtime(bytes, -1);
	return sys_failed(r) ? 0 : (void *)r;
}

static void os_release(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	fwd_munmap((uint64_t)p, bytes);
}

/* Whether any page of [lo, hi) is mapped at all. MAP_FIXED_NOREPLACE asks
 * the kernel in one call without disturbing anything: it fails with EEXIST
 * on any overlap, and otherwise makes a mapping that only we know of, which
 * no other thread can be handed while it exists. */
static bool any_mapped(uint64_t lo, uint64_t hi)
{
	long r = fwd_mmap(lo, hi - lo, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (r == -EEXIST)
		return true;
	if (sys_failed(r))
		return false;
	fwd_munmap((uint64_t)r, hi - lo);
	if ((uint64_t)r == lo)
		return false;
	/* A kernel before 4.17 took the flag for a hint: ask page by page. */
	unsigned char vec;
	for (uint64_t p = lo; p < hi; p += shim.page)
		if (!sys_failed(sys_call3(SYS_mincore, p, shim.page, &vec)))
			return true;
	return false;
}

/* A thread may remap pages of its own stack: a JVM commits its stack
 * guard zones with MAP_FIXED, and Rust's std did so on the main thread.
 * Such pages are the calling thread's, not someone else's. Only reached
 * when something is mapped there, so /proc is read on that path alone. */
static bool own_stack(uint64_t lo, uint64_t hi)
{
	int here;
	uint64_t slo, shi;
	return maps_bounds((uint64_t)(uintptr_t)&here, &slo, &shi) && lo >= slo && hi <= shi;
}

static bool someone_elses(uint64_t lo, uint64_t hi)
{
	return any_mapped(lo, hi) && !own_stack(lo, hi);
}

/* Pages held in quarantine are ours, not foreign. */
static bool gap_foreign(uint64_t lo, uint64_t hi)
{
	uint64_t qlo, qhi;
	while (lo < hi) {
		if (!quarantine_overlap(lo, hi, &qlo, &qhi))
			return someone_elses(lo, hi);
		if (qlo > lo && someone_elses(lo, qlo))
			return true;
		lo = qhi;
	}
	return false;
}

/* Called by the model under the table lock, for page ranges that no live
 * mapping covers. */
static bool os_range_foreign(void *ctx, uint64_t base, uint64_t len)
{
	(void)ctx;
	return gap_foreign(base, base + len);
}

ms_os os_contract(void)
{
	return (ms_os){.ctx = 0, .alloc = os_alloc, .release = os_release,
		       .range_foreign = os_range_foreign};
}
