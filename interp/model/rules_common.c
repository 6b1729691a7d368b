/* Checks that hold under both policies. */
#include <inttypes.h>

#include "machine_impl.h"

void check_free(const ms_machine *m, const ms_call *c, ms_verdict *v)
{
	uint64_t p = c->arg[0];
	/* Only page-aligned pointers can be a mapping's base, and checking just
	 * those keeps ordinary frees free of cost. */
	if (p == 0 || !page_aligned(m, p))
		return;
	const ms_range *r = table_find(&m->live, p);
	if (r)
		verdict_report(v, MS_KIND_FREE_OF_MAPPING, r,
			       "%s(0x%" PRIx64 ") of memory inside a mapping of %" PRIu64
			       " bytes made by mmap: it must be released with munmap",
			       ms_call_name(c->id), p, r->end - r->base);
}

void ms_check_access(const ms_machine *m, uint64_t addr, ms_verdict *out)
{
	verdict_forward(out);
	const ms_range *r = table_find(&m->live, addr);
	if (r) {
		/* A file hazard: policy native's warning (SPEC §3.3). */
		if ((r->file & RANGE_FILE) && m->cfg.policy == MS_POLICY_NATIVE)
			verdict_report(out, MS_KIND_FILE_TRUNCATED, r,
				       "access to 0x%" PRIx64 ", %" PRIu64 " bytes into a file mapping of %" PRIu64
				       " bytes, beyond the end of its file: the file was truncated under the mapping",
				       addr, addr - r->base, r->end - r->base);
		return;
	}
	const ms_range *d = table_find(&m->dead, addr);
	if (d)
		verdict_report(out, MS_KIND_USE_AFTER_UNMAP, d,
			       "memory access failed: 0x%" PRIx64 " is %" PRIu64 " bytes into a mapping of %" PRIu64
			       " bytes that has been unmapped, so this pointer is dangling",
			       addr, addr - d->base, d->end - d->base);
}

void ms_check_leak(const ms_machine *m, const ms_range_info *r, ms_verdict *out)
{
	(void)m;
	ms_range proto = {.base = r->base, .end = r->base + r->size, .origin = r->origin_stack};
	verdict_report(out, MS_KIND_LEAK, &proto,
		       "mapping [0x%" PRIx64 ", +%" PRIu64 ") is still mapped at exit", r->base, r->size);
}
