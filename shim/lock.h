/* A futex mutex on raw syscalls: usable before libc's threads are set up,
 * inside signal handlers (when the guard allows) and after fork. */
#ifndef MAPSAN_LOCK_H
#define MAPSAN_LOCK_H

typedef struct {
	int state; /* 0 free, else the holder's token, | LOCK_WAITERS */
} shim_lock;

#define SHIM_LOCK_INIT {0}

void lock_acquire(shim_lock *l);
void lock_release(shim_lock *l);
/* Only in a fork child, where the holder's thread no longer exists. */
void lock_reset(shim_lock *l);

/* Held across fork() by the forking thread (pthread_atfork). Other
 * libraries' fork handlers run on that thread inside the window (prepare
 * handlers registered before ours, parent and child handlers registered
 * before ours) and may make checked calls: while the window is open,
 * lock_acquire and lock_release of l by that very thread are no-ops. The
 * table stays consistent because the holder is the only thread that can
 * touch it. */
void lock_fork_enter(shim_lock *l);
void lock_fork_parent(shim_lock *l);
void lock_fork_child(shim_lock *l);

/* The one lock around the table: held across check, forward and record so
 * that the table and the kernel's address space change in step. */
extern shim_lock shim_table_lock;

#endif
