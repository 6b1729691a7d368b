#include <stdint.h>

#include "guard.h"
#include "intercept.h"
#include "leaks.h"
#include "lock.h"
#include "runtime.h"
#include "state.h"

static int leaks_done;

static bool report_leak(void *ctx, const ms_range_info *r)
{
	(void)ctx;
	ms_verdict v;
	ms_check_leak(shim.machine, r, &v);
	if (v.action != MS_ACT_REPORT)
		return true;
	ms_call c = {.id = MS_CALL_EXIT, .nargs = 2, .arg = {r->base, r->size}};
	call_report(&c, &v);
	return true;
}

void leaks_at_exit(void)
{
	if (!shim_opts.detect_leaks || !shim_ready() || guard_held())
		return;
	if (__atomic_exchange_n(&leaks_done, 1, __ATOMIC_ACQ_REL))
		return;
	guard_set();
	int saved = errno;
	lock_acquire(&shim_table_lock);
	ms_for_each_live(shim.machine, report_leak, 0);
	lock_release(&shim_table_lock);
	errno = saved;
	guard_clear();
}
