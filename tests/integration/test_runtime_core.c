/* The runtime's core: quarantine, signal chaining, carrying on after a
 * report, the runtime's own mappings. This executable is also its own
 * subject: run with MS_CORE_SUBJECT=name, a constructor plays that scenario
 * before Criterion starts. */
#include "expect.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG ((size_t)sysconf(_SC_PAGESIZE))

static void subject_fail(const char *what, int line)
{
	printf("FAIL %s at line %d\n", what, line);
	fflush(stdout);
	_exit(3);
}

#define need(c) ((c) ? (void)0 : subject_fail(#c, __LINE__))

/* A wild address the compiler cannot prove invalid. */
static volatile uintptr_t wild = 16;

static void poke_wild(void)
{
	*(volatile int *)wild = 1;
}

static char *map_rw(size_t n)
{
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	need(p != MAP_FAILED);
	return p;
}

static void subject_use_after_unmap(void)
{
	char *p = map_rw(PG);
	p[1] = 5;
	need(munmap(p, PG) == 0);
	volatile char *q = p;
	printf("read %d\n", q[1]);
	q[2] = 9;
	printf("wrote %d\n", q[2]);
}

/* 3000 * 64 KiB go through the 64 MiB quarantine: every early entry is
 * released while the program's MAP_FIXED mapping sits inside one. */
static void subject_fixed_in_quarantine(void)
{
	char *p = map_rw(4 * PG);
	need(munmap(p, 4 * PG) == 0);
	char *q = mmap(p, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	need(q == p);
	memset(q, 7, 4 * PG);
	for (int i = 0; i < 3000; i++) {
		char *r = map_rw(16 * PG);
		r[0] = 1;
		need(munmap(r, 16 * PG) == 0);
	}
	need(q[3 * PG] == 7);
	need(munmap(q, 4 * PG) == 0);
	printf("done\n");
}

static int handled;

static void count_and_return(int sig)
{
	(void)sig;
	handled++;
	printf("handled %d\n", handled);
	fflush(stdout);
}

static void subject_resethand(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = count_and_return;
	sa.sa_flags = SA_RESETHAND;
	need(sigaction(SIGSEGV, &sa, NULL) == 0);
	poke_wild();
	printf("survived\n");
}

static void subject_raise(void)
{
	raise(SIGSEGV);
	printf("survived\n");
}

static sigjmp_buf back;

static void jump_back(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	need(sig == SIGSEGV && si->si_addr == (void *)16);
	handled++;
	siglongjmp(back, 1);
}

static void jump_back_plain(int sig)
{
	need(sig == SIGSEGV);
	handled++;
	siglongjmp(back, 1);
}

static void subject_chain(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = jump_back;
	sa.sa_flags = SA_SIGINFO;
	need(sigaction(SIGSEGV, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
	need(sigaction(SIGSEGV, &sa, NULL) == 0);
	need(sigaction(SIGSEGV, NULL, &old) == 0 && old.sa_sigaction == jump_back);
	if (!sigsetjmp(back, 1))
		poke_wild();
	need(handled == 1);
	need((void *)signal(SIGSEGV, jump_back_plain) == (void *)jump_back);
	if (!sigsetjmp(back, 1))
		poke_wild();
	need(handled == 2);
	printf("chained\n");
	fflush(stdout);
	/* The program's handler does not hide a use after unmap. */
	char *p = map_rw(PG);
	need(munmap(p, PG) == 0);
	*(volatile char *)p = 1;
	printf("survived\n");
}

static void subject_posix_madvise(void)
{
	char *p = map_rw(PG);
	errno = 33;
	need(posix_madvise(p, PG, POSIX_MADV_WILLNEED) == 0 && errno == 33);
	need(posix_madvise(p + 1, PG, POSIX_MADV_WILLNEED) == EINVAL && errno == 33);
	need(posix_madvise(p, PG, POSIX_MADV_DONTNEED) == 0 && errno == 33);
	printf("done\n");
}

static void subject_mremap_dead(void)
{
	char *p = map_rw(PG);
	char *q = mremap(p, PG, 64 * PG, MREMAP_MAYMOVE);
	need(q != MAP_FAILED);
	need(munmap(q, 64 * PG) == 0);
	char *r = mremap(q, 64 * PG, PG, MREMAP_MAYMOVE);
	need(r != MAP_FAILED);
	printf("done\n");
}

static void subject_sbrk(void)
{
	need(sbrk(0) != (void *)-1);
	printf("done\n");
}

/* Each thread's first stack capture makes libunwind map a cache, which it
 * unmaps when the thread exits: no report may come of that. */
static void *churn_once(void *arg)
{
	(void)arg;
	char *p = map_rw(PG);
	need(munmap(p, PG) == 0);
	return NULL;
}

static void subject_thread_exits(void)
{
	for (int i = 0; i < 40; i++) {
		pthread_t t;
		need(pthread_create(&t, NULL, churn_once, NULL) == 0);
		need(pthread_join(t, NULL) == 0);
	}
	printf("done\n");
}

static void subject_fail_share(void)
{
	int fails = 0;
	for (int i = 0; i < 1000; i++) {
		errno = 0;
		void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			need(errno == ENOMEM);
			fails++;
		} else {
			need(munmap(p, PG) == 0);
		}
	}
	printf("fails %d\n", fails);
}

static const struct {
	const char *name;
	void (*run)(void);
} subjects[] = {
	{"use_after_unmap", subject_use_after_unmap},
	{"fixed_in_quarantine", subject_fixed_in_quarantine},
	{"resethand", subject_resethand},
	{"raise", subject_raise},
	{"chain", subject_chain},
	{"posix_madvise", subject_posix_madvise},
	{"mremap_dead", subject_mremap_dead},
	{"sbrk", subject_sbrk},
	{"thread_exits", subject_thread_exits},
	{"fail_share", subject_fail_share},
};

__attribute__((constructor)) static void subject_main(void)
{
	const char *name = getenv("MS_CORE_SUBJECT");
	if (!name)
		return;
	for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
		if (strcmp(subjects[i].name, name))
			continue;
		subjects[i].run();
		fflush(stdout);
		_exit(0);
	}
	_exit(2);
}

static void run_subject(it_run *r, const char *name, const char *options)
{
	static char self[4096];
	static char env_entry[128];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	cr_assert(n > 0);
	self[n] = 0;
	snprintf(env_entry, sizeof env_entry, "MS_CORE_SUBJECT=%s", name);
	/* Criterion's sandbox marks its workers with this; a subject that kept
	 * it would start up as a worker (mapping and protecting memory). */
	unsetenv("BXFI_MAP");
	const char *env[] = {env_entry, NULL};
	it_run_prog(r, &(it_opts){.options = options, .env = env, .timeout_s = 60}, self);
}

TestSuite(runtime_core, .timeout = 90);

Test(runtime_core, carries_on_after_use_after_unmap)
{
	it_run r = {0};
	run_subject(&r, "use_after_unmap", "halt_on_error=0");
	expect_one(&r, "use-after-unmap", 0);
	expect_out(&r, "read 0");
	expect_out(&r, "wrote 9");
	it_run_free(&r);
}

Test(runtime_core, halts_on_use_after_unmap_before_the_access)
{
	it_run r = {0};
	run_subject(&r, "use_after_unmap", NULL);
	expect_one(&r, "use-after-unmap", 66);
	cr_assert(!strstr(r.out, "read"), "halted at the access; " RUN_CONTEXT(&r));
	it_run_free(&r);
}

Test(runtime_core, quarantine_spares_a_fixed_mapping_inside_it)
{
	it_run r = {0};
	run_subject(&r, "fixed_in_quarantine", "policy=native");
	expect_clean(&r, "done");
	it_run_free(&r);
}

Test(runtime_core, program_handler_with_resethand_then_default)
{
	it_run r = {0};
	run_subject(&r, "resethand", NULL);
	cr_assert_eq(r.nreports, 0, RUN_CONTEXT(&r));
	cr_assert(!r.exited && r.sig == SIGSEGV, "killed by SIGSEGV; " RUN_CONTEXT(&r));
	expect_out(&r, "handled 1");
	cr_assert(!strstr(r.out, "handled 2") && !strstr(r.out, "survived"), RUN_CONTEXT(&r));
	it_run_free(&r);
}

Test(runtime_core, raised_segv_takes_the_default_action)
{
	it_run r = {0};
	run_subject(&r, "raise", NULL);
	cr_assert_eq(r.nreports, 0, RUN_CONTEXT(&r));
	cr_assert(!r.exited && r.sig == SIGSEGV, "killed by SIGSEGV; " RUN_CONTEXT(&r));
	it_run_free(&r);
}

Test(runtime_core, program_handlers_chain_and_use_after_unmap_stays_ours)
{
	it_run r = {0};
	run_subject(&r, "chain", NULL);
	expect_out(&r, "chained");
	expect_one(&r, "use-after-unmap", 66);
	it_run_free(&r);
}

Test(runtime_core, posix_madvise_returns_the_error_and_keeps_errno)
{
	it_run r = {0};
	run_subject(&r, "posix_madvise", "policy=native");
	expect_clean(&r, "done");
	it_run_free(&r);
}

Test(runtime_core, mremap_of_a_quarantined_range_carries_on)
{
	it_run r = {0};
	run_subject(&r, "mremap_dead", "halt_on_error=0");
	expect_one(&r, "double-unmap", 0);
	expect_out(&r, "done");
	it_run_free(&r);
}

Test(runtime_core, sbrk_is_unsupported_under_miri_only)
{
	it_run r = {0};
	run_subject(&r, "sbrk", NULL);
	expect_one(&r, "unsupported-call", 66);
	it_run_free(&r);
	run_subject(&r, "sbrk", "policy=native");
	expect_clean(&r, "done");
	it_run_free(&r);
}

Test(runtime_core, unwinder_caches_freed_at_thread_exit_are_not_reported)
{
	it_run r = {0};
	run_subject(&r, "thread_exits", NULL);
	expect_clean(&r, "done");
	it_run_free(&r);
}

Test(runtime_core, fail_mmap_share_is_seeded)
{
	it_run a = {0}, b = {0};
	run_subject(&a, "fail_share", "fail_mmap=10%:seed=7");
	run_subject(&b, "fail_share", "fail_mmap=10%:seed=7");
	expect_exit(&a, 0);
	const char *fa = strstr(a.out, "fails "), *fb = strstr(b.out, "fails ");
	cr_assert(fa && fb, RUN_CONTEXT(&a));
	int na = atoi(fa + 6), nb = atoi(fb + 6);
	cr_assert(na > 50 && na < 150, "about a tenth fail: %d", na);
	cr_assert_eq(na, nb, "the same seed fails the same calls");
	it_run_free(&a);
	it_run_free(&b);
}
