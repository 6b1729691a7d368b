#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "native.h"

static uint64_t from_rc(int rc)
{
	return rc == -1 ? (uint64_t)0 - (uint64_t)errno : (uint64_t)(int64_t)rc;
}

static uint64_t from_ptr(void *p, void *failed)
{
	return p == failed ? (uint64_t)0 - (uint64_t)errno : (uint64_t)(uintptr_t)p;
}

#define P(i) ((void *)(uintptr_t)c->arg[i])
#define Z(i) ((size_t)c->arg[i])
#define I(i) ((int)c->arg[i])

static uint64_t exec_remap(const ms_call *c)
{
	void *p = c->nargs > 4 ? mremap(P(0), Z(1), Z(2), I(3), P(4)) : mremap(P(0), Z(1), Z(2), I(3));
	return from_ptr(p, MAP_FAILED);
}

static uint64_t exec_memory(const ms_call *c)
{
	switch (c->id) {
	case MS_CALL_FREE:
		free(P(0));
		return 0;
	case MS_CALL_REALLOC: return from_ptr(realloc(P(0), Z(1)), NULL);
	case MS_CALL_BRK: return from_rc(brk(P(0)));
	case MS_CALL_SBRK: return from_ptr(sbrk((intptr_t)c->arg[0]), (void *)-1);
	case MS_CALL_ACCESS: {
		/* A real load, so a quarantined page faults into the runtime. */
		volatile unsigned char *p = P(0);
		(void)*p;
		return 0;
	}
	default:
		exit(0);
	}
}

uint64_t native_exec(const ms_call *c)
{
	switch (c->id) {
	case MS_CALL_MMAP: return from_ptr(mmap(P(0), Z(1), I(2), I(3), I(4), (off_t)c->arg[5]), MAP_FAILED);
	case MS_CALL_MUNMAP: return from_rc(munmap(P(0), Z(1)));
	case MS_CALL_MREMAP: return exec_remap(c);
	case MS_CALL_MPROTECT: return from_rc(mprotect(P(0), Z(1), I(2)));
	case MS_CALL_MADVISE: return from_rc(madvise(P(0), Z(1), I(2)));
	case MS_CALL_MSYNC: return from_rc(msync(P(0), Z(1), I(2)));
	case MS_CALL_MLOCK: return from_rc(mlock(P(0), Z(1)));
	case MS_CALL_MUNLOCK: return from_rc(munlock(P(0), Z(1)));
	case MS_CALL_MLOCKALL: return from_rc(mlockall(I(0)));
	case MS_CALL_MINCORE: return from_rc(mincore(P(0), Z(1), P(2)));
	case MS_CALL_PKEY_MPROTECT: return from_rc(pkey_mprotect(P(0), Z(1), I(2), I(3)));
	case MS_CALL_REMAP_FILE_PAGES: return from_rc(remap_file_pages(P(0), Z(1), I(2), Z(3), I(4)));
	case MS_CALL_POSIX_MADVISE: {
		/* posix_madvise returns the error number instead of setting errno. */
		int err = posix_madvise(P(0), Z(1), I(2));
		return err ? (uint64_t)0 - (uint64_t)err : 0;
	}
	default: return exec_memory(c);
	}
}
