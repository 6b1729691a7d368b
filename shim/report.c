/* Turning a verdict into a written report: ignore and suppressions, stacks
 * symbolized in process, one write(2) of the whole rendering. Reports are
 * rare, so they share static buffers under one small lock. */
#include <signal.h>
#include <stdatomic.h>

#include "fmt.h"
#include "log_file.h"
#include "runtime.h"
#include "spin.h"
#include "suppress.h"
#include "sys.h"

#define REPORT_FRAMES 64

static ms_frame frames[3][REPORT_FRAMES];
static char message[MS_MESSAGE_MAX + 320];
static char rendering[256 * 1024];

/* pid << 32 | tid of the holder, 0 when free. The pid tells a lock held by
 * a thread of the parent, which a forked child must take over. */
static _Atomic uint64_t report_owner;

static uint64_t self_id(void)
{
	uint64_t pid = (uint64_t)sys_call0(SYS_getpid);
	return pid << 32 | (uint32_t)sys_call0(SYS_gettid);
}

/* False when this very thread already holds it: a report from a signal
 * handler that interrupted a report is dropped rather than deadlock. */
static bool report_lock(void)
{
	uint64_t me = self_id();
	uint64_t cur = 0;
	while (!atomic_compare_exchange_weak_explicit(&report_owner, &cur, me, memory_order_acquire,
						      memory_order_relaxed)) {
		if (cur == me)
			return false;
		if (cur && cur >> 32 != me >> 32)
			continue; /* stale after fork: cur is retried and replaced */
		cur = 0;
		cpu_relax();
	}
	return true;
}

static void report_unlock(void)
{
	atomic_store_explicit(&report_owner, 0, memory_order_release);
}

/* pcs are return addresses; pc - 1 lies inside the call instruction, so the
 * call's own line is what addr2line finds. The one exception is the
 * innermost frame of a faulting access, which is the faulting instruction
 * itself: its pc - 1 could name the line before. */
static ms_stack symbolize_stack(uint32_t id, ms_frame *out, bool exact_first)
{
	const uintptr_t *pcs;
	size_t n = id ? depot_get(id, &pcs) : 0;
	if (n > REPORT_FRAMES)
		n = REPORT_FRAMES;
	for (size_t i = 0; i < n; i++) {
		uintptr_t back = pcs[i] && !(exact_first && i == 0) ? 1 : 0;
		symbolize_pc(pcs[i] - back, &out[i]);
	}
	return (ms_stack){out, n};
}

static const char *report_message(const shim_event *ev)
{
	const ms_verdict *v = ev->verdict;
	if (v->kind != MS_KIND_UNMAP_UNTRACKED || !ev->what_memory || !ev->what_memory[0])
		return v->message;
	size_t len = 0;
	while (len < MS_MESSAGE_MAX && v->message[len])
		len++;
	fmt_buf f = {message, sizeof message, 0};
	fmt_mem(&f, v->message, len);
	fmt_str(&f, " (");
	fmt_str(&f, ev->what_memory);
	fmt_str(&f, ")");
	return message;
}

static size_t render(ms_report *r)
{
	size_t (*fn)(char *, size_t, const ms_report *) =
		shim_opts.log_json ? ms_report_json : ms_report_text;
	size_t n = fn(rendering, sizeof rendering, r);
	/* Absurdly long paths: keep the report whole by dropping deep frames. */
	while (n >= sizeof rendering && (r->stack.count > 1 || r->origin.count || r->unmapped.count)) {
		r->stack.count = (r->stack.count + 1) / 2;
		r->origin.count /= 2;
		r->unmapped.count /= 2;
		n = fn(rendering, sizeof rendering, r);
	}
	return n < sizeof rendering ? n : sizeof rendering - 1;
}

bool report_emit(const shim_event *ev)
{
	const ms_verdict *v = ev->verdict;
	if ((unsigned)v->kind < 32 && (shim_opts.ignore_mask & (1u << v->kind)))
		return false;
	if (!report_lock())
		return false;
	ms_report r = {
		.kind = v->kind,
		.call = ev->call->id,
		.nargs = ev->call->nargs,
		.pid = (int)sys_call0(SYS_getpid),
		.map_base = v->map_base,
		.map_size = v->map_size,
		.stack = symbolize_stack(ev->call->stack, frames[0], ev->call->id == MS_CALL_ACCESS),
	};
	for (unsigned i = 0; i < 6; i++)
		r.arg[i] = ev->call->arg[i];
	if (suppress_report(v->kind, r.stack.frames, r.stack.count)) {
		report_unlock();
		return false;
	}
	r.origin = symbolize_stack(ev->origin_stack, frames[1], false);
	r.unmapped = symbolize_stack(ev->unmap_stack, frames[2], false);
	r.message = report_message(ev);
	size_t n = render(&r);
	fmt_write_all(log_file_fd(), rendering, n);
	report_unlock();
	return true;
}

_Noreturn void report_halt(void)
{
	if (shim_opts.abort_on_error) {
		/* The kernel's sigaction layout: the program may have caught
		 * SIGABRT, and abort() must still end the process with a core. */
		struct {
			void *handler;
			unsigned long flags;
			void *restorer;
			uint64_t mask;
		} dfl = {SIG_DFL, 0, 0, 0};
		uint64_t set = 1ull << (SIGABRT - 1);
		sys_call4(SYS_rt_sigaction, SIGABRT, &dfl, 0, sizeof(uint64_t));
		sys_call4(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, 0, sizeof set);
		sys_call3(SYS_tgkill, sys_call0(SYS_getpid), sys_call0(SYS_gettid), SIGABRT);
	}
	for (;;)
		sys_call1(SYS_exit_group, shim_opts.exitcode);
}
