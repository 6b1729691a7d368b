/* Policy native (SPEC §3.2): the kernel judges the arguments; only calls that
 * touch memory the program never mapped, or no longer has, are reported,
 * plus the hazards of file mappings as warnings. */
#include <inttypes.h>
#include <sys/mman.h>

#include "machine_impl.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

static bool shared_writable(uint64_t prot, uint64_t flags)
{
	uint64_t type = flags & MAP_SHARED_VALIDATE;
	return (prot & PROT_WRITE) && (type == MAP_SHARED || type == MAP_SHARED_VALIDATE);
}

static void check_fixed_target(const ms_machine *m, const ms_call *c, uint64_t end, ms_verdict *v)
{
	const ms_os *os = &m->cfg.os;
	uint64_t lo = c->arg[0], glo, ghi;
	if (!os->range_foreign)
		return;
	while (lo < end && live_first_gap(m, lo, end, &glo, &ghi)) {
		if (os->range_foreign(os->ctx, glo, ghi - glo))
			return verdict_report(v, MS_KIND_MAP_FIXED_UNTRACKED, NULL,
					      "mmap with MAP_FIXED at 0x%" PRIx64 " replaces memory at 0x%" PRIx64
					      " that the program never mapped", c->arg[0], glo);
		lo = ghi;
	}
}

static void check_file_hazards(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	const ms_file_facts *f = &c->file;
	uint64_t len = c->arg[1], off = c->arg[5], file_end;
	if ((int)c->arg[4] == -1 || !f->valid || !f->regular)
		return;
	if (!round_len(m, f->size, &file_end) || off > file_end || len > file_end - off)
		return verdict_report(v, MS_KIND_MAP_BEYOND_EOF, NULL,
				      "mmap of %" PRIu64 " bytes at offset %" PRIu64 " runs past the end of the file (%" PRIu64
				      " bytes): an access to the pages beyond it raises SIGBUS", len, off, f->size);
	if (shared_writable(c->arg[2], c->arg[3]) && !f->sealed)
		return verdict_report(v, MS_KIND_SHARED_WRITABLE_FILE, NULL,
				      "shared writable mapping of a file: another process can change or truncate the file under it");
}

static void check_mmap(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t end;
	if ((c->arg[3] & MAP_FIXED) && ms_page_range(m->cfg.page_size, c->arg[0], c->arg[1], &end))
		check_fixed_target(m, c, end, v);
	if (v->action == MS_ACT_FORWARD)
		check_file_hazards(m, c, v);
}

static void check_unsynced(const ms_machine *m, const ms_call *c, uint64_t end, ms_verdict *v)
{
	const ms_range *r = table_first_overlap(&m->live, c->arg[0], end);
	for (; r && r->base < end; r = table_next(&m->live, r)) {
		if ((r->file & (RANGE_FILE | RANGE_SYNCED)) == RANGE_FILE && shared_writable(r->prot, r->map_flags))
			return verdict_report(v, MS_KIND_MSYNC_UNCHECKED, r,
					      "munmap(0x%" PRIx64 ", %" PRIu64 ") of a shared writable file mapping that was never "
					      "msync'ed: write-back errors go unseen", c->arg[0], c->arg[1]);
	}
}

/* munmap and mremap: every page must be the program's own, live mapping. */
static void check_release(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t end, glo, ghi;
	if (!ms_page_range(m->cfg.page_size, c->arg[0], c->arg[1], &end))
		return;
	const ms_range *d = dead_in_gaps(m, c->arg[0], end);
	if (d)
		return report_double_unmap(v, c, d);
	if (live_first_gap(m, c->arg[0], end, &glo, &ghi))
		return report_unmap_untracked(v, c);
	if (c->id == MS_CALL_MUNMAP && m->cfg.check_msync)
		check_unsynced(m, c, end, v);
}

static void check_range_op(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t end, glo, ghi;
	if (!ms_page_range(m->cfg.page_size, c->arg[0], c->arg[1], &end))
		return;
	const ms_range *d = dead_in_gaps(m, c->arg[0], end);
	if (d)
		return verdict_report(v, MS_KIND_OUT_OF_BOUNDS, d,
				      "%s(0x%" PRIx64 ", %" PRIu64 ") touches a mapping of %" PRIu64 " bytes that has been unmapped",
				      ms_call_name(c->id), c->arg[0], c->arg[1], d->end - d->base);
	if (live_first_gap(m, c->arg[0], end, &glo, &ghi))
		return verdict_report(v, MS_KIND_OUT_OF_BOUNDS, NULL,
				      "%s(0x%" PRIx64 ", %" PRIu64 ") touches memory at 0x%" PRIx64 " that was not mapped by mmap",
				      ms_call_name(c->id), c->arg[0], c->arg[1], glo);
}

void check_native(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	switch (c->id) {
	case MS_CALL_MMAP: return check_mmap(m, c, v);
	case MS_CALL_MUNMAP: return check_release(m, c, v);
	case MS_CALL_MREMAP:
		/* old_size 0 duplicates a shared mapping and releases nothing; the
		 * kernel refuses new_size 0 before it looks at the range. */
		return c->arg[1] == 0 || c->arg[2] == 0 ? (void)0 : check_release(m, c, v);
	case MS_CALL_MPROTECT:
	case MS_CALL_MADVISE: return check_range_op(m, c, v);
	default: return;
	}
}
