#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>

#include "guard.h"
#include "leaks.h"
#include "lock.h"
#include "log_file.h"
#include "next.h"
#include "runtime.h"
#include "signals.h"
#include "state.h"
#include "sys.h"

__thread bool shim_guard_flag __attribute__((tls_model("initial-exec")));

shim_state shim = {.phase = SHIM_UNINIT, .page = 4096, .page_mask = 4095};

static uint64_t page_size(void)
{
	unsigned long p = getauxval(AT_PAGESZ);
	return p && !(p & (p - 1)) ? p : 4096;
}

static void init_machine(void)
{
	shim.page = page_size();
	shim.page_mask = shim.page - 1;
	options_load();
	ms_config cfg = {
		.page_size = shim.page,
		.policy = shim_opts.policy,
		.allow_sealed_files = shim_opts.allow_sealed_files,
		.check_msync = shim_opts.check_msync,
		.dead_limit = 0,
		.os = os_contract(),
	};
	shim.machine = ms_machine_create(&cfg);
}

static void phase_wait(void)
{
	int p;
	while ((p = __atomic_load_n(&shim.phase, __ATOMIC_ACQUIRE)) == SHIM_RUNNING)
		sys_call4(SYS_futex, &shim.phase, FUTEX_WAIT_PRIVATE, SHIM_RUNNING, 0);
}

bool shim_init(void)
{
	int expect = SHIM_UNINIT;
	if (__atomic_compare_exchange_n(&shim.phase, &expect, SHIM_RUNNING, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		init_machine();
		__atomic_store_n(&shim.phase, shim.machine ? SHIM_READY : SHIM_FAILED,
				 __ATOMIC_RELEASE);
		sys_call3(SYS_futex, &shim.phase, FUTEX_WAKE_PRIVATE, INT32_MAX);
	} else if (expect == SHIM_RUNNING) {
		/* Another thread is initialising; it takes no lock we could hold, so
		 * waiting cannot deadlock, and a call that went unchecked meanwhile
		 * would leave a mapping the table never saw. */
		phase_wait();
	}
	return shim_ready();
}

bool shim_should_halt(ms_severity sev)
{
	if (!shim_opts.halt_on_error)
		return false;
	return sev != MS_SEV_WARNING || shim_opts.halt_on_warnings;
}

static void fork_prepare(void)
{
	lock_fork_enter(&shim_table_lock);
}

static void fork_parent(void)
{
	lock_fork_parent(&shim_table_lock);
}

static void fork_child(void)
{
	lock_fork_child(&shim_table_lock);
	log_file_open();
}

/* Runs before the program's constructors, after libc's. The work that needs
 * dlsym or libc is done here and not in the lazy path, which may run inside
 * the dynamic loader or another allocator's initialisation. The guard is
 * clear while it runs, so mappings made by dlsym's malloc are checked and
 * recorded like any other. */
__attribute__((constructor(101))) static void shim_constructor(void)
{
	if (guard_held())
		return;
	guard_set();
	bool ready = shim_init();
	guard_clear();
	if (!ready)
		return;
	/* A file per process, clean or not, made once per image here: not in
	 * the lazy init, which may run inside the dynamic loader or another
	 * allocator's initialisation and does only what the first call needs. */
	log_file_open();
	next_resolve_all();
	signals_install();
	/* The first capture sets libunwind's caching policy, which takes a
	 * mutex of libunwind's: done here, before the program has threads, no
	 * fork can catch another thread inside it and leave the child stuck. */
	guard_set();
	depot_capture(0);
	guard_clear();
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	if (shim_opts.detect_leaks)
		atexit(leaks_at_exit);
}

__attribute__((destructor)) static void shim_destructor(void)
{
	leaks_at_exit();
}
