/* free-of-mapping (SPEC §3.1): only when libc's malloc is the process's, and
 * only for page-aligned pointers, so an ordinary free costs one test. */
#include <stdint.h>

#include "intercept.h"
#include "lock.h"
#include "next.h"
#include "runtime.h"

static inline bool worth_checking(const void *p)
{
	return p && __atomic_load_n(&shim.check_free, __ATOMIC_RELAXED) &&
	       !((uintptr_t)p & shim.page_mask) && !guard_held() && shim_ready();
}

/* The stack is captured only when there is something to report. */
__attribute__((noinline)) static void check_free(ms_call_id id, void *p, size_t n)
{
	ms_call c = {.id = id, .nargs = id == MS_CALL_FREE ? 1 : 2, .arg = {(uint64_t)p, n}};
	ms_verdict v;
	guard_set();
	int saved = errno;
	lock_acquire(&shim_table_lock);
	ms_check(shim.machine, &c, &v);
	if (v.action == MS_ACT_REPORT) {
		c.stack = depot_capture(CALL_SKIP);
		call_report(&c, &v);
	}
	lock_release(&shim_table_lock);
	errno = saved;
	guard_clear();
}

/* dlsym may itself call free (its error state). A free that arrives on the
 * resolving thread, with the guard held and nothing to forward to yet, is
 * dropped: leaking a few bytes of dlsym's is the only alternative to
 * recursing into dlsym. */
static void (*free_next(void))(void *)
{
	void (*fn)(void *) = __atomic_load_n(&shim_next.free, __ATOMIC_ACQUIRE);
	if (fn || guard_held())
		return fn;
	guard_set();
	fn = NEXT(free);
	guard_clear();
	return fn;
}

MAPSAN_EXPORT void free(void *p)
{
	void (*fn)(void *) = free_next();
	if (!fn)
		return;
	if (worth_checking(p))
		check_free(MS_CALL_FREE, p, 0);
	fn(p);
}

/* No safe fallback exists for realloc, unlike free; dlsym does not call it,
 * so the unresolved case fails like an allocation failure. */
static void *(*realloc_next(void))(void *, size_t)
{
	void *(*fn)(void *, size_t) = __atomic_load_n(&shim_next.realloc, __ATOMIC_ACQUIRE);
	if (fn || guard_held())
		return fn;
	guard_set();
	fn = NEXT(realloc);
	guard_clear();
	return fn;
}

MAPSAN_EXPORT void *realloc(void *p, size_t n)
{
	void *(*fn)(void *, size_t) = realloc_next();
	if (!fn) {
		errno = ENOMEM;
		return 0;
	}
	if (worth_checking(p))
		check_free(MS_CALL_REALLOC, p, n);
	return fn(p, n);
}
