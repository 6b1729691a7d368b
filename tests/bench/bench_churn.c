/* The workloads of the native-versus-mapsan comparison (SPEC §5). Each mode
 * times only its measured phase, so the runtime's start-up and the setup of
 * live mappings do not count, and prints one line of key=value figures for
 * tests/bench/run.py:
 *   churn N          mmap 64 KiB, touch a byte, munmap, N times
 *   scale LIVE N     the same churn with LIVE other mappings live
 *   threads T N      T threads churning N times each
 *   alloc N          N malloc/free operations, 1 KiB to 4 MiB, plus
 *                    2 MiB-aligned blocks (run with an allocator preloaded)
 * Every mmap here is Miri-clean, so the default policy reports nothing. */
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHURN_SIZE (64u << 10)
#define LIVE_SIZE 4096u
#define MAX_THREADS 64
#define ALLOC_SLOTS 512u
#define ALIGN_2M (2u << 20)

typedef struct {
	uint64_t cpu_ns, wall_ns, ops;
	long rss_kb;
} phase;

static volatile unsigned char sink;

static void die(const char *what)
{
	fprintf(stderr, "bench_churn: %s\n", what);
	exit(1);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* VmRSS from /proc/self/status: the runtime's own table and depot live in
 * raw mappings, so mapsan's RSS growth over native's is what it holds. */
static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void phase_start(phase *p)
{
	p->rss_kb = rss_kb();
	p->wall_ns = clock_ns(CLOCK_MONOTONIC);
	p->cpu_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static void phase_stop(phase *p, uint64_t ops)
{
	p->cpu_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - p->cpu_ns;
	p->wall_ns = clock_ns(CLOCK_MONOTONIC) - p->wall_ns;
	p->rss_kb = rss_kb() - p->rss_kb;
	p->ops = ops;
}

static int find_runtime(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (info->dlpi_name && strstr(info->dlpi_name, "libmapsan"))
		*(int *)data = 1;
	return 0;
}

/* So the runner can tell that a "mapsan" run really had the runtime. */
static int runtime_loaded(void)
{
	int found = 0;
	dl_iterate_phdr(find_runtime, &found);
	return found;
}

static void phase_print(const char *mode, const phase *p)
{
	printf("mode=%s cpu_ns=%llu wall_ns=%llu ops=%llu rss_delta_kb=%ld mapsan=%d\n", mode,
	       (unsigned long long)p->cpu_ns, (unsigned long long)p->wall_ns,
	       (unsigned long long)p->ops, p->rss_kb, runtime_loaded());
}

static void churn(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned char *p = mmap(NULL, CHURN_SIZE, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap failed");
		p[i % CHURN_SIZE] = (unsigned char)i;
		sink += p[i % CHURN_SIZE];
		if (munmap(p, CHURN_SIZE))
			die("munmap failed");
	}
}

static unsigned long arg_num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end)
		die("arguments are numbers");
	return v;
}

static int run_churn(unsigned long n)
{
	phase p;
	phase_start(&p);
	churn(n);
	phase_stop(&p, n);
	phase_print("churn", &p);
	return 0;
}

/* A free hole big enough for every live mapping with a page between each,
 * found behind mapsan's back (raw syscalls) so the table never sees it. */
static uintptr_t find_hole(size_t bytes)
{
	long r = syscall(SYS_mmap, NULL, bytes, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == -1)
		die("no hole for the live mappings");
	syscall(SYS_munmap, r, bytes);
	return (uintptr_t)r;
}

/* One-page gaps keep the kernel from merging neighbours, so native pays
 * for LIVE separate mappings as well. A hint the kernel does not honour
 * (the runtime took that spot) still gives a live mapping: count it. */
static unsigned long make_live(unsigned long live)
{
	uintptr_t base = find_hole((live * 2 + 1) * LIVE_SIZE);
	unsigned long misses = 0;
	for (unsigned long i = 0; i < live; i++) {
		void *hint = (void *)(base + (2 * i + 1) * LIVE_SIZE);
		void *p = mmap(hint, LIVE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap of a live mapping failed");
		misses += p != hint;
	}
	return misses;
}

static int run_scale(unsigned long live, unsigned long n)
{
	phase setup, p;
	phase_start(&setup);
	unsigned long misses = make_live(live);
	phase_stop(&setup, live);
	phase_start(&p);
	churn(n);
	phase_stop(&p, n);
	printf("live=%lu hint_misses=%lu setup_rss_delta_kb=%ld setup_cpu_ns=%llu\n", live,
	       misses, setup.rss_kb, (unsigned long long)setup.cpu_ns);
	phase_print("scale", &p);
	return 0;
}

typedef struct {
	pthread_barrier_t *start;
	unsigned long n;
} churner;

static void *churn_thread(void *arg)
{
	churner *c = arg;
	pthread_barrier_wait(c->start);
	churn(c->n);
	return NULL;
}

/* Threads are created and parked first; the phase runs from their release
 * to the last join. */
static int run_threads(unsigned long t, unsigned long n)
{
	pthread_t tid[MAX_THREADS];
	pthread_barrier_t start;
	churner c = {&start, n};
	phase p;
	if (t < 1 || t > MAX_THREADS)
		die("threads: 1 to 64");
	pthread_barrier_init(&start, NULL, (unsigned)t + 1);
	for (unsigned long i = 0; i < t; i++)
		if (pthread_create(&tid[i], NULL, churn_thread, &c))
			die("pthread_create failed");
	phase_start(&p);
	pthread_barrier_wait(&start);
	for (unsigned long i = 0; i < t; i++)
		pthread_join(tid[i], NULL);
	phase_stop(&p, t * n);
	printf("threads=%lu\n", t);
	phase_print("threads", &p);
	return 0;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Sizes spread evenly over the powers of two from 1 KiB to 4 MiB, so
 * small, large and huge size classes all see traffic. */
static size_t random_size(void)
{
	size_t lo = (size_t)1024 << (rnd() % 12);
	return lo + rnd() % lo;
}

static void *alloc_one(uint64_t k)
{
	void *p = NULL;
	if (k % 16 == 0) {
		if (posix_memalign(&p, ALIGN_2M, ALIGN_2M << (rnd() % 2)))
			p = NULL;
	} else if (k % 16 == 8) {
		p = aligned_alloc(ALIGN_2M, ALIGN_2M);
	} else {
		p = malloc(random_size());
	}
	if (!p)
		die("allocation failed");
	if (k % 16 == 0 || k % 16 == 8) {
		if ((uintptr_t)p % ALIGN_2M)
			die("aligned block is misaligned");
	}
	return p;
}

static void alloc_workload(unsigned long n)
{
	static void *slot[ALLOC_SLOTS];
	for (unsigned long k = 0; k < n; k++) {
		unsigned i = (unsigned)(rnd() % ALLOC_SLOTS);
		free(slot[i]);
		unsigned char *p = alloc_one(k);
		p[0] = (unsigned char)k;
		sink += p[0];
		slot[i] = p;
	}
	for (unsigned i = 0; i < ALLOC_SLOTS; i++)
		free(slot[i]);
}

static int run_alloc(unsigned long n)
{
	phase p;
	phase_start(&p);
	alloc_workload(n);
	phase_stop(&p, n);
	phase_print("alloc", &p);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_churn churn N | scale LIVE N | threads T N | alloc N\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "churn"))
		return run_churn(arg_num(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "scale"))
		return run_scale(arg_num(argv[2]), arg_num(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "threads"))
		return run_threads(arg_num(argv[2]), arg_num(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "alloc"))
		return run_alloc(arg_num(argv[2]));
	return usage();
}
