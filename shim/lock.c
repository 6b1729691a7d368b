#include <linux/futex.h>

#include "lock.h"
#include "sys.h"

shim_lock shim_table_lock = SHIM_LOCK_INIT;

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
	if (__atomic_exchange_n(&l->state, 0, __ATOMIC_RELEASE) == 2)
		sys_call3(SYS_futex, &l->state, FUTEX_WAKE_PRIVATE, 1);
}

void lock_reset(shim_lock *l)
{
	__atomic_store_n(&l->state, 0, __ATOMIC_RELAXED);
}
