#include <stdint.h>

#include "fault_inject.h"
#include "runtime.h"

static uint64_t calls;
static uint64_t prng;

/* xorshift64 needs a nonzero state; seed 0 is a valid option value. */
static uint64_t prng_start(void)
{
	return shim_opts.seed ? shim_opts.seed : 0x9e3779b97f4a7c15ull;
}

static uint64_t xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* Lock-free so that it costs nothing when off and stays deterministic for a
 * given seed when the calls come from one thread. */
static uint64_t prng_next(void)
{
	uint64_t old = __atomic_load_n(&prng, __ATOMIC_RELAXED), next;
	do {
		next = xorshift(old ? old : prng_start());
	} while (!__atomic_compare_exchange_n(&prng, &old, next, 1, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return next;
}

bool fault_inject_mmap(void)
{
	if (shim_opts.fail_mmap_nth &&
	    __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) == shim_opts.fail_mmap_nth)
		return true;
	if (shim_opts.fail_mmap_share > 0)
		return (double)(prng_next() >> 11) * 0x1p-53 < shim_opts.fail_mmap_share;
	return false;
}
