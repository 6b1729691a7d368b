/* The model alone at 100, 60,000 and 1,000,000 live mappings: ns per mmap
 * (check + record), per lookup, per munmap (check + record) and per
 * munmap+mmap pair at steady size, plus table bytes per live mapping.
 * O(log n) shows as a slow rise down each column (SPEC §5). Each figure is
 * the best of REPEATS runs. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "mapsan/machine.h"

#define PAGE 4096ull
#define BASE 0x100000000000ull
#define MAP_PAGES 2ull      /* each mapping is 2 pages, then a 1-page gap */
#define LOOKUPS 1000000u
#define MIN_OPS 1000000u
#define REPEATS 3           /* best of, to see through a busy machine */

typedef struct {
	double insert, lookup, remove, churn, bytes;
} result;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *heap_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return malloc(bytes);
}

static void heap_release(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(p);
}

static void die(const char *what)
{
	fprintf(stderr, "bench_model: %s\n", what);
	exit(1);
}

static uint64_t slot_addr(uint32_t i)
{
	return BASE + (uint64_t)i * (MAP_PAGES + 1) * PAGE;
}

static void do_mmap(ms_machine *m, uint32_t i)
{
	ms_call c = {.id = MS_CALL_MMAP, .nargs = 6, .stack = i & 0xffff,
		     .arg = {0, MAP_PAGES * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0}};
	ms_verdict v;
	ms_check(m, &c, &v);
	if (v.action != MS_ACT_FORWARD)
		die("mmap not forwarded");
	if (!ms_record(m, &c, slot_addr(i)))
		die("mmap record failed");
}

static void do_munmap(ms_machine *m, uint32_t i)
{
	ms_call c = {.id = MS_CALL_MUNMAP, .nargs = 2, .stack = 1,
		     .arg = {slot_addr(i), MAP_PAGES * PAGE}};
	ms_verdict v;
	ms_check(m, &c, &v);
	if (v.action != MS_ACT_FORWARD)
		die("munmap not forwarded");
	if (!ms_record(m, &c, 0))
		die("munmap record failed");
}

static ms_machine *machine_new(void)
{
	ms_config cfg = {.page_size = PAGE, .policy = MS_POLICY_MIRI,
			 .os = {.alloc = heap_alloc, .release = heap_release}};
	ms_machine *m = ms_machine_create(&cfg);
	if (!m)
		die("ms_machine_create failed");
	return m;
}

static void shuffle(uint32_t *perm, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(rnd() % (i + 1));
		uint32_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
}

static double time_lookups(const ms_machine *m, uint32_t n)
{
	uint64_t span = (uint64_t)n * (MAP_PAGES + 1) * PAGE;
	uint64_t *addr = malloc(LOOKUPS * sizeof(*addr));
	if (!addr)
		die("out of memory");
	for (uint32_t k = 0; k < LOOKUPS; k++)
		addr[k] = BASE + rnd() % span;
	size_t hits = 0;
	ms_range_info r;
	double t0 = now_ns();
	for (uint32_t k = 0; k < LOOKUPS; k++)
		hits += ms_find_live(m, addr[k], &r);
	double t = now_ns() - t0;
	/* Two of every three pages are mapped. */
	if (hits < LOOKUPS / 2 || hits > LOOKUPS * 3 / 4)
		die("lookups disagree with the layout");
	free(addr);
	return t / LOOKUPS;
}

static double time_churn(ms_machine *m, const uint32_t *perm, uint32_t n)
{
	uint32_t ops = MIN_OPS / 2;
	double t0 = now_ns();
	for (uint32_t k = 0; k < ops; k++) {
		uint32_t i = perm[k % n];
		do_munmap(m, i);
		do_mmap(m, i);
	}
	return (now_ns() - t0) / ops;
}

static result run(uint32_t n)
{
	result res = {0};
	uint32_t *perm = malloc(n * sizeof(*perm));
	if (!perm)
		die("out of memory");
	uint32_t rounds = n >= MIN_OPS ? 1 : MIN_OPS / n;
	double ins = 0, rem = 0;
	for (uint32_t round = 0; round < rounds; round++) {
		ms_machine *m = machine_new();
		double t0 = now_ns();
		for (uint32_t i = 0; i < n; i++)
			do_mmap(m, i);
		ins += now_ns() - t0;
		if (ms_live_count(m) != n)
			die("live count after inserts");
		if (round == 0) {
			res.bytes = (double)ms_table_bytes(m) / (double)n;
			res.lookup = time_lookups(m, n);
			shuffle(perm, n);
			res.churn = time_churn(m, perm, n);
			if (ms_live_count(m) != n)
				die("live count after churn");
		}
		shuffle(perm, n);
		t0 = now_ns();
		for (uint32_t i = 0; i < n; i++)
			do_munmap(m, perm[i]);
		rem += now_ns() - t0;
		if (ms_live_count(m) != 0)
			die("live count after removes");
		ms_machine_destroy(m);
	}
	res.insert = ins / ((double)rounds * n);
	res.remove = rem / ((double)rounds * n);
	free(perm);
	return res;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

static result best_of(uint32_t n)
{
	result best = run(n);
	for (int k = 1; k < REPEATS; k++) {
		result r = run(n);
		best.insert = min2(best.insert, r.insert);
		best.lookup = min2(best.lookup, r.lookup);
		best.remove = min2(best.remove, r.remove);
		best.churn = min2(best.churn, r.churn);
	}
	return best;
}

int main(void)
{
	static const uint32_t sizes[] = {100, 60000, 1000000};
	result r[3];
	printf("mapsan model benchmark (policy miri, page %llu, best of %d)\n", PAGE, REPEATS);
	printf("%10s %12s %12s %12s %14s %12s\n", "live", "mmap ns", "lookup ns",
	       "munmap ns", "munmap+mmap", "bytes/live");
	for (int i = 0; i < 3; i++) {
		r[i] = best_of(sizes[i]);
		printf("%10u %12.1f %12.1f %12.1f %14.1f %12.1f\n", sizes[i], r[i].insert,
		       r[i].lookup, r[i].remove, r[i].churn, r[i].bytes);
		fflush(stdout);
	}
	printf("ratio 60000/100: mmap %.2fx, lookup %.2fx, munmap %.2fx, munmap+mmap %.2fx\n",
	       r[1].insert / r[0].insert, r[1].lookup / r[0].lookup,
	       r[1].remove / r[0].remove, r[1].churn / r[0].churn);
	return 0;
}
