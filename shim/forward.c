#include "forward.h"

long fwd_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off)
{
	return sys_call6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, (long)off);
}

/* Below the default mmap area (top-down from near 2^47) and above PIE
 * executables and their heap (around 0x55..., 0x56...): the kernel honours
 * the hint while the range is free, and picks elsewhere when it is not. */
#define RUNTIME_AREA 0x200000000000ull

long fwd_mmap_runtime(uint64_t len, int fd)
{
	static uint64_t next = RUNTIME_AREA;
	uint64_t size = (len + 0xffffu) & ~0xffffull;
	uint64_t hint = __atomic_fetch_add(&next, size, __ATOMIC_RELAXED);
	int prot = fd == -1 ? PROT_READ | PROT_WRITE : PROT_READ;
	int flags = fd == -1 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_PRIVATE;
	return fwd_mmap(hint, len, prot, flags, fd, 0);
}

long fwd_munmap(uint64_t addr, uint64_t len)
{
	return sys_call2(SYS_munmap, addr, len);
}

long fwd_mremap(uint64_t old, uint64_t old_size, uint64_t new_size, int flags, uint64_t new_addr)
{
	return sys_call5(SYS_mremap, old, old_size, new_size, flags, new_addr);
}

long fwd_mprotect(uint64_t addr, uint64_t len, int prot)
{
	return sys_call3(SYS_mprotect, addr, len, prot);
}

long fwd_madvise(uint64_t addr, uint64_t len, int advice)
{
	return sys_call3(SYS_madvise, addr, len, advice);
}

static long plain_nr(ms_call_id id)
{
	switch (id) {
	case MS_CALL_MSYNC: return SYS_msync;
	case MS_CALL_MLOCK: return SYS_mlock;
	case MS_CALL_MUNLOCK: return SYS_munlock;
	case MS_CALL_MLOCKALL: return SYS_mlockall;
	case MS_CALL_MINCORE: return SYS_mincore;
	case MS_CALL_PKEY_MPROTECT: return SYS_pkey_mprotect;
	case MS_CALL_REMAP_FILE_PAGES: return SYS_remap_file_pages;
	case MS_CALL_POSIX_MADVISE: return SYS_madvise;
	default: return -1;
	}
}

long fwd_plain(const ms_call *c)
{
	long nr = plain_nr(c->id);
	if (nr < 0)
		return -ENOSYS;
	return sys_call6(nr, (long)c->arg[0], (long)c->arg[1], (long)c->arg[2],
			 (long)c->arg[3], (long)c->arg[4], (long)c->arg[5]);
}
