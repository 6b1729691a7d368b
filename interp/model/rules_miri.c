/* Policy miri: Miri's rules (src/shims/unix/mem.rs and its deallocation
 * checks), in the order SPEC §3.1 gives. */
#include <errno.h>
#include <inttypes.h>
#include <sys/mman.h>

#include "machine_impl.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

#define RW (PROT_READ | PROT_WRITE)

static bool sealed_file_accepted(const ms_machine *m, const ms_call *c)
{
	uint64_t len = c->arg[1], off = c->arg[5];
	const ms_file_facts *f = &c->file;
	return m->cfg.allow_sealed_files && f->valid && (f->sealed || f->verity) &&
	       c->arg[2] == PROT_READ && (c->arg[3] & MAP_SHARED_VALIDATE) == MAP_PRIVATE &&
	       off <= f->size && len <= f->size - off;
}

static void check_mmap(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t len = c->arg[1], prot = c->arg[2], flags = c->arg[3], off = c->arg[5];
	int fd = (int)c->arg[4];
	uint64_t sharing = flags & (MAP_PRIVATE | MAP_SHARED);
	uint64_t size;

	/* MAP_SHARED_VALIDATE sets both bits: Miri counts them. */
	if (sharing != MAP_PRIVATE && sharing != MAP_SHARED)
		return verdict_fail(v, EINVAL);
	if (len == 0)
		return verdict_fail(v, EINVAL);
	if (fd != -1 && !sealed_file_accepted(m, c))
		return verdict_report(v, MS_KIND_FILE_MAPPING, NULL,
				      "mmap of file descriptor %d: file-backed mappings are not supported", fd);
	if (fd == -1) {
		if (flags & MAP_FIXED)
			return verdict_report(v, MS_KIND_MAP_FIXED, NULL,
					      "mmap with MAP_FIXED at 0x%" PRIx64 " is not supported", c->arg[0]);
		if (prot != RW)
			return verdict_report(v, MS_KIND_PROTECTION, NULL,
					      "mmap with protection 0x%" PRIx64 " is not supported: only PROT_READ|PROT_WRITE", prot);
		if (flags != (MAP_PRIVATE | MAP_ANONYMOUS))
			return verdict_report(v, MS_KIND_MAP_FLAGS, NULL,
					      "mmap with flags 0x%" PRIx64 " is not supported: only MAP_PRIVATE|MAP_ANONYMOUS", flags);
		if (off != 0)
			return verdict_report(v, MS_KIND_MAP_OFFSET, NULL,
					      "mmap with offset %" PRIu64 " is not supported", off);
	}
	if (!round_len(m, len, &size))
		return verdict_fail(v, EINVAL);
}

/* Miri's deallocation checks, shared by munmap and mremap. */
static void check_dealloc(const ms_machine *m, const ms_call *c, uint64_t addr,
			  uint64_t given, ms_verdict *v)
{
	const char *name = ms_call_name(c->id);
	const ms_range *r = table_find(&m->live, addr);
	if (!r) {
		const ms_range *d = table_find(&m->dead, addr);
		if (d)
			return report_double_unmap(v, c, d);
		return report_unmap_untracked(v, c);
	}
	uint64_t size = r->end - r->base;
	if (r->base != addr)
		return verdict_report(v, MS_KIND_PARTIAL_UNMAP, r,
				      "%s(0x%" PRIx64 ", %" PRIu64 ") does not start at the base 0x%" PRIx64
				      " of its mapping of %" PRIu64 " bytes",
				      name, addr, c->arg[1], r->base, size);
	if (given != size)
		return verdict_report(v, MS_KIND_PARTIAL_UNMAP, r,
				      "%s(0x%" PRIx64 ", %" PRIu64 ") frees part of a mapping of %" PRIu64
				      " bytes: mapping has size %" PRIu64 ", but %s gave size %" PRIu64,
				      name, addr, c->arg[1], size, size, name, given);
}

static void check_munmap(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t addr = c->arg[0], size;
	if (!page_aligned(m, addr) || !round_len(m, c->arg[1], &size))
		return verdict_fail(v, EINVAL);
	check_dealloc(m, c, addr, size, v);
}

static void check_mremap(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t old = c->arg[0], old_size = c->arg[1], new_size = c->arg[2], flags = c->arg[3];
	if (!page_aligned(m, old) || new_size == 0)
		return verdict_fail(v, EINVAL);
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return verdict_report(v, MS_KIND_MREMAP_FLAGS, NULL,
				      "mremap with flags 0x%" PRIx64 " is not supported: MREMAP_FIXED and MREMAP_DONTUNMAP are not", flags);
	/* Miri cannot resize in place. */
	if (!(flags & MREMAP_MAYMOVE))
		return verdict_fail(v, EINVAL);
	/* Miri passes old_size to its deallocation check unrounded. */
	check_dealloc(m, c, old, old_size, v);
}

static bool advice_supported(uint64_t advice)
{
	return advice == MADV_NORMAL || advice == MADV_RANDOM ||
	       advice == MADV_SEQUENTIAL || advice == MADV_WILLNEED;
}

static void check_range_op(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t addr = c->arg[0], len = c->arg[1], op = c->arg[2], size;
	const char *name = ms_call_name(c->id);
	if (!page_aligned(m, addr))
		return verdict_fail(v, EINVAL);
	if (c->id == MS_CALL_MPROTECT && op != RW)
		return verdict_report(v, MS_KIND_PROTECTION, NULL,
				      "mprotect with protection 0x%" PRIx64 " is not supported: only PROT_READ|PROT_WRITE", op);
	if (c->id == MS_CALL_MADVISE && !advice_supported(op))
		return verdict_report(v, MS_KIND_MADVISE_ADVICE, NULL,
				      "madvise with advice %" PRIu64 " is not supported: only MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL and MADV_WILLNEED", op);
	if (!round_len(m, len, &size))
		return verdict_fail(v, ENOMEM);
	if (len == 0)
		return;
	if (size > UINT64_MAX - addr || !live_containing(m, addr, addr + size)) {
		const ms_range *r = table_find(&m->live, addr);
		return verdict_report(v, MS_KIND_OUT_OF_BOUNDS, r,
				      "%s(0x%" PRIx64 ", %" PRIu64 ") is out of bounds: the range is not inside one mapping",
				      name, addr, len);
	}
}

void check_miri(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	switch (c->id) {
	case MS_CALL_MMAP: return check_mmap(m, c, v);
	case MS_CALL_MUNMAP: return check_munmap(m, c, v);
	case MS_CALL_MREMAP: return check_mremap(m, c, v);
	case MS_CALL_MPROTECT:
	case MS_CALL_MADVISE: return check_range_op(m, c, v);
	case MS_CALL_ACCESS:
	case MS_CALL_EXIT: return;
	default:
		return verdict_report(v, MS_KIND_UNSUPPORTED_CALL, NULL,
				      "%s is not supported: Miri has no shim for it", ms_call_name(c->id));
	}
}
