#include <linux/futex.h>
#include <stddef.h>

#include "lock.h"
#include "sys.h"

shim_lock shim_table_lock = SHIM_LOCK_INIT;

/* The lock this thread holds for fork, or NULL. Thread-local rather than a
 * tid in the lock: the child's only thread is a copy of the forking thread,
 * TLS included, but has a new tid, and its handlers must still get through.
 * initial-exec, as the guard flag, so that no access can call malloc. */
static __thread const shim_lock *fork_held __attribute__((tls_model("initial-exec")));

static int cas(int *p, int expect, int desired)
{
	__atomic_compare_exchange_n(p, &expect, desired, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	return expect;
}

void lock_acquire(shim_lock *l)
{
	int c = cas(&l->state, 0, 1);
	if (c == 0)
		return;
	/* Only a held lock can be this thread's own fork hold, so the check
	 * costs nothing on the uncontended path. */
	if (fork_held == l)
		return;
	/* Drepper's "Futexes are tricky", mutex 2: mark contended, then sleep. */
	if (c != 2)
		c = __atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		sys_call4(SYS_futex, &l->state, FUTEX_WAIT_PRIVATE, 2, 0);
		c = __atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE);
	}
}

void lock_release(shim_lock *l)
{
	if (__builtin_expect(fork_held == l, 0))
		return;
	if (__atomic_exchange_n(&l->state, 0, __ATOMIC_RELEASE) == 2)
		sys_call3(SYS_futex, &l->state, FUTEX_WAKE_PRIVATE, 1);
}

void lock_reset(shim_lock *l)
{
	__atomic_store_n(&l->state, 0, __ATOMIC_RELAXED);
}

void lock_fork_enter(shim_lock *l)
{
	lock_acquire(l);
	fork_held = l;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void lock_fork_parent(shim_lock *l)
{
	fork_held = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	lock_release(l);
}

void lock_fork_child(shim_lock *l)
{
	fork_held = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	lock_reset(l);
}
