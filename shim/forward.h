/* The kernel's side of every interposed call, as raw syscalls. Results are
 * the kernel's: a value, or -errno. errno is set only by the callers, once,
 * as libc would have set it. */
#ifndef MAPSAN_FORWARD_H
#define MAPSAN_FORWARD_H

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "mapsan/machine.h"
#include "sys.h"

long fwd_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off);
long fwd_munmap(uint64_t addr, uint64_t len);
long fwd_mremap(uint64_t old, uint64_t old_size, uint64_t new_size, int flags, uint64_t new_addr);
long fwd_mprotect(uint64_t addr, uint64_t len, int prot);
long fwd_madvise(uint64_t addr, uint64_t len, int advice);

/* Memory the runtime keeps for itself (table nodes, the depot, the
 * quarantine ring, symbol tables): anonymous read/write, or a read-only
 * private file mapping when fd != -1. Placed by hint in a region of its own,
 * so that it does not land on addresses the program just unmapped, where a
 * double unmap carried on (halt_on_error=0) would tear it away. */
long fwd_mmap_runtime(uint64_t len, int fd);

/* Any ms_call whose kernel side is one syscall with the call's arguments
 * (msync, mlock, ...); -ENOSYS for the others. */
long fwd_plain(const ms_call *c);

/* libc's conventions on top of a kernel result. */
static inline long ret_long(long r)
{
	if (sys_failed(r)) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static inline void *ret_ptr(long r)
{
	if (sys_failed(r)) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

#endif
