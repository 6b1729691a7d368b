#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "lock.h"
#include "next.h"
#include "quarantine.h"
#include "runtime.h"
#include "signals.h"
#include "state.h"
#include "sys.h"

/* The program's view of SIGSEGV and SIGBUS. */
typedef struct {
	bool ours;              /* our handler is installed for this signal */
	struct sigaction act;   /* what the program installed */
} program_action;

/* report_fault, handle_ours, on_fault and the kernel's signal trampoline:
 * the first frame left is the faulting instruction. */
#define FAULT_SKIP 4

static program_action programs[2];
static uint64_t last_fault;

static program_action *program_for(int sig)
{
	if (sig == SIGSEGV)
		return &programs[0];
	if (sig == SIGBUS)
		return &programs[1];
	return 0;
}

static int real_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	int (*fn)(int, const struct sigaction *, struct sigaction *) = NEXT(sigaction);
	if (!fn) {
		errno = ENOSYS;
		return -1;
	}
	return fn(sig, act, old);
}

static void block_for_handler(int sig, const struct sigaction *a)
{
	sigset_t set = a->sa_mask;
	if (!(a->sa_flags & SA_NODEFER))
		sigaddset(&set, sig);
	sys_call4(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, _NSIG / 8);
}

/* The default action, taken for real: a fault re-executes and dumps core as
 * it would have, a signal sent by kill is sent again, now unblocked
 * (SA_NODEFER) and with no handler. */
static void take_default(int sig, siginfo_t *si)
{
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	real_sigaction(sig, &dfl, 0);
	if (si->si_code <= 0)
		sys_call3(SYS_tgkill, sys_call0(SYS_getpid), sys_call0(SYS_gettid), sig);
}

/* Calls the program's handler exactly as the kernel would have. The mask
 * set here is undone by sigreturn, from the ucontext. */
static void pass_on(int sig, siginfo_t *si, void *uc)
{
	program_action *p = program_for(sig);
	struct sigaction a = p->act;
	/* The kernel forces the default action on a fault that is ignored. */
	if (a.sa_handler == SIG_DFL || (a.sa_handler == SIG_IGN && si->si_code > 0)) {
		take_default(sig, si);
		return;
	}
	if (a.sa_handler == SIG_IGN)
		return;
	if (a.sa_flags & SA_RESETHAND) {
		memset(&p->act, 0, sizeof p->act);
		p->act.sa_handler = SIG_DFL;
	}
	block_for_handler(sig, &a);
	if (a.sa_flags & SA_SIGINFO)
		a.sa_sigaction(sig, si, uc);
	else
		a.sa_handler(sig);
}

/* A dead range that left quarantine may since have been mapped by a call
 * the runtime never sees (libc's thread stacks and their PROT_NONE guard
 * pages, a raw syscall): a protection fault there is not a use after
 * unmap. Only a fault on nothing at all, or on pages we hold, is one. */
static bool fault_kind_matches(int sig, const siginfo_t *si, ms_kind kind)
{
	uint64_t addr = (uint64_t)si->si_addr, qlo, qhi;
	if (sig == SIGBUS)
		return kind == MS_KIND_FILE_TRUNCATED;
	return sig == SIGSEGV && kind == MS_KIND_USE_AFTER_UNMAP &&
	       (si->si_code == SEGV_MAPERR || quarantine_overlap(addr, addr + 1, &qlo, &qhi));
}

__attribute__((noinline)) static void report_fault(ms_call *c, const ms_verdict *v)
{
	/* A handler that returns without fixing the fault sees it again: one
	 * report per address in a row, not a flood. */
	if (__atomic_exchange_n(&last_fault, c->arg[0], __ATOMIC_RELAXED) == c->arg[0])
		return;
	c->stack = depot_capture(FAULT_SKIP);
	shim_event ev = {v, c, v->origin_stack, v->unmap_stack, 0};
	if (report_emit(&ev) && shim_should_halt(v->severity))
		report_halt();
}

/* True when the fault was mapsan's and the access may now be retried. */
__attribute__((noinline)) static bool handle_ours(int sig, siginfo_t *si)
{
	ms_call c = {.id = MS_CALL_ACCESS, .nargs = 1, .arg = {(uint64_t)si->si_addr}};
	ms_verdict v;
	bool retry = false;
	lock_acquire(&shim_table_lock);
	ms_check_access(shim.machine, c.arg[0], &v);
	if (v.action == MS_ACT_REPORT && fault_kind_matches(sig, si, v.kind)) {
		report_fault(&c, &v);
		/* Carrying on (halt_on_error=0), as ASan does: the memory becomes
		 * accessible again and the program goes on with zeroed pages. */
		retry = sig == SIGSEGV && quarantine_open(c.arg[0]);
		if (retry)
			__atomic_store_n(&last_fault, 0, __ATOMIC_RELAXED);
	}
	lock_release(&shim_table_lock);
	return retry;
}

/* A fault while the thread is inside the runtime (it may hold the lock) is
 * never mapsan's to judge. */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	bool retry = false;
	if (si->si_code > 0 && !guard_held() && shim_ready()) {
		guard_set();
		retry = handle_ours(sig, si);
		guard_clear();
	}
	if (!retry)
		pass_on(sig, si, uc);
	errno = saved;
}

static void install(int sig)
{
	struct sigaction act, old;
	memset(&act, 0, sizeof act);
	act.sa_sigaction = on_fault;
	act.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART;
	sigemptyset(&act.sa_mask);
	if (real_sigaction(sig, &act, &old) == 0) {
		program_action *p = program_for(sig);
		p->act = old;
		__atomic_store_n(&p->ours, true, __ATOMIC_RELEASE);
	}
}

void signals_install(void)
{
	install(SIGSEGV);
	install(SIGBUS);
}

MAPSAN_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	program_action *p = program_for(sig);
	if (!p || !__atomic_load_n(&p->ours, __ATOMIC_ACQUIRE))
		return real_sigaction(sig, act, old);
	struct sigaction prev = p->act;
	if (act)
		p->act = *act;
	if (old)
		*old = prev;
	return 0;
}

/* glibc's signal() calls its internal sigaction, which we cannot see. */
static shim_sighandler program_signal(int sig, shim_sighandler h, int flags, bool self_mask)
{
	/* As glibc's own signal(): SIG_ERR is no handler to install. */
	if (h == SIG_ERR) {
		errno = EINVAL;
		return SIG_ERR;
	}
	struct sigaction act, old;
	memset(&act, 0, sizeof act);
	act.sa_handler = h;
	act.sa_flags = flags;
	sigemptyset(&act.sa_mask);
	if (self_mask)
		sigaddset(&act.sa_mask, sig);
	sigaction(sig, &act, &old);
	return old.sa_handler;
}

static bool is_ours(int sig)
{
	program_action *p = program_for(sig);
	return p && __atomic_load_n(&p->ours, __ATOMIC_ACQUIRE);
}

MAPSAN_EXPORT shim_sighandler signal(int sig, shim_sighandler h)
{
	if (is_ours(sig))
		return program_signal(sig, h, SA_RESTART, true);
	shim_sighandler (*fn)(int, shim_sighandler) = NEXT(signal);
	return fn ? fn(sig, h) : SIG_ERR;
}

MAPSAN_EXPORT shim_sighandler bsd_signal(int sig, shim_sighandler h)
{
	if (is_ours(sig))
		return program_signal(sig, h, SA_RESTART, true);
	shim_sighandler (*fn)(int, shim_sighandler) = NEXT(bsd_signal);
	return fn ? fn(sig, h) : SIG_ERR;
}

MAPSAN_EXPORT shim_sighandler sysv_signal(int sig, shim_sighandler h)
{
	if (is_ours(sig))
		return program_signal(sig, h, SA_RESETHAND | SA_NODEFER, false);
	shim_sighandler (*fn)(int, shim_sighandler) = NEXT(sysv_signal);
	return fn ? fn(sig, h) : SIG_ERR;
}
