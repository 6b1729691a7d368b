/* The program the launcher tests run. Built with -g so that addr2line can
 * name its functions and lines.
 *   exit N | signal N | env | report | inline | fork N | forkclean N |
 *   wait FILE
 * fork's children report; forkclean's do not. */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>

#include "fake_log.h"

static const char report_fmt[] =
	"{\"kind\":\"partial-unmap\",\"severity\":\"ub\",\"call\":\"munmap\","
	"\"args\":[\"0x7f0000000000\",\"0x1000\"],\"pid\":%d,"
	"\"message\":\"mapping has size 8192, but munmap gave size 4096\","
	"\"mapping\":{\"base\":\"0x7f0000000000\",\"size\":8192},"
	"\"stack\":[{\"pc\":\"0x%llx\",\"module\":\"%s\",\"offset\":\"0x%llx\",\"function\":\"exported_name\"}],"
	"\"origin_stack\":[{\"pc\":\"0x%llx\",\"module\":\"%s\",\"offset\":\"0x%llx\"}]}\n";

/* The load address of the executable: its lowest mapping in /proc/self/maps. */
static uintptr_t exe_base(const char *exe)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4608];
	uintptr_t base = 0;

	while (f && fgets(line, sizeof line, f)) {
		unsigned long long lo;
		char path[4096] = "";
		if (sscanf(line, "%llx-%*x %*s %*s %*s %*s %4095s", &lo, path) >= 1 &&
		    strcmp(path, exe) == 0) {
			base = (uintptr_t)lo;
			break;
		}
	}
	if (f)
		fclose(f);
	return base;
}

static void write_report(uintptr_t pc)
{
	char exe[4096], text[16384];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	uintptr_t base;
	unsigned long long off;

	if (n <= 0)
		exit(90);
	exe[n] = '\0';
	base = exe_base(exe);
	off = (unsigned long long)(pc - base);
	snprintf(text, sizeof text, report_fmt, (int)getpid(),
		 (unsigned long long)pc, exe, off, (unsigned long long)pc, exe, off);
	if (fake_log_write(text) != 0)
		exit(91);
}

__attribute__((noinline)) static void report_here(void)
{
	/* As the runtime does: the return address minus one is the call. */
	write_report((uintptr_t)__builtin_return_address(0) - 1);
}

__attribute__((noinline)) void subject_caller(void);
__attribute__((noinline)) void subject_caller(void)
{
	report_here(); /* SUBJECT-CALL-SITE */
}

/* Inlined even at -O0: addr2line -i must give it a frame of its own. */
static inline __attribute__((always_inline)) void inlined_step(void)
{
	report_here(); /* SUBJECT-INLINED-SITE */
}

__attribute__((noinline)) void subject_inline_caller(void);
__attribute__((noinline)) void subject_inline_caller(void)
{
	inlined_step(); /* SUBJECT-INLINER-SITE */
}

static int fork_children(int n, bool report)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			if (report)
				subject_caller();
			_exit(0);
		}
		if (p < 0)
			return 92;
	}
	while (wait(NULL) > 0)
		;
	return 0;
}

/* Announces its pid in the file ready, whole (by rename), then waits. */
static int wait_forever(const char *ready)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp", ready);
	if (!(f = fopen(tmp, "w")))
		return 93;
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f) != 0 || rename(tmp, ready) != 0)
		return 93;
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (strcmp(mode, "exit") == 0)
		return n;
	if (strcmp(mode, "signal") == 0)
		return raise(n) == 0 ? 94 : 95;
	if (strcmp(mode, "env") == 0) {
		printf("LD_PRELOAD=%s\n", getenv("LD_PRELOAD") ? getenv("LD_PRELOAD") : "");
		printf("MAPSAN_OPTIONS=%s\n", getenv("MAPSAN_OPTIONS") ? getenv("MAPSAN_OPTIONS") : "");
		return 0;
	}
	if (strcmp(mode, "report") == 0) {
		subject_caller();
		return 0;
	}
	if (strcmp(mode, "inline") == 0) {
		subject_inline_caller();
		return 0;
	}
	if (strcmp(mode, "fork") == 0)
		return fork_children(n, true);
	if (strcmp(mode, "forkclean") == 0)
		return fork_children(n, false);
	if (strcmp(mode, "wait") == 0 && argc > 2)
		return wait_forever(argv[2]);
	fprintf(stderr, "launcher_subject: bad mode\n");
	return 99;
}
