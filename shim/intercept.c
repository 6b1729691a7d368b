#include "intercept.h"
#include "lock.h"
#include "own_maps.h"
#include "runtime.h"

__attribute__((noinline)) void call_report(ms_call *c, const ms_verdict *v)
{
	char what[256];
	const char *what_memory = 0;
	if (v->kind == MS_KIND_UNMAP_UNTRACKED) {
		describe_memory(c->arg[0], what, sizeof what);
		what_memory = what;
	}
	shim_event ev = {
		.verdict = v,
		.call = c,
		.origin_stack = v->origin_stack,
		.unmap_stack = v->unmap_stack,
		.what_memory = what_memory,
	};
	if (report_emit(&ev) && shim_should_halt(v->severity))
		report_halt();
}

static long run_unlocked_forward(ms_call *c, const call_ops *ops, const ms_verdict *v)
{
	lock_release(&shim_table_lock);
	long r = ops->forward(c, v);
	lock_acquire(&shim_table_lock);
	return r;
}

/* The runtime's own mappings (own_maps.h) are not the program's to misuse. */
static bool own_excused(const ms_call *c, const ms_verdict *v)
{
	if (c->id != MS_CALL_MUNMAP && c->id != MS_CALL_MREMAP &&
	    c->id != MS_CALL_MPROTECT && c->id != MS_CALL_MADVISE)
		return false;
	/* double-unmap too: a dead range the table kept for pages the runtime
	 * has since mapped for itself, should its sync not have run yet. */
	if (v->kind != MS_KIND_UNMAP_UNTRACKED && v->kind != MS_KIND_OUT_OF_BOUNDS &&
	    v->kind != MS_KIND_DOUBLE_UNMAP)
		return false;
	return own_covers(c->arg[0], c->arg[1]);
}

static void own_follow(const ms_call *c, long r)
{
	if (sys_failed(r))
		return;
	if (c->id == MS_CALL_MUNMAP || c->id == MS_CALL_MREMAP)
		own_note_unmap(c->arg[0], c->arg[1]);
	if (c->id == MS_CALL_MREMAP)
		own_note_map((uint64_t)r, c->arg[2], true);
}

__attribute__((noinline)) long call_run(ms_call *c, const call_ops *ops)
{
	ms_verdict v;
	lock_acquire(&shim_table_lock);
	own_sync(shim.machine);
	ms_check(shim.machine, c, &v);
	if (v.action == MS_ACT_FAIL) {
		lock_release(&shim_table_lock);
		return -(long)v.err;
	}
	/* Under the lock, so that halting leaves the table and memory exactly
	 * as they were when the verdict was made. */
	bool own = v.action == MS_ACT_REPORT && own_excused(c, &v);
	if (v.action == MS_ACT_REPORT && !own) {
		if (!c->stack)
			c->stack = depot_capture(CALL_SKIP);
		call_report(c, &v);
	}
	long r = ops->locked ? ops->forward(c, &v) : run_unlocked_forward(c, ops, &v);
	if (own)
		own_follow(c, r);
	ms_record(shim.machine, c, (uint64_t)r);
	lock_release(&shim_table_lock);
	return r;
}
