/* The calls outside Miri's model (SPEC §3.1, unsupported-call): judged,
 * then forwarded unchanged. */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "intercept.h"
#include "next.h"
#include "runtime.h"

static long plain_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	return fwd_plain(c);
}

/* msync may block on I/O: the table lock is not held across it. */
static const call_ops query_ops = {plain_forward, false};
static const call_ops change_ops = {plain_forward, true};

static inline __attribute__((always_inline)) long
run_plain(ms_call_id id, unsigned nargs, const uint64_t *arg, const call_ops *ops)
{
	ms_call c = {.id = id, .nargs = nargs};
	for (unsigned i = 0; i < nargs; i++)
		c.arg[i] = arg[i];
	if (!call_enter())
		return fwd_plain(&c);
	int saved = errno;
	long r = call_run(&c, ops);
	call_leave(saved, r);
	return r;
}

#define ARGS(...) (const uint64_t[]){__VA_ARGS__}

MAPSAN_EXPORT int msync(void *addr, size_t len, int flags)
{
	return (int)ret_long(run_plain(MS_CALL_MSYNC, 3,
				       ARGS((uint64_t)addr, len, (uint64_t)flags), &query_ops));
}

MAPSAN_EXPORT int mlock(const void *addr, size_t len)
{
	return (int)ret_long(run_plain(MS_CALL_MLOCK, 2, ARGS((uint64_t)addr, len), &query_ops));
}

MAPSAN_EXPORT int munlock(const void *addr, size_t len)
{
	return (int)ret_long(run_plain(MS_CALL_MUNLOCK, 2, ARGS((uint64_t)addr, len), &query_ops));
}

MAPSAN_EXPORT int mlockall(int flags)
{
	return (int)ret_long(run_plain(MS_CALL_MLOCKALL, 1, ARGS((uint64_t)flags), &query_ops));
}

MAPSAN_EXPORT int mincore(void *addr, size_t len, unsigned char *vec)
{
	return (int)ret_long(run_plain(MS_CALL_MINCORE, 3,
				       ARGS((uint64_t)addr, len, (uint64_t)vec), &query_ops));
}

MAPSAN_EXPORT int pkey_mprotect(void *addr, size_t len, int prot, int pkey)
{
	return (int)ret_long(run_plain(MS_CALL_PKEY_MPROTECT, 4,
				       ARGS((uint64_t)addr, len, (uint64_t)prot,
					    (uint64_t)(int64_t)pkey), &change_ops));
}

MAPSAN_EXPORT int remap_file_pages(void *addr, size_t size, int prot, size_t pgoff, int flags)
{
	return (int)ret_long(run_plain(MS_CALL_REMAP_FILE_PAGES, 5,
				       ARGS((uint64_t)addr, size, (uint64_t)prot, pgoff,
					    (uint64_t)flags), &change_ops));
}

/* glibc: POSIX_MADV_DONTNEED is dropped (it would lose data, unlike the
 * POSIX meaning), and the result is the error number, errno untouched. */
static long posix_madvise_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	if ((int)c->arg[2] == POSIX_MADV_DONTNEED)
		return 0;
	return fwd_madvise(c->arg[0], c->arg[1], (int)c->arg[2]);
}

static const call_ops posix_madvise_ops = {posix_madvise_forward, true};

MAPSAN_EXPORT int posix_madvise(void *addr, size_t len, int advice)
{
	ms_call c = {.id = MS_CALL_POSIX_MADVISE, .nargs = 3,
		     .arg = {(uint64_t)addr, len, (uint64_t)advice}};
	long r;
	if (!call_enter())
		return (int)-posix_madvise_forward(&c, 0);
	int saved = errno;
	r = call_run(&c, &posix_madvise_ops);
	call_leave(saved, 0);
	return (int)-r;
}

/* brk and sbrk keep libc's semantics (sbrk's cached break), so they go to
 * libc's definitions rather than to the kernel. */
static long brk_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	int (*next)(void *) = NEXT(brk);
	if (!next)
		return -ENOSYS;
	return next((void *)c->arg[0]) < 0 ? -(long)errno : 0;
}

static long sbrk_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	void *(*next)(intptr_t) = NEXT(sbrk);
	if (!next)
		return -ENOSYS;
	void *p = next((intptr_t)c->arg[0]);
	return p == (void *)-1 ? -(long)errno : (long)p;
}

/* sbrk's growth is recorded as the program's heap mapping (its origin is
 * the call's stack), and under the lock, as every call that changes the
 * address space; libc's sbrk goes to the kernel through its internal brk,
 * which does not come back here. */
static const call_ops brk_ops = {brk_forward, false};
static const call_ops sbrk_ops = {sbrk_forward, true};

MAPSAN_EXPORT int brk(void *addr)
{
	ms_call c = {.id = MS_CALL_BRK, .nargs = 1, .arg = {(uint64_t)addr}};
	if (!call_enter())
		return (int)ret_long(brk_forward(&c, 0));
	int saved = errno;
	long r = call_run(&c, &brk_ops);
	call_leave(saved, r);
	return sys_failed(r) ? -1 : 0;
}

MAPSAN_EXPORT void *sbrk(intptr_t increment)
{
	ms_call c = {.id = MS_CALL_SBRK, .nargs = 1, .arg = {(uint64_t)increment}};
	if (!call_enter()) {
		long r = sbrk_forward(&c, 0);
		return sys_failed(r) ? (errno = (int)-r, (void *)-1) : (void *)r;
	}
	int saved = errno;
	c.stack = CALL_STACK();
	long r = call_run(&c, &sbrk_ops);
	call_leave(saved, r);
	return sys_failed(r) ? (void *)-1 : (void *)r;
}
