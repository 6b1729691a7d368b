#include <linux/futex.h>
#include <stddef.h>

#include "lock.h"
#include "sys.h"

shim_lock shim_table_lock = SHIM_LOCK_INIT;

/* Thread ids stay below 2^22 (PID_MAX_LIMIT), so this bit is free. */
#define LOCK_WAITERS 0x40000000

/* The lock this thread holds for fork, or NULL. Thread-local rather than a
 * tid in the lock: the child's only thread is a copy of the forking thread,
 * TLS included, but has a new tid, and its handlers must still get through.
 * initial-exec, as the guard flag, so that no access can call malloc. */
static __thread const shim_lock *fork_held __attribute__((tls_model("initial-exec")));

/* This thread's token in a lock word: its tid, read once. The holder is in
 * the word itself, set by the one atomic operation that takes the lock, so
 * that fork() from a signal handler can tell, at any instant of the
 * interrupted acquire or release, whether its own thread holds the lock. */
static __thread int self_tid __attribute__((tls_model("initial-exec")));

/* Forks begun while this thread already held the lock (from a signal
 * handler, possibly inside another fork's window): they leave the lock to
 * the interrupted holder, in parent and child alike. Guard-held calls made
 * meanwhile go unchecked and never take it. A count, as handlers nest. */
static __thread unsigned fork_nested __attribute__((tls_model("initial-exec")));

static int self_token(void)
{
	if (__builtin_expect(!self_tid, 0))
		self_tid = (int)sys_call0(SYS_gettid);
	return self_tid;
}

static int cas(int *p, int expect, int desired)
{
	__atomic_compare_exchange_n(p, &expect, desired, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	return expect;
}

void lock_acquire(shim_lock *l)
{
	int me = self_token();
	int c = cas(&l->state, 0, me);
	if (c == 0)
		return;
	/* Only a held lock can be this thread's own fork hold, so the check
	 * costs nothing on the uncontended path. */
	if (fork_held == l)
		return;
	/* Drepper's "Futexes are tricky", mutex 2, with the holder kept in the
	 * word: mark contended, sleep, and take it marked contended. */
	for (;;) {
		if (c == 0) {
			c = cas(&l->state, 0, me | LOCK_WAITERS);
			if (c == 0)
				return;
			continue;
		}
		if (!(c & LOCK_WAITERS)) {
			int seen = cas(&l->state, c, c | LOCK_WAITERS);
			if (seen != c) {
				c = seen;
				continue;
			}
			c |= LOCK_WAITERS;
		}
		sys_call4(SYS_futex, &l->state, FUTEX_WAIT_PRIVATE, c, 0);
		c = __atomic_load_n(&l->state, __ATOMIC_RELAXED);
	}
}

void lock_release(shim_lock *l)
{
	if (__builtin_expect(fork_held == l, 0))
		return;
	if (__atomic_exchange_n(&l->state, 0, __ATOMIC_RELEASE) & LOCK_WAITERS)
		sys_call3(SYS_futex, &l->state, FUTEX_WAKE_PRIVATE, 1);
}

void lock_reset(shim_lock *l)
{
	__atomic_store_n(&l->state, 0, __ATOMIC_RELAXED);
}

static int held_by_self(shim_lock *l)
{
	return (__atomic_load_n(&l->state, __ATOMIC_RELAXED) & ~LOCK_WAITERS) == self_token();
}

void lock_fork_enter(shim_lock *l)
{
	if (held_by_self(l)) {
		fork_nested++;
		return;
	}
	lock_acquire(l);
	fork_held = l;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void lock_fork_parent(shim_lock *l)
{
	if (fork_nested) {
		fork_nested--;
		return;
	}
	fork_held = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	lock_release(l);
}

void lock_fork_child(shim_lock *l)
{
	if (fork_nested) {
		fork_nested--;
		return;
	}
	fork_held = NULL;
	self_tid = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	lock_reset(l);
}
