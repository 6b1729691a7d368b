#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"
#include "suppress.h"

#define NOINLINE __attribute__((noinline, used))

static volatile int sink;

NOINLINE uint32_t capture_here(void)
{
	uint32_t id = depot_capture(0);
	sink++; /* no tail call: this frame must be on the stack */
	return id;
}

NOINLINE uint32_t capture_there(void)
{
	uint32_t id = depot_capture(0);
	sink++;
	return id;
}

NOINLINE uint32_t capture_skipping(void)
{
	uint32_t id = capture_here();
	sink++;
	return id;
}

NOINLINE uint32_t capture_nested(int depth)
{
	uint32_t id = depth ? capture_nested(depth - 1) : depot_capture(0);
	sink++;
	return id;
}

static void frame_of(uint32_t id, size_t i, ms_frame *f)
{
	const uintptr_t *pcs;
	size_t n = depot_get(id, &pcs);
	cr_assert(i < n, "stack %u has %zu frames", id, n);
	symbolize_pc(pcs[i] - 1, f);
}

/* ---- depot ---- */

Test(depot, same_site_same_id_distinct_sites_distinct_ids)
{
	/* One call site: a loop the compiler may not unroll. */
	static volatile int three = 3;
	uint32_t id[3];
	for (int i = 0; i < three; i++)
		id[i] = capture_here();
	uint32_t a = id[0], c = capture_there();
	cr_assert_neq(a, 0);
	cr_assert_eq(id[1], a);
	cr_assert_eq(id[2], a);
	cr_assert_neq(a, c);
	cr_assert_neq(capture_here(), a); /* another call site, another stack */
	const uintptr_t *pcs;
	cr_assert(depot_get(a, &pcs) >= 2);
	cr_assert(depot_bytes() > 0);
}

Test(depot, frame_zero_is_the_caller_of_depot_capture)
{
	ms_frame f;
	frame_of(capture_here(), 0, &f);
	cr_assert_not_null(f.function);
	cr_assert_eq(strncmp(f.function, "capture_here", 12), 0, "got %s", f.function);
	frame_of(capture_skipping(), 1, &f);
	cr_assert_eq(strncmp(f.function, "capture_skipping", 16), 0, "got %s", f.function);
}

NOINLINE uint32_t capture_skip1(void)
{
	uint32_t id = depot_capture(1);
	sink++;
	return id;
}

NOINLINE uint32_t call_skip1(void)
{
	uint32_t id = capture_skip1();
	sink++;
	return id;
}

Test(depot, skip_drops_inner_frames)
{
	ms_frame f;
	frame_of(call_skip1(), 0, &f);
	cr_assert_eq(strncmp(f.function, "call_skip1", 10), 0, "got %s", f.function);
}

Test(depot, depth_limits_and_zero_turns_capture_off)
{
	shim_opts.stack_depth = 3;
	const uintptr_t *pcs;
	uint32_t id = capture_nested(10);
	cr_assert_eq(depot_get(id, &pcs), 3);
	shim_opts.stack_depth = 0;
	cr_assert_eq(capture_here(), 0);
	cr_assert_eq(depot_get(0, &pcs), 0);
	cr_assert_eq(depot_get(0xdeadbeef, &pcs), 0);
}

/* Shallow enough that the whole stack fits in stack_depth=32. */
#define DEPTHS 25
static uint32_t ids[4][DEPTHS];

static void *capture_all(void *arg)
{
	uint32_t *out = arg;
	for (int round = 0; round < 50; round++)
		for (int d = 0; d < DEPTHS; d++) {
			uint32_t id = capture_nested(d);
			if (round && id != out[d])
				return (void *)1;
			out[d] = id;
		}
	return NULL;
}

Test(depot, concurrent_inserts_agree)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, capture_all, ids[i]);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		cr_assert_null(r, "ids changed between rounds");
	}
	/* Threads' outer frames differ from the main thread's but agree among
	 * themselves: same depth, same id, across all threads. */
	for (int d = 0; d < DEPTHS; d++) {
		cr_assert_neq(ids[0][d], 0);
		for (int i = 1; i < 4; i++)
			cr_assert_eq(ids[i][d], ids[0][d], "depth %d", d);
		for (int e = 0; e < d; e++)
			cr_assert_neq(ids[0][e], ids[0][d]);
	}
}

/* ---- symbolize ---- */

static void exe_path(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
	cr_assert(n > 0);
	buf[n] = '\0';
}

Test(symbolize, function_module_and_offset_in_the_executable)
{
	ms_frame f;
	uintptr_t pc = (uintptr_t)&capture_there + 4;
	symbolize_pc(pc, &f);
	char exe[4096];
	exe_path(exe, sizeof exe);
	cr_assert_str_eq(f.module, exe);
	cr_assert_str_eq(f.function, "capture_there");
	cr_assert_eq(f.pc, pc);
	cr_assert(f.offset < pc && f.offset > 0);
	cr_assert_null(f.file);
	cr_assert_eq(f.line, 0);
}

static NOINLINE int local_static_function(int x)
{
	sink += x;
	return sink;
}

Test(symbolize, static_functions_have_names_from_symtab)
{
	ms_frame f;
	symbolize_pc((uintptr_t)&local_static_function + 1, &f);
	cr_assert_not_null(f.function);
	cr_assert_eq(strncmp(f.function, "local_static_function", 21), 0, "got %s", f.function);
}

Test(symbolize, shared_library_functions)
{
	ms_frame f;
	symbolize_pc((uintptr_t)&mmap + 1, &f);
	cr_assert_not_null(f.module);
	cr_assert_not_null(strstr(f.module, "libc.so"), "module %s", f.module);
	cr_assert_eq(f.module[0], '/');
	cr_assert_not_null(f.function);
	cr_assert_not_null(strstr(f.function, "mmap"), "function %s", f.function);
}

Test(symbolize, unknown_pc)
{
	ms_frame f;
	symbolize_pc(16, &f);
	cr_assert_null(f.module);
	cr_assert_null(f.function);
	cr_assert_eq(f.pc, 16);
}

/* ---- describe ---- */

static char what[512];

Test(describe, heap_stack_file_anonymous_unmapped)
{
	void *brk_now = sbrk(0);
	describe_memory((uint64_t)(uintptr_t)brk_now - 1, what, sizeof what);
	cr_assert_str_eq(what, "heap");
	int local;
	describe_memory((uint64_t)(uintptr_t)&local, what, sizeof what);
	cr_assert(!strcmp(what, "the main thread's stack") || !strcmp(what, "the current thread's stack"),
		  "%s", what);
	describe_memory((uint64_t)(uintptr_t)&mmap, what, sizeof what);
	cr_assert_eq(strncmp(what, "a segment of /", 14), 0, "%s", what);
	cr_assert_not_null(strstr(what, "libc.so"));
	void *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	describe_memory((uint64_t)(uintptr_t)p + 4096, what, sizeof what);
	cr_assert_str_eq(what, "anonymous memory mapsan never saw mapped");
	munmap(p, 8192);
	describe_memory((uint64_t)(uintptr_t)p, what, sizeof what);
	cr_assert_str_eq(what, "unmapped memory");
	describe_memory(0, what, sizeof what);
	cr_assert_str_eq(what, "unmapped memory");
}

static void *describe_in_thread(void *arg)
{
	int local;
	(void)arg;
	describe_memory((uint64_t)(uintptr_t)&local, what, sizeof what);
	return NULL;
}

Test(describe, thread_stack_and_small_buffer)
{
	pthread_t t;
	pthread_create(&t, NULL, describe_in_thread, NULL);
	pthread_join(t, NULL);
	cr_assert_str_eq(what, "the current thread's stack");
	char small[5];
	describe_memory(0, small, sizeof small);
	cr_assert_str_eq(small, "unma");
}

static void *park_and_share_local(void *arg)
{
	int local;
	*(uintptr_t *)arg = (uintptr_t)&local;
	pause();
	return NULL;
}

Test(describe, another_threads_stack)
{
	static volatile uintptr_t addr;
	pthread_t t;
	pthread_create(&t, NULL, park_and_share_local, (void *)&addr);
	while (!addr)
		sched_yield();
	describe_memory(addr, what, sizeof what);
	cr_assert_str_eq(what, "anonymous memory above a guard page, likely a thread's stack");
}

/* ---- report ---- */

static char tmpdir[] = "/tmp/mapsan-report-XXXXXX";
static char logbase[256];

static void setup_log(void)
{
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(logbase, sizeof logbase, "%s/log", tmpdir);
	strcpy(shim_opts.log_path, logbase);
}

static void remove_log_dir(void)
{
	DIR *d = opendir(tmpdir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(tmpdir);
}

static size_t read_log(pid_t pid, char *buf, size_t cap)
{
	char path[300];
	snprintf(path, sizeof path, "%s.%d", logbase, (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

static ms_verdict partial_verdict(void)
{
	ms_verdict v = {.action = MS_ACT_REPORT, .kind = MS_KIND_PARTIAL_UNMAP,
			.severity = MS_SEV_UB, .map_base = 0x7f0000000000, .map_size = 8192};
	strcpy(v.message, "mapping has size 8192, but munmap gave size 4096");
	return v;
}

NOINLINE bool emit_partial(uint32_t origin)
{
	ms_verdict v = partial_verdict();
	v.origin_stack = origin;
	ms_call c = {.id = MS_CALL_MUNMAP, .nargs = 2, .arg = {0x7f0000000000, 4096}};
	c.stack = depot_capture(0);
	shim_event ev = {&v, &c, origin, 0, NULL};
	bool r = report_emit(&ev);
	sink++;
	return r;
}

static char logtext[65536];

Test(report, text_report_to_log_file, .init = setup_log, .fini = remove_log_dir)
{
	uint32_t origin = capture_there();
	cr_assert(emit_partial(origin));
	cr_assert(read_log(getpid(), logtext, sizeof logtext) > 0);
	char head[128];
	snprintf(head, sizeof head, "==%d==ERROR: mapsan: Undefined Behavior: partial-unmap: "
		 "mapping has size 8192, but munmap gave size 4096\n    #0 0x", (int)getpid());
	cr_assert_eq(strncmp(logtext, head, strlen(head)), 0, "%s", logtext);
	cr_assert_not_null(strstr(logtext, " in emit_partial ("), "%s", logtext);
	cr_assert_not_null(strstr(logtext, "  the mapping [0x7f0000000000, +8192) was created here:\n"
					   "    #0 0x"), "%s", logtext);
	cr_assert_not_null(strstr(logtext, " in capture_there ("), "%s", logtext);
	cr_assert_not_null(strstr(logtext, "\nSUMMARY: mapsan: partial-unmap in emit_partial\n"), "%s", logtext);
	char path[300];
	struct stat st;
	snprintf(path, sizeof path, "%s.%d", logbase, (int)getpid());
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	/* A second report appends to the same file. */
	size_t first = strlen(logtext);
	cr_assert(emit_partial(0));
	cr_assert(read_log(getpid(), logtext, sizeof logtext) > first);
}

Test(report, json_report_is_one_line, .init = setup_log, .fini = remove_log_dir)
{
	shim_opts.log_json = true;
	cr_assert(emit_partial(0));
	read_log(getpid(), logtext, sizeof logtext);
	cr_assert_eq(strncmp(logtext, "{\"kind\":\"partial-unmap\",\"severity\":\"ub\",\"call\":\"munmap\","
				      "\"args\":[\"0x7f0000000000\",\"0x1000\"],", 85), 0, "%s", logtext);
	cr_assert_not_null(strstr(logtext, "\"function\":\"emit_partial\""));
	cr_assert_not_null(strstr(logtext, "\"mapping\":{\"base\":\"0x7f0000000000\",\"size\":8192}"));
	cr_assert_null(strstr(logtext, "origin_stack"));
	char *nl = strchr(logtext, '\n');
	cr_assert(nl && nl[1] == '\0');
}

Test(report, forked_child_writes_its_own_file, .init = setup_log, .fini = remove_log_dir)
{
	cr_assert(emit_partial(0));
	pid_t pid = fork();
	if (pid == 0)
		_exit(emit_partial(0) ? 0 : 1);
	int st;
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert(read_log(pid, logtext, sizeof logtext) > 0);
	char head[32];
	snprintf(head, sizeof head, "==%d==ERROR", (int)pid);
	cr_assert_eq(strncmp(logtext, head, strlen(head)), 0);
	read_log(getpid(), logtext, sizeof logtext);
	char *sum = strstr(logtext, "SUMMARY");
	cr_assert_not_null(sum);
	cr_assert_null(strstr(sum + 1, "SUMMARY")); /* only the parent's one report */
}

Test(report, existing_log_file_is_not_followed_or_reused, .init = setup_log, .fini = remove_log_dir)
{
	char path[300];
	snprintf(path, sizeof path, "%s.%d", logbase, (int)getpid());
	cr_assert_eq(symlink("/dev/null", path), 0);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	int saved = dup(2);
	dup2(p[1], 2);
	bool r = emit_partial(0);
	dup2(saved, 2);
	close(p[1]);
	ssize_t n = read(p[0], logtext, sizeof logtext - 1);
	cr_assert(r);
	cr_assert(n > 0);
	logtext[n] = '\0';
	cr_assert_eq(strncmp(logtext, "mapsan: cannot create log file ", 31), 0, "%s", logtext);
	cr_assert_not_null(strstr(logtext, "reports go to stderr\n==")); /* then the report itself */
}

Test(report, ignore_and_suppressions, .init = setup_log, .fini = remove_log_dir)
{
	shim_opts.ignore_mask = 1u << MS_KIND_PARTIAL_UNMAP;
	cr_assert_not(emit_partial(0));
	shim_opts.ignore_mask = 1u << MS_KIND_LEAK;
	char supp[300];
	snprintf(supp, sizeof supp, "%s/supp", tmpdir);
	FILE *f = fopen(supp, "w");
	fputs("double-unmap:*\npartial-unmap:emit_parti?l\n", f);
	fclose(f);
	strcpy(shim_opts.suppressions, supp);
	suppress_load();
	cr_assert_not(emit_partial(0));
	cr_assert_eq(read_log(getpid(), logtext, sizeof logtext), 0);
	f = fopen(supp, "w");
	fputs("double-unmap:*\n", f);
	fclose(f);
	suppress_load();
	cr_assert(emit_partial(0));
}

Test(report, untracked_message_names_the_memory, .init = setup_log, .fini = remove_log_dir)
{
	ms_verdict v = {.action = MS_ACT_REPORT, .kind = MS_KIND_UNMAP_UNTRACKED};
	strcpy(v.message, "munmap of memory that was never mapped");
	ms_call c = {.id = MS_CALL_MUNMAP, .nargs = 2, .arg = {0x1000, 4096}};
	shim_event ev = {&v, &c, 0, 0, "heap"};
	cr_assert(report_emit(&ev));
	read_log(getpid(), logtext, sizeof logtext);
	cr_assert_not_null(strstr(logtext, "unmap-untracked: munmap of memory that was never mapped (heap)\n"
					   "SUMMARY: mapsan: unmap-untracked in munmap\n"), "%s", logtext);
}

static int halt_child(bool abort_on_error, bool catch_abort)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (catch_abort)
			signal(SIGABRT, SIG_IGN);
		shim_opts.exitcode = 42;
		shim_opts.abort_on_error = abort_on_error;
		report_halt();
	}
	int st;
	waitpid(pid, &st, 0);
	return st;
}

Test(report, halt_exits_with_exitcode_or_aborts)
{
	int st = halt_child(false, false);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	st = halt_child(true, true);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}
