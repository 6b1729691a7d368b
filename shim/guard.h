/* The per-thread re-entrancy flag (SPEC §4). A call that arrives while its
 * thread is already inside the runtime (a signal handler, libunwind's own
 * mmap, dlsym's malloc) is forwarded unchecked, which is what keeps the
 * global lock from ever being taken twice by one thread. */
#ifndef MAPSAN_GUARD_H
#define MAPSAN_GUARD_H

#include <stdbool.h>

/* initial-exec: a general-dynamic TLS access may call malloc (__tls_get_addr)
 * and so re-enter the runtime before the flag could stop it. */
extern __thread bool shim_guard_flag __attribute__((tls_model("initial-exec")));

static inline bool guard_held(void)
{
	return shim_guard_flag;
}

/* Signal fences: a signal handler on this thread must see the flag set
 * before the lock is taken and cleared only after it is released. */
static inline void guard_set(void)
{
	shim_guard_flag = true;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void guard_clear(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	shim_guard_flag = false;
}

#endif
