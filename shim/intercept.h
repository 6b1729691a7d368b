/* The one shape of every interceptor: guard -> check -> forward -> record.
 *
 *   if (!call_enter()) return <forward unchecked>;
 *   int saved = errno;
 *   ms_call c = {...};
 *   c.stack = CALL_STACK();   (calls that create or end a mapping)
 *   long r = call_run(&c, &ops);
 *   call_leave(saved, r);
 */
#ifndef MAPSAN_INTERCEPT_H
#define MAPSAN_INTERCEPT_H

#include <errno.h>
#include <stdbool.h>

#include "forward.h"
#include "capture.h"
#include "guard.h"
#include "mapsan/machine.h"
#include "state.h"

typedef struct {
	/* The kernel's side, called with the lock held when `locked`. */
	long (*forward)(const ms_call *c, const ms_verdict *v);
	bool locked;    /* the call changes the address space: forward under the lock */
} call_ops;

/* False when the call must go through unchecked: the thread is already in
 * the runtime, or the machine could not be brought up. Sets the guard. */
static inline bool call_enter(void)
{
	if (guard_held())
		return false;
	guard_set();
	if (__builtin_expect(!shim_ready(), 0) && !shim_init()) {
		guard_clear();
		return false;
	}
	return true;
}

/* errno as the program would have seen it: the kernel's on failure,
 * untouched on success whatever the runtime did in between. */
static inline void call_leave(int saved_errno, long r)
{
	errno = sys_failed(r) ? (int)-r : saved_errno;
	guard_clear();
}

/* Checks, reports (and halts before forwarding), forwards, records.
 * Returns the kernel-style result the program gets. */
long call_run(ms_call *c, const call_ops *ops);

/* Reports a REPORT verdict and halts when the options say so. Call with
 * the guard held and c->stack captured. */
void call_report(ms_call *c, const ms_verdict *v);

/* Frames between depot_capture's caller and the intercepted function's
 * caller: call_run and the exported function. */
#define CALL_SKIP 2

/* The calls whose stack is recorded (a mapping's creation or end) capture
 * it in the exported function, before call_run: c.stack = CALL_STACK(); */
#define CALL_STACK() capture_inline(INTERCEPTOR_SKIP)

#endif
