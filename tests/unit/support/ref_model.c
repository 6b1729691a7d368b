#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "ref_model.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

static const ref_page untracked_page;

void ref_init(ref_model *r, const ms_config *cfg, uint64_t base)
{
	memset(r, 0, sizeof *r);
	r->base = base;
	r->page = cfg->page_size;
	r->policy = cfg->policy;
	r->allow_sealed_files = cfg->allow_sealed_files;
	r->os = cfg->os;
	r->next_id = 1;
}

uint64_t ref_end(const ref_model *r)
{
	return r->base + REF_PAGES * r->page;
}

bool ref_round(const ref_model *r, uint64_t len, uint64_t *out)
{
	if (len > UINT64_MAX - (r->page - 1))
		return false;
	uint64_t rl = (len + r->page - 1) & ~(r->page - 1);
	if (rl > (uint64_t)PTRDIFF_MAX)
		return false;
	*out = rl;
	return true;
}

static bool aligned(const ref_model *r, uint64_t a)
{
	return (a & (r->page - 1)) == 0;
}

static long index_of(const ref_model *r, uint64_t addr)
{
	if (addr < r->base || addr >= ref_end(r))
		return -1;
	return (long)((addr - r->base) / r->page);
}

static const ref_page *page_at(const ref_model *r, uint64_t addr)
{
	long i = index_of(r, addr);
	return i < 0 ? &untracked_page : &r->pg[i];
}

int ref_state(const ref_model *r, uint64_t addr)
{
	return page_at(r, addr)->state;
}

static bool same_run(const ref_page *a, const ref_page *b)
{
	return a->state == b->state && a->id == b->id;
}

bool ref_find(const ref_model *r, uint64_t addr, int state, ms_range_info *out)
{
	long i = index_of(r, addr);
	if (i < 0 || r->pg[i].state != state || state == REF_UNTRACKED)
		return false;
	long lo = i, hi = i + 1;
	while (lo > 0 && same_run(&r->pg[lo - 1], &r->pg[i]))
		lo--;
	while (hi < REF_PAGES && same_run(&r->pg[hi], &r->pg[i]))
		hi++;
	const ref_page *p = &r->pg[i];
	memset(out, 0, sizeof *out);
	out->base = r->base + (uint64_t)lo * r->page;
	out->size = (uint64_t)(hi - lo) * r->page;
	out->origin_stack = p->origin;
	out->unmap_stack = p->unmap;
	out->map_flags = p->flags;
	out->prot = p->prot;
	out->file = p->file;
	return true;
}

/* ---- verdicts ---- */

static void forward(ms_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->action = MS_ACT_FORWARD;
}

static void fail(ms_verdict *v, int err)
{
	memset(v, 0, sizeof *v);
	v->action = MS_ACT_FAIL;
	v->err = err;
}

static void report(ms_verdict *v, ms_kind kind, const ms_range_info *range)
{
	memset(v, 0, sizeof *v);
	v->action = MS_ACT_REPORT;
	v->kind = kind;
	v->severity = ms_kind_severity(kind);
	if (range) {
		v->map_base = range->base;
		v->map_size = range->size;
		v->origin_stack = range->origin_stack;
		v->unmap_stack = range->unmap_stack;
	}
}

/* What [lo, hi) holds: its first dead page, whether a page is untracked,
 * and whether it lies inside one live mapping. */
typedef struct {
	bool dead, untracked, one_live;
	uint64_t first_dead;
} scan_result;

static scan_result scan(const ref_model *r, uint64_t lo, uint64_t hi)
{
	scan_result s = { false, false, true, 0 };
	ms_range_info first;
	bool have_first = ref_find(r, lo, REF_LIVE, &first);
	if (!have_first)
		s.one_live = false;
	else if (hi > first.base + first.size)
		s.one_live = false;
	if (lo < r->base || hi > ref_end(r))
		s.untracked = true;
	uint64_t a = lo < r->base ? r->base : lo;
	uint64_t end = hi > ref_end(r) ? ref_end(r) : hi;
	for (; a < end; a += r->page) {
		const ref_page *p = page_at(r, a);
		if (p->state == REF_DEAD && !s.dead) {
			s.dead = true;
			s.first_dead = a;
		}
		if (p->state == REF_UNTRACKED)
			s.untracked = true;
	}
	return s;
}

static bool is_fd(const ms_call *c)
{
	return (int64_t)c->arg[4] != -1;
}

static bool sealed_ok(const ref_model *r, const ms_call *c)
{
	const ms_file_facts *f = &c->file;
	uint32_t flags = (uint32_t)c->arg[3];
	uint64_t len = c->arg[1], off = c->arg[5];
	if (!r->allow_sealed_files || !f->valid || !(f->sealed || f->verity))
		return false;
	if ((uint32_t)c->arg[2] != PROT_READ || (flags & MAP_SHARED_VALIDATE) != MAP_PRIVATE)
		return false;
	return off <= f->size && len <= f->size - off;
}

static void miri_mmap(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	uint64_t len = c->arg[1], off = c->arg[5], rl;
	uint32_t prot = (uint32_t)c->arg[2], flags = (uint32_t)c->arg[3];
	uint32_t type = flags & MAP_SHARED_VALIDATE;
	if (type != MAP_PRIVATE && type != MAP_SHARED)
		return fail(v, EINVAL);
	if (len == 0)
		return fail(v, EINVAL);
	bool sealed = false;
	if (is_fd(c)) {
		if (!sealed_ok(r, c))
			return report(v, MS_KIND_FILE_MAPPING, NULL);
		sealed = true;
	}
	if (!sealed) {
		if (flags & MAP_FIXED)
			return report(v, MS_KIND_MAP_FIXED, NULL);
		if (prot != (PROT_READ | PROT_WRITE))
			return report(v, MS_KIND_PROTECTION, NULL);
		if (flags != (MAP_PRIVATE | MAP_ANONYMOUS))
			return report(v, MS_KIND_MAP_FLAGS, NULL);
		if (off != 0)
			return report(v, MS_KIND_MAP_OFFSET, NULL);
	}
	if (!ref_round(r, len, &rl))
		return fail(v, EINVAL);
	forward(v);
}

/* Pages of a file mapping that start at or past the page holding the end
 * of the file raise SIGBUS; the partial last page does not. */
static void file_hazards(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	const ms_file_facts *f = &c->file;
	uint64_t len = c->arg[1], off = c->arg[5], file_end;
	uint32_t prot = (uint32_t)c->arg[2], type = (uint32_t)c->arg[3] & MAP_SHARED_VALIDATE;
	if (!is_fd(c) || !f->valid || !f->regular)
		return;
	if (!ref_round(r, f->size, &file_end) || off > file_end || len > file_end - off)
		return report(v, MS_KIND_MAP_BEYOND_EOF, NULL);
	/* A memfd sealed against writing cannot be mapped shared and writable. */
	if ((prot & PROT_WRITE) && (type == MAP_SHARED || type == MAP_SHARED_VALIDATE) && !f->sealed)
		report(v, MS_KIND_SHARED_WRITABLE_FILE, NULL);
}

static void native_mmap(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	uint64_t addr = c->arg[0], len = c->arg[1], rl;
	uint32_t flags = (uint32_t)c->arg[3];
	forward(v);
	if ((flags & MAP_FIXED) && aligned(r, addr) && len != 0 && ref_round(r, len, &rl)
	    && r->os.range_foreign && r->os.range_foreign(r->os.ctx, addr, rl))
		return report(v, MS_KIND_MAP_FIXED_UNTRACKED, NULL);
	file_hazards(r, c, v);
}

/* munmap and mremap share the rules about the range they release. */
static void miri_release(const ref_model *r, uint64_t addr, uint64_t size, ms_verdict *v)
{
	ms_range_info m;
	if (ref_find(r, addr, REF_DEAD, &m))
		return report(v, MS_KIND_DOUBLE_UNMAP, &m);
	if (!ref_find(r, addr, REF_LIVE, &m))
		return report(v, MS_KIND_UNMAP_UNTRACKED, NULL);
	if (addr != m.base || size != m.size)
		return report(v, MS_KIND_PARTIAL_UNMAP, &m);
	forward(v);
}

static void native_release(const ref_model *r, uint64_t addr, uint64_t rl, ms_verdict *v)
{
	scan_result s = scan(r, addr, addr + rl);
	ms_range_info m;
	if (s.dead) {
		ref_find(r, s.first_dead, REF_DEAD, &m);
		return report(v, MS_KIND_DOUBLE_UNMAP, &m);
	}
	if (s.untracked)
		return report(v, MS_KIND_UNMAP_UNTRACKED, NULL);
	forward(v);
}

static void check_munmap(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	uint64_t addr = c->arg[0], len = c->arg[1], rl;
	bool ok = aligned(r, addr) && ref_round(r, len, &rl);
	if (r->policy == MS_POLICY_NATIVE) {
		if (!ok || len == 0)
			return forward(v);
		return native_release(r, addr, rl, v);
	}
	if (!ok)
		return fail(v, EINVAL);
	miri_release(r, addr, rl, v);
}

static void check_mremap(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	uint64_t old = c->arg[0], old_size = c->arg[1], new_size = c->arg[2], rl, rn;
	uint32_t flags = (uint32_t)c->arg[3];
	if (r->policy == MS_POLICY_NATIVE) {
		if (!aligned(r, old) || new_size == 0 || old_size == 0
		    || !ref_round(r, old_size, &rl) || !ref_round(r, new_size, &rn))
			return forward(v);
		return native_release(r, old, rl, v);
	}
	if (!aligned(r, old) || new_size == 0)
		return fail(v, EINVAL);
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return report(v, MS_KIND_MREMAP_FLAGS, NULL);
	if (!(flags & MREMAP_MAYMOVE))
		return fail(v, EINVAL);
	miri_release(r, old, old_size, v);
}

static bool advice_ok(uint32_t advice)
{
	return advice == MADV_NORMAL || advice == MADV_RANDOM || advice == MADV_SEQUENTIAL
	       || advice == MADV_WILLNEED;
}

static void check_attr(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	uint64_t addr = c->arg[0], len = c->arg[1], rl;
	uint32_t arg = (uint32_t)c->arg[2];
	bool rounds = ref_round(r, len, &rl);
	if (r->policy == MS_POLICY_NATIVE) {
		if (!aligned(r, addr) || !rounds || len == 0)
			return forward(v);
		scan_result s = scan(r, addr, addr + rl);
		if (s.dead || s.untracked)
			return report(v, MS_KIND_OUT_OF_BOUNDS, NULL);
		return forward(v);
	}
	if (!aligned(r, addr))
		return fail(v, EINVAL);
	if (c->id == MS_CALL_MPROTECT && arg != (PROT_READ | PROT_WRITE))
		return report(v, MS_KIND_PROTECTION, NULL);
	if (c->id == MS_CALL_MADVISE && !advice_ok(arg))
		return report(v, MS_KIND_MADVISE_ADVICE, NULL);
	if (!rounds)
		return fail(v, ENOMEM);
	if (len == 0)
		return forward(v);
	if (!scan(r, addr, addr + rl).one_live)
		return report(v, MS_KIND_OUT_OF_BOUNDS, NULL);
	forward(v);
}

static void check_free(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	ms_range_info m;
	if (aligned(r, c->arg[0]) && ref_find(r, c->arg[0], REF_LIVE, &m))
		return report(v, MS_KIND_FREE_OF_MAPPING, &m);
	forward(v);
}

void ref_check(const ref_model *r, const ms_call *c, ms_verdict *v)
{
	switch (c->id) {
	case MS_CALL_MMAP:
		if (r->policy == MS_POLICY_NATIVE)
			return native_mmap(r, c, v);
		return miri_mmap(r, c, v);
	case MS_CALL_MUNMAP:
		return check_munmap(r, c, v);
	case MS_CALL_MREMAP:
		return check_mremap(r, c, v);
	case MS_CALL_MPROTECT:
	case MS_CALL_MADVISE:
		return check_attr(r, c, v);
	case MS_CALL_FREE:
	case MS_CALL_REALLOC:
		return check_free(r, c, v);
	case MS_CALL_ACCESS:
		return ref_check_access(r, c->arg[0], v);
	case MS_CALL_EXIT:
		return forward(v);
	default:
		if (r->policy == MS_POLICY_NATIVE)
			return forward(v);
		return report(v, MS_KIND_UNSUPPORTED_CALL, NULL);
	}
}

void ref_check_access(const ref_model *r, uint64_t addr, ms_verdict *v)
{
	ms_range_info m;
	if (ref_find(r, addr & ~(r->page - 1), REF_DEAD, &m))
		return report(v, MS_KIND_USE_AFTER_UNMAP, &m);
	if (r->policy == MS_POLICY_NATIVE && ref_find(r, addr & ~(r->page - 1), REF_LIVE, &m)
	    && m.file)
		return report(v, MS_KIND_FILE_TRUNCATED, &m);
	forward(v);
}

/* ---- carry-on: mirror the kernel ---- */

static bool failed(uint64_t result)
{
	return result > (uint64_t)-4096;
}

/* Tracked pages of [lo, hi) become dead; each piece of a mapping becomes a
 * dead range of its own, with that mapping's origin. */
static void kill_range(ref_model *r, uint64_t lo, uint64_t hi, uint32_t stack)
{
	uint32_t prev_live = 0, dead_id = 0;
	bool prev_killed = false;
	uint64_t a = lo < r->base ? r->base : lo;
	uint64_t end = hi > ref_end(r) ? ref_end(r) : hi;
	for (; a < end; a += r->page) {
		ref_page *p = &r->pg[index_of(r, a)];
		if (p->state != REF_LIVE) {
			prev_killed = false;
			continue;
		}
		if (!prev_killed || p->id != prev_live)
			dead_id = r->next_id++;
		prev_live = p->id;
		prev_killed = true;
		p->state = REF_DEAD;
		p->id = dead_id;
		p->unmap = stack;
	}
}

static void make_live(ref_model *r, uint64_t lo, uint64_t hi, const ref_page *proto)
{
	uint32_t id = r->next_id++;
	uint64_t end = hi > ref_end(r) ? ref_end(r) : hi;
	for (uint64_t a = lo < r->base ? r->base : lo; a < end; a += r->page) {
		ref_page *p = &r->pg[index_of(r, a)];
		*p = *proto;
		p->state = REF_LIVE;
		p->id = id;
		p->unmap = 0;
	}
}

static void record_mmap(ref_model *r, const ms_call *c, uint64_t at)
{
	uint64_t rl;
	uint32_t flags = (uint32_t)c->arg[3];
	if (!ref_round(r, c->arg[1], &rl))
		return;
	ms_range_info m;
	if ((flags & MAP_FIXED) && ref_find(r, at, REF_LIVE, &m) && at + rl <= m.base + m.size)
		return;
	ref_page proto = { .prot = (uint8_t)c->arg[2], .file = is_fd(c), .origin = c->stack,
			   .flags = flags };
	make_live(r, at, at + rl, &proto);
}

static void record_mremap(ref_model *r, const ms_call *c, uint64_t at)
{
	uint64_t rl, rn;
	if (!ref_round(r, c->arg[1], &rl) || !ref_round(r, c->arg[2], &rn))
		return;
	ref_page proto = *page_at(r, c->arg[0]);
	proto.origin = c->stack;
	kill_range(r, c->arg[0], c->arg[0] + rl, c->stack);
	make_live(r, at, at + rn, &proto);
}

/* The heap grows as a mapping of its own from the page holding the old
 * break, and shrinks like a munmap of the pages above the new break. */
static void record_sbrk(ref_model *r, const ms_call *c, uint64_t old)
{
	int64_t incr = (int64_t)c->arg[0];
	uint64_t mask = r->page - 1;
	if (incr > 0) {
		ref_page proto = { .prot = PROT_READ | PROT_WRITE, .origin = c->stack,
				   .flags = MAP_PRIVATE | MAP_ANONYMOUS };
		make_live(r, old & ~mask, (old + (uint64_t)incr + mask) & ~mask, &proto);
	} else if (incr < 0) {
		uint64_t brk = old + (uint64_t)incr;
		kill_range(r, (brk + mask) & ~mask, (old + mask) & ~mask, c->stack);
	}
}

void ref_record(ref_model *r, const ms_call *c, uint64_t result)
{
	if (failed(result))
		return;
	uint64_t rl;
	switch (c->id) {
	case MS_CALL_MMAP:
		return record_mmap(r, c, result);
	case MS_CALL_MUNMAP:
		if (ref_round(r, c->arg[1], &rl))
			kill_range(r, c->arg[0], c->arg[0] + rl, c->stack);
		return;
	case MS_CALL_MREMAP:
		return record_mremap(r, c, result);
	case MS_CALL_SBRK:
		return record_sbrk(r, c, result);
	default:
		return;
	}
}
