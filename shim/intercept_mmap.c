#include <stdarg.h>
#include <stddef.h>
#include <sys/mman.h>

#include "fault_inject.h"
#include "file_facts.h"
#include "intercept.h"
#include "own_maps.h"
#include "quarantine.h"
#include "runtime.h"

static uint64_t rounded(uint64_t len)
{
	uint64_t r;
	return ms_round_len(shim.page, len, &r) ? r : len;
}

static long mmap_unchecked(uint64_t addr, uint64_t len, int prot, int flags, int fd,
			   uint64_t off)
{
	long r = fwd_mmap(addr, len, prot, flags, fd, off);
	if (!sys_failed(r))
		own_note_map((uint64_t)r, rounded(len), !(flags & MAP_FIXED));
	return r;
}

static long munmap_unchecked(uint64_t addr, uint64_t len)
{
	long r = fwd_munmap(addr, len);
	if (!sys_failed(r))
		own_note_unmap(addr, len);
	return r;
}

static long mremap_unchecked(uint64_t old, uint64_t old_size, uint64_t new_size, int flags,
			     uint64_t new_addr)
{
	long r = fwd_mremap(old, old_size, new_size, flags, new_addr);
	if (!sys_failed(r)) {
		own_note_unmap(old, old_size);
		own_note_map((uint64_t)r, rounded(new_size), true);
	}
	return r;
}

/* Allocators commit and decommit with MAP_FIXED inside their own live
 * mappings, which hold no quarantined pages: spare them the quarantine scan.
 * Called under the table lock, before the call is recorded. */
static bool inside_live(uint64_t addr, uint64_t len)
{
	ms_range_info live;
	return ms_find_live(shim.machine, addr, &live) && len <= live.base + live.size - addr;
}

static long mmap_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	long r = fwd_mmap(c->arg[0], c->arg[1], (int)c->arg[2], (int)c->arg[3],
			  (int)c->arg[4], c->arg[5]);
	if (!sys_failed(r) && (c->arg[3] & MAP_FIXED) && !inside_live((uint64_t)r, rounded(c->arg[1])))
		quarantine_claim((uint64_t)r, (uint64_t)r + rounded(c->arg[1]));
	return r;
}

static const call_ops mmap_ops = {mmap_forward, true};

MAPSAN_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (!call_enter())
		return ret_ptr(mmap_unchecked((uint64_t)addr, len, prot, flags, fd, (uint64_t)off));
	int saved = errno;
	long r = -ENOMEM;
	if (!fault_inject_mmap()) {
		ms_call c = {
			.id = MS_CALL_MMAP,
			.nargs = 6,
			.arg = {(uint64_t)addr, len, (uint64_t)prot, (uint64_t)flags,
				(uint64_t)(int64_t)fd, (uint64_t)off},
		};
		/* Under miri a file mapping is unsupported whatever the file,
		 * unless sealed files are allowed: only then do its facts matter. */
		if (fd != -1 && (shim_opts.policy == MS_POLICY_NATIVE || shim_opts.allow_sealed_files))
			file_facts_gather(fd, &c.file);
		c.stack = CALL_STACK();
		r = call_run(&c, &mmap_ops);
	}
	call_leave(saved, r);
	return sys_failed(r) ? MAP_FAILED : (void *)r;
}

MAPSAN_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));

static long munmap_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	uint64_t end;
	/* The kernel's own errors (EINVAL) for what cannot be a page range. */
	if (!ms_page_range(shim.page, c->arg[0], c->arg[1], &end))
		return fwd_munmap(c->arg[0], c->arg[1]);
	return quarantine_unmap(c->arg[0], end);
}

static const call_ops munmap_ops = {munmap_forward, true};

MAPSAN_EXPORT int munmap(void *addr, size_t len)
{
	if (!call_enter())
		return (int)ret_long(munmap_unchecked((uint64_t)addr, len));
	int saved = errno;
	ms_call c = {.id = MS_CALL_MUNMAP, .nargs = 2, .arg = {(uint64_t)addr, len}};
	c.stack = CALL_STACK();
	long r = call_run(&c, &munmap_ops);
	call_leave(saved, r);
	return sys_failed(r) ? -1 : 0;
}

static long mremap_forward(const ms_call *c, const ms_verdict *v)
{
	int flags = (int)c->arg[3];
	long r = fwd_mremap(c->arg[0], c->arg[1], c->arg[2], flags, c->arg[4]);
	if (sys_failed(r))
		return r;
	if (flags & MREMAP_FIXED)
		quarantine_claim((uint64_t)r, (uint64_t)r + rounded(c->arg[2]));
	/* Only a reported call can move pages out of a held range. */
	if (v->action == MS_ACT_REPORT)
		quarantine_claim(c->arg[0], c->arg[0] + rounded(c->arg[1]));
	return r;
}

static const call_ops mremap_ops = {mremap_forward, true};

/* Like glibc, the fifth argument is read only when MREMAP_FIXED says the
 * caller passed one. */
MAPSAN_EXPORT void *mremap(void *old, size_t old_size, size_t new_size, int flags, ...)
{
	void *new_addr = NULL;
	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	if (!call_enter())
		return ret_ptr(mremap_unchecked((uint64_t)old, old_size, new_size, flags,
						(uint64_t)new_addr));
	int saved = errno;
	ms_call c = {
		.id = MS_CALL_MREMAP,
		.nargs = (flags & MREMAP_FIXED) ? 5 : 4,
		.arg = {(uint64_t)old, old_size, new_size, (uint64_t)flags, (uint64_t)new_addr},
	};
	c.stack = CALL_STACK();
	long r = call_run(&c, &mremap_ops);
	call_leave(saved, r);
	return sys_failed(r) ? MAP_FAILED : (void *)r;
}

static long mprotect_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	return fwd_mprotect(c->arg[0], c->arg[1], (int)c->arg[2]);
}

static const call_ops mprotect_ops = {mprotect_forward, true};

MAPSAN_EXPORT int mprotect(void *addr, size_t len, int prot)
{
	if (!call_enter())
		return (int)ret_long(fwd_mprotect((uint64_t)addr, len, prot));
	int saved = errno;
	ms_call c = {.id = MS_CALL_MPROTECT, .nargs = 3,
		     .arg = {(uint64_t)addr, len, (uint64_t)prot}};
	long r = call_run(&c, &mprotect_ops);
	call_leave(saved, r);
	return sys_failed(r) ? -1 : 0;
}

static long madvise_forward(const ms_call *c, const ms_verdict *v)
{
	(void)v;
	return fwd_madvise(c->arg[0], c->arg[1], (int)c->arg[2]);
}

static const call_ops madvise_ops = {madvise_forward, true};

MAPSAN_EXPORT int madvise(void *addr, size_t len, int advice)
{
	if (!call_enter())
		return (int)ret_long(fwd_madvise((uint64_t)addr, len, advice));
	int saved = errno;
	ms_call c = {.id = MS_CALL_MADVISE, .nargs = 3,
		     .arg = {(uint64_t)addr, len, (uint64_t)advice}};
	long r = call_run(&c, &madvise_ops);
	call_leave(saved, r);
	return sys_failed(r) ? -1 : 0;
}
